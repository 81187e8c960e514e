/**
 * A `Provider`'s credentials as the provider sees them (protocol/index.ts `PROVIDER_INPUTS`), for every
 * object of the fixture table, through the real dynamic-provider host against the emulator: the calls of
 * an object with its own credentials are made with them (the emulator logs each request's API key); a
 * changed key or endpoint is an in-place update of exactly those inputs that reads the object once with the
 * new ones (and nothing else) before it stores them; removing them is the same kind of update, after which
 * the stack config is used again. tests/adversarial/provider-switch.test.ts covers new credentials of
 * another organization.
 */
import { secretWire, unwrapSecrets, type PropertyMap } from "../../protocol";
import type { LogEntry } from "../../emulator";
import { diff } from "../../provider";
import { table } from "../../testing/table";
import { plain, providerTextOf, startHarness, urnOf, type Harness } from "../../testing/scenario";

let h: Harness;
/** Two Cloud API keys made through the API (RBAC is off, so each may do everything). */
let k1: { id: string; secret: string };
let k2: { id: string; secret: string };

async function makeKey(name: string): Promise<{ id: string; secret: string }> {
  const made = (await h.api.ok("POST", "/iam/v2/api-keys", {
    spec: { display_name: name, owner: { id: "u-demo01" } },
  })) as { id: string; spec: { secret: string } };
  return { id: made.id, secret: made.spec.secret };
}
const log = async (): Promise<LogEntry[]> =>
  ((await h.api.ok("GET", "/_emulator/requests")) as { data: LogEntry[] }).data;
/** The API keys the logged requests were made with (Basic credentials only: ARM calls carry a token). */
const keysUsed = async (except: string[] = []): Promise<string[]> => [
  ...new Set((await log()).map((e) => e.api_key).filter((k) => k !== "" && !except.includes(k))),
];
/**
 * Every request made with Basic credentials used `key` (none besides an API key's own readiness probe, with
 * the key `id` itself). An object reached only through Azure Resource Manager (a bearer token) made none.
 */
async function expectOnlyKey(key: string, resourceId: string, outs: PropertyMap): Promise<void> {
  // An API key's id is the resource's; a rotation's resource id is its own, and its key is `active`.
  const active = (unwrapSecrets(outs) as { active?: { id?: unknown } }).active;
  const id = typeof active?.id === "string" ? active.id : resourceId;
  const used = await keysUsed([id]);
  const anyBasic = (await log()).some((e) => e.api_key !== "" && e.api_key !== id);
  expect(used).toEqual(anyBasic ? [key] : []);
}

beforeAll(async () => {
  h = await startHarness({ rbac: false });
  k1 = await makeKey("provider-1");
  k2 = await makeKey("provider-2");
});
afterAll(async () => h.close());

