/** The scenario steps, defined once and run for every table entry (with and without emulator faults). */
import { UNKNOWN_VALUE, unwrapSecrets, type PropertyMap } from "../../../protocol";
import { plain, providerTextOf, urnOf, type Harness, type ScenarioEntry } from "../../../testing/scenario";

export interface ScenarioOptions {
  /** Faults are on: request counts are not asserted (retries add calls); waits cover the read lag. */
  faults?: { readLagMs: number };
  /** Turns the emulator's faults on or off (prerequisites and out-of-band changes are made without them). */
  setFaults?: (on: boolean) => Promise<void>;
  /** Under faults: a create whose outcome was unknown is recovered with the entry's `recoverCreate`. */
  recoverCreates?: boolean;
}

/** Defines the `it` steps of one entry's scenario; they run in order and share state. */
export function defineScenario(
  entry: ScenarioEntry,
  harness: () => Harness,
  options: ScenarioOptions = {},
): void {
  const counting = options.faults === undefined;
  const urn = urnOf(entry.kind, `${entry.kind.toLowerCase()}-1`);
  let providerText = "";
  let deps: Record<string, string> = {};
  let inputs: PropertyMap = {};
  let id = "";
  let outs: PropertyMap = {};
  const tag = options.faults ? "f" : "a";

  const withProvider = (p: PropertyMap): PropertyMap => ({ ...p, __provider: providerText });
  // The read lag has passed: the emulator's clock moves on instead of the test waiting for it.
  const lag = async (): Promise<void> =>
    harness().advance(options.faults ? options.faults.readLagMs + 50 : 0);

  async function createWithRecovery(props: PropertyMap): Promise<{ id: string; outs: PropertyMap }> {
    const h = harness();
    for (let attempt = 1; ; attempt++) {
      try {
        return await h.host.create(urn, props);
      } catch (e) {
        const recover = options.recoverCreates ? entry.recoverCreate : undefined;
        if (attempt >= 5 || !recover || !/outcome is unknown/.test(String(e))) throw e;
        await options.setFaults?.(false);
        await recover(h.api, deps, props);
        await options.setFaults?.(true);
      }
    }
  }

  beforeAll(async () => {
    providerText = await providerTextOf(entry);
    await options.setFaults?.(false);
    deps = entry.prepare ? await entry.prepare(harness().api) : {};
    await options.setFaults?.(true);
    inputs = entry.inputs(deps, tag);
  });

  it("check reports every bad input with a reason that says what to change", async () => {
    const h = harness();
    const res = await h.host.check(urn, {}, withProvider(entry.invalid.inputs(deps)));
    expect(res.failures).toEqual(entry.invalid.failures);
  });

  it("check accepts the inputs, and does not judge values unknown during preview", async () => {
    const h = harness();
    const ok = await h.host.check(urn, {}, withProvider(inputs));
    expect(ok.failures).toEqual([]);
    const unknown = Object.fromEntries(Object.keys(inputs).map((k) => [k, UNKNOWN_VALUE]));
    const preview = await h.host.check(urn, {}, withProvider(unknown));
    expect(preview.failures).toEqual([]);
  });

  if (entry.existing) {
    it("create fails with a message that says how to bring the object under management", async () => {
      const h = harness();
      await h.api.clearLog();
      await expect(h.host.create(urn, withProvider(inputs))).rejects.toThrow(entry.existing!.createError);
      if (counting) expect(await h.api.calls()).toEqual([]);
    });

    it("import: read by id gives outputs and inputs", async () => {
      const h = harness();
      id = entry.existing!.id(deps);
      await h.api.clearLog();
      const res = await h.host.read(id, urn, withProvider({}));
      expect(res.id).toBe(id);
      outs = res.props;
      expect(plain(res.inputs ?? {})).toEqual(expect.objectContaining(plain(inputs)));
      if (counting) expect(await h.api.calls()).toEqual([`GET ${entry.itemPath(id, outs)}`]);
    });
  } else {
    it("create makes exactly one POST and records its answer", async () => {
      const h = harness();
      await h.api.clearLog();
      const res = await createWithRecovery(withProvider(inputs));
      id = res.id;
      outs = res.outs;
      expect(id).not.toBe("");
      expect(plain(outs)).toEqual(expect.objectContaining(entry.created(deps, tag)));
      if (counting) {
        expect(await h.api.calls()).toEqual(
          entry.createCalls?.(deps, id) ?? [
            `POST ${typeof entry.createPath === "string" ? entry.createPath : entry.createPath(deps)}`,
            ...(entry.createExtraCalls?.(id) ?? []),
          ],
        );
      }
    });

    it("read (refresh) returns the same outputs and the inputs, with one GET", async () => {
      const h = harness();
      await lag();
      await h.api.clearLog();
      const res = await h.host.read(id, urn, outs);
      expect(res.id).toBe(id);
      expect(plain(res.props)).toEqual(plain(outs));
      expect(plain(res.inputs ?? {})).toEqual(expect.objectContaining(plain(inputs)));
      if (counting) expect(await h.api.calls()).toEqual([`GET ${entry.itemPath(id, outs)}`]);
    });
  }

  it("diff with no change answers no changes and calls nothing", async () => {
    const h = harness();
    await h.api.clearLog();
    const d = await h.host.diff(id, urn, outs, withProvider(inputs));
    expect(d.changes).toBe(false);
    expect(d.replaces).toEqual([]);
    if (counting) expect(await h.api.calls()).toEqual([]);
  });

  if (entry.equivalent) {
    const equivalent = entry.equivalent;
    it("diff of the same values written differently answers no changes", async () => {
      const h = harness();
      const d = await h.host.diff(id, urn, outs, withProvider({ ...inputs, ...equivalent(deps, inputs) }));
      expect(d.changes).toBe(false);
      expect(d.replaces).toEqual([]);
    });
  }

  if (entry.update) {
    const update = entry.update;
    it("diff of an update-in-place field is an update, not a replacement", async () => {
      const h = harness();
      const d = await h.host.diff(id, urn, outs, withProvider({ ...inputs, ...update.change(deps) }));
      expect(d.changes).toBe(true);
      expect(d.replaces).toEqual([]);
    });

    const method = entry.updateMethod ?? "PATCH";
    it(`update makes exactly one ${method} and returns the new outputs`, async () => {
      const h = harness();
      await h.api.clearLog();
      const news = withProvider({ ...inputs, ...update.change(deps) });
      const res = await h.host.update(id, urn, outs, news);
      expect(plain(res.outs)).toEqual(expect.objectContaining(update.expect));
      if (counting) expect((await h.api.calls()).filter((c) => c.startsWith(`${method} `))).toHaveLength(1);
      outs = res.outs;
      inputs = plain(news);
      const settled = await h.host.diff(id, urn, outs, news);
      expect(settled.changes).toBe(false);
    });
  }

  if (entry.updateRefused) {
    const refused = entry.updateRefused;
    it("diff of an update-in-place field is an update; the API refuses it here, and the error says what to do", async () => {
      const h = harness();
      const news = withProvider({ ...inputs, ...refused.change(deps) });
      const d = await h.host.diff(id, urn, outs, news);
      expect(d.changes).toBe(true);
      expect(d.replaces).toEqual([]);
      await h.api.clearLog();
      await expect(h.host.update(id, urn, outs, news)).rejects.toThrow(refused.error);
      if (counting) expect(await h.api.calls()).toEqual(refused.calls(id));
    });
  }

  if (entry.providerOnly) {
    const change = entry.providerOnly;
    it("a provider-only input changes in place with no API call", async () => {
      const h = harness();
      const news = withProvider({ ...inputs, ...change });
      const d = await h.host.diff(id, urn, outs, news);
      expect(d.changes).toBe(true);
      expect(d.replaces).toEqual([]);
      await h.api.clearLog();
      const res = await h.host.update(id, urn, outs, news);
      const effect = entry.providerOnlyEffect;
      if (counting) expect(await h.api.calls()).toEqual(effect ? effect.calls(id) : []);
      if (effect) expect(plain(res.outs)).toEqual(expect.objectContaining(effect.expect));
      outs = res.outs;
      inputs = plain(news);
    });
  }

  if (entry.replace) {
    const replace = entry.replace;
    it("diff of a replace field asks for a replacement", async () => {
      const h = harness();
      const d = await h.host.diff(id, urn, outs, withProvider({ ...inputs, ...replace.change(deps) }));
      expect(d.changes).toBe(true);
      expect(d.replaces).toEqual(replace.replaces);
    });
  }

  it("import: read by import ID gives outputs and inputs that diff as no change", async () => {
    const h = harness();
    await lag();
    const importId = entry.importId ? entry.importId(id, outs) : id;
    const res = await h.host.read(importId, urn, withProvider({}));
    expect(res.id).toBe(id);
    // Provider-only inputs have no API field, so an import cannot know them: compare without them.
    const apiInputs = { ...inputs };
    for (const k of Object.keys(entry.providerOnly ?? {})) delete apiInputs[k];
    const d = await h.host.diff(id, urn, res.props, withProvider(apiInputs));
    expect(d).toEqual(expect.objectContaining({ changes: false, replaces: [] }));
  });

  it(
    entry.deleteLeavesObject
      ? "delete makes its calls and leaves the object to its owner (a read afterwards finds it); deleting again succeeds"
      : "delete makes one DELETE; a read afterwards says gone; deleting again succeeds",
    async () => {
      const h = harness();
      await h.api.clearLog();
      await h.host.delete(id, urn, outs);
      if (counting) {
        expect(await h.api.calls()).toEqual(
          entry.deleteCalls?.(id, outs) ?? [`DELETE ${entry.itemPath(id, outs)}`],
        );
      }
      const after = await h.host.read(id, urn, outs);
      expect(after.id).toBe(entry.deleteLeavesObject ? id : "");
      await h.host.delete(id, urn, outs);
    },
  );

  if (!entry.existing) {
    it("an object deleted out of band reads as gone", async () => {
      const h = harness();
      const second = await createWithRecovery(withProvider(entry.inputs(deps, `${tag}2`)));
      await lag();
      await options.setFaults?.(false);
      if (entry.outOfBandDelete) await entry.outOfBandDelete(h.api, second.id, second.outs);
      else await h.api.ok("DELETE", entry.itemPath(second.id, second.outs));
      await options.setFaults?.(true);
      const res = await h.host.read(second.id, urn, second.outs);
      expect(res.id).toBe("");
    });
  }

  // Only objects with secret outputs have something to look for (a loop over none would assert nothing).
  const secretKeys = entry.secretOutputs ?? [];
  if (secretKeys.length > 0) {
    it("no secret output appears in anything the host printed", () => {
      const plainOuts = unwrapSecrets(outs) as PropertyMap;
      const values = secretKeys.map((key) => plainOuts[key]);
      // Each secret was answered (a string), so the check below looks for real values.
      expect(values.map((v) => typeof v)).toEqual(secretKeys.map(() => "string"));
      const printed = harness().host.stderr();
      for (const value of values) {
        if (typeof value === "string" && value !== "") expect(printed).not.toContain(value);
      }
    });
  }
}