describe.each(table.map((e) => [e.kind, e] as const))("%s", (kind, entry) => {
  it("uses a Provider's credentials, changes them in place after one read with the new ones, and falls back when they go", async () => {
    const urn = urnOf(kind, `${kind.toLowerCase()}-own`);
    const providerText = await providerTextOf(entry);
    const deps = entry.prepare ? await entry.prepare(h.api) : {};
    const inputs = entry.inputs(deps, "own");
    const own = (k: { id: string; secret: string }): PropertyMap => ({
      cloudApiKey: secretWire(k.id),
      cloudApiSecret: secretWire(k.secret),
      endpoint: h.emu.url,
    });
    const wire = (p: PropertyMap): PropertyMap => ({ ...p, __provider: providerText });

    const checked = await h.host.check(urn, {}, wire({ ...inputs, ...own(k1) }));
    expect(checked.failures).toEqual([]);

    await h.api.clearLog();
    let id: string;
    let outs: PropertyMap;
    if (entry.existing) {
      id = entry.existing.id(deps);
      outs = (await h.host.read(id, urn, wire(own(k1)))).props;
    } else {
      ({ id, outs } = await h.host.create(urn, wire({ ...inputs, ...own(k1) })));
    }
    expect(id).not.toBe("");
    // Every call was made with the Provider's key (a new API key's readiness probe uses the key itself).
    await expectOnlyKey(k1.id, id, outs);
    // Kept in the outputs (read and delete get only those), as secrets.
    expect(outs.cloudApiSecret).toEqual(secretWire(k1.secret));
    expect(unwrapSecrets(outs)).toEqual(
      expect.objectContaining({ cloudApiKey: k1.id, cloudApiSecret: k1.secret }),
    );
    expect(outs.endpoint).toBe(h.emu.url);

    // Refresh reads with the stored credentials.
    await h.api.clearLog();
    const read = await h.host.read(id, urn, outs);
    expect(read.id).toBe(id);
    await expectOnlyKey(k1.id, id, outs);
    // Read's inputs keep the credentials (a refresh must not make the next plan show them as added).
    expect(unwrapSecrets(read.inputs)).toEqual(
      expect.objectContaining({ cloudApiKey: k1.id, cloudApiSecret: k1.secret, endpoint: h.emu.url }),
    );

    // A rotated key (and the endpoint written differently): an in-place update of those inputs only.
    const rotated = { ...inputs, ...own(k2), endpoint: `${h.emu.url}/` };
    expect(await h.host.diff(id, urn, outs, wire(rotated))).toEqual(
      expect.objectContaining({ changes: true, replaces: [] }),
    );
    // The host drops the changed keys; the provider's own answer names them.
    expect(await diff(kind, id, outs, wire(rotated))).toEqual(
      expect.objectContaining({
        changes: true,
        replaces: [],
        diffs: ["cloudApiKey", "cloudApiSecret", "endpoint"],
      }),
    );
    await h.api.clearLog();
    const updated = (await h.host.update(id, urn, outs, wire(rotated))).outs;
    // One read, with the new key, before the new credentials are stored.
    expect((await log()).map((e) => `${e.method} ${e.status}`)).toEqual(["GET 200"]);
    await expectOnlyKey(k2.id, id, updated);
    expect(unwrapSecrets(updated)).toEqual(
      expect.objectContaining({ cloudApiKey: k2.id, cloudApiSecret: k2.secret, endpoint: `${h.emu.url}/` }),
    );
    // Nothing else changed.
    const rest = (p: PropertyMap): PropertyMap => {
      const out = plain(p);
      for (const k of ["cloudApiKey", "cloudApiSecret", "endpoint"]) delete out[k];
      return out;
    };
    expect(rest(updated)).toEqual(rest(outs));

    // Later calls use the new key.
    await h.api.clearLog();
    await h.host.read(id, urn, updated);
    await expectOnlyKey(k2.id, id, updated);

    // The Provider removed: the same in-place update, no call, and the outputs lose the credentials.
    expect(await h.host.diff(id, urn, updated, wire(inputs))).toEqual(
      expect.objectContaining({ changes: true, replaces: [] }),
    );
    expect(await diff(kind, id, updated, wire(inputs))).toEqual(
      expect.objectContaining({
        changes: true,
        replaces: [],
        diffs: ["cloudApiKey", "cloudApiSecret", "endpoint"],
      }),
    );
    await h.api.clearLog();
    const fallen = (await h.host.update(id, urn, updated, wire(inputs))).outs;
    // One read, with the stack config's key (the emulator's admin key), before the fallback is stored.
    expect((await log()).map((e) => `${e.method} ${e.status}`)).toEqual(["GET 200"]);
    await expectOnlyKey(h.emu.apiKey, id, fallen);
    for (const k of ["cloudApiKey", "cloudApiSecret", "endpoint"]) expect(fallen).not.toHaveProperty(k);
    expect(rest(fallen)).toEqual(rest(outs));

    // Now the stack config's key (the emulator's admin key) is used, for delete too.
    await h.api.clearLog();
    if (entry.existing) {
      await h.host.read(id, urn, fallen);
    } else {
      await h.host.delete(id, urn, fallen);
    }
    await expectOnlyKey(h.emu.apiKey, id, fallen);
  });
});

describe("check", () => {
  const entry = table[0]!;
  const urn = urnOf(entry.kind, "check");

  it("refuses a key without its secret (and the reverse), never quoting either", async () => {
    const providerText = await providerTextOf(entry);
    const inputs = entry.inputs(entry.prepare ? await entry.prepare(h.api) : {}, "check");
    const onlyKey = await h.host.check(
      urn,
      {},
      {
        ...inputs,
        cloudApiKey: secretWire("FAKEKEYONLY00001"),
        __provider: providerText,
      },
    );
    expect(onlyKey.failures).toEqual([
      {
        property: "cloudApiSecret",
        reason:
          "is required when cloudApiKey is set: a Provider sets cloudApiKey and cloudApiSecret together; " +
          "set both, or neither to use the stack config or the environment",
      },
    ]);
    const onlySecret = await h.host.check(
      urn,
      {},
      {
        ...inputs,
        cloudApiSecret: secretWire("fake-secret-only-not-real"),
        __provider: providerText,
      },
    );
    expect(onlySecret.failures).toEqual([
      {
        property: "cloudApiKey",
        reason:
          "is required when cloudApiSecret is set: a Provider sets cloudApiKey and cloudApiSecret together; " +
          "set both, or neither to use the stack config or the environment",
      },
    ]);
    const empty = await h.host.check(
      urn,
      {},
      {
        ...inputs,
        cloudApiKey: secretWire(""),
        cloudApiSecret: secretWire(42),
        __provider: providerText,
      },
    );
    expect(empty.failures).toEqual([
      { property: "cloudApiKey", reason: "must be a non-empty string; set it on the Provider" },
      { property: "cloudApiSecret", reason: "must be a non-empty string; set it on the Provider" },
    ]);
    const badEndpoint = await h.host.check(
      urn,
      {},
      {
        ...inputs,
        endpoint: "api.confluent.cloud",
        __provider: providerText,
      },
    );
    expect(badEndpoint.failures).toEqual([
      {
        property: "endpoint",
        reason: "must be an http(s) URL such as https://api.confluent.cloud; set it on the Provider",
      },
    ]);
    expect(JSON.stringify([onlyKey, onlySecret, empty].map((r) => r.failures))).not.toMatch(
      /FAKEKEYONLY|fake-secret-only|42/,
    );
  });
});
