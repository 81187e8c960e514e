/**
 * Adoption: the `import` resource option reaches the provider as the input `importId` (sdk/base.ts), and
 * create then reads the existing object instead of POSTing a new one. Each object of the table is made out
 * of band through the emulator's REST API first, as a migration from @pulumi/confluentcloud finds it.
 */
import {
  plain,
  providerTextOf,
  startHarness,
  urnOf,
  type Harness,
  type ScenarioEntry,
} from "../../testing/scenario";
import type { PropertyMap } from "../../protocol";
import { table, user } from "../../testing/table";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const adoptable = table.filter((e): e is ScenarioEntry & { adopt: NonNullable<ScenarioEntry["adopt"]> } =>
  Boolean(e.adopt),
);

it("every object of the table can be adopted, except those that say why not", () => {
  expect(adoptable.map((e) => e.kind)).toEqual(table.filter((e) => !e.cannotAdopt).map((e) => e.kind));
  expect(table.filter((e) => e.cannotAdopt).map((e) => e.kind)).toEqual(["ApiKeyRotation"]);
  expect(table.filter((e) => e.cannotAdopt && e.adopt)).toEqual([]);
});

describe.each(adoptable.map((e) => [e.kind, e] as const))("%s", (_kind, entry) => {
  const adopt = entry.adopt;
  const urn = urnOf(entry.kind, `adopted-${entry.kind.toLowerCase()}`);
  let providerText = "";
  let deps: Record<string, string> = {};
  let inputs: PropertyMap = {};
  let importId = "";
  let id = "";
  let outs: PropertyMap = {};
  const withProvider = (p: PropertyMap): PropertyMap => ({ ...p, __provider: providerText });

  beforeAll(async () => {
    providerText = await providerTextOf(entry);
    deps = entry.prepare ? await entry.prepare(h.api) : {};
    inputs = entry.inputs(deps, "m1");
  });

  it("check names the expected import ID format when importId has the wrong shape", async () => {
    const res = await h.host.check(urn, {}, withProvider({ ...inputs, importId: "not an id" }));
    expect(res.failures).toEqual([
      { property: "importId", reason: `must look like ${adopt.format}; got "not an id"` },
    ]);
  });

  it("adopts an object made out of band with exactly one GET and no POST", async () => {
    importId = await adopt.make(h.api, deps, inputs);
    const checked = await h.host.check(urn, {}, withProvider({ ...inputs, importId }));
    expect(checked.failures).toEqual([]);
    await h.api.clearLog();
    const res = await h.host.create(urn, withProvider({ ...inputs, importId }));
    id = res.id;
    outs = res.outs;
    expect(importId.endsWith(id)).toBe(true);
    expect(await h.api.calls()).toEqual([`GET ${entry.itemPath(id, outs)}`]);
    // The outputs are what a create would have recorded, except the secret: it was shown once, when the
    // object was made, so an adopted object's secret is empty.
    const expected: PropertyMap = { ...entry.created(deps, "m1"), importId };
    for (const key of entry.secretOutputs ?? []) expected[key] = "";
    expect(plain(outs)).toEqual(expect.objectContaining(expected));
    // A refresh right after finds nothing to change.
    const refreshed = await h.host.read(id, urn, outs);
    expect(plain(refreshed.props)).toEqual(plain(outs));
    expect(h.host.stderr()).toContain(`${entry.kind} ${id}: adopted as it is (no API change)`);
  });

  it("a later diff without importId (the option removed) shows no change and calls nothing", async () => {
    await h.api.clearLog();
    const d = await h.host.diff(id, urn, outs, withProvider(inputs));
    expect(d).toEqual(expect.objectContaining({ changes: false, replaces: [] }));
    // Keeping the option, or another import ID, is no reason to update or replace either.
    const kept = await h.host.diff(id, urn, outs, withProvider({ ...inputs, importId }));
    expect(kept).toEqual(expect.objectContaining({ changes: false, replaces: [] }));
    const other = await h.host.diff(id, urn, outs, withProvider({ ...inputs, importId: `${importId}x` }));
    expect(other).toEqual(expect.objectContaining({ changes: false, replaces: [] }));
    expect(await h.api.calls()).toEqual([]);
  });

  if (adopt.replaceMismatch && entry.replace) {
    const replace = entry.replace;
    const mismatch = adopt.replaceMismatch;
    it("adopting with a differing replace-field fails naming the field and both values, after one GET", async () => {
      await h.api.clearLog();
      const news = withProvider({ ...inputs, ...replace.change(deps), importId });
      await expect(h.host.create(urn, news)).rejects.toThrow(
        `Cannot import ${adopt.noun} ${importId}: ${mismatch(deps)}. Importing cannot change this field ` +
          `(a change would replace the ${adopt.noun}): change the program to match, or remove the import ` +
          `option to create a new ${adopt.noun}.`,
      );
      expect(await h.api.calls()).toEqual([`GET ${entry.itemPath(id, outs)}`]);
    });
  }

  if (entry.update) {
    const update = entry.update;
    const method = entry.updateMethod ?? "PATCH";
    it(`adopting with a differing update-field sends one GET and one ${method}, then diffs as no change`, async () => {
      const made = entry.inputs(deps, "m2");
      const second = await adopt.make(h.api, deps, made);
      const program = withProvider({ ...made, ...update.change(deps), importId: second });
      await h.api.clearLog();
      const res = await h.host.create(urn, program);
      expect(plain(res.outs)).toEqual(expect.objectContaining(update.expect));
      const path = entry.itemPath(res.id, res.outs);
      expect(await h.api.calls()).toEqual([`GET ${path}`, `${method} ${path}`]);
      expect(h.host.stderr()).toContain(`${entry.kind} ${res.id}: adopting it; `);
      const { importId: _dropped, ...withoutOption } = program;
      const d = await h.host.diff(res.id, urn, res.outs, withoutOption);
      expect(d).toEqual(expect.objectContaining({ changes: false, replaces: [] }));
    });
  }

  it("adopting an id that names no object fails saying so, after one GET", async () => {
    const missing = adopt.missing(deps);
    await h.api.clearLog();
    await expect(h.host.create(urn, withProvider({ ...inputs, importId: missing.importId }))).rejects.toThrow(
      `Cannot import ${adopt.noun} ${missing.importId}: it does not exist (or these credentials cannot see ` +
        `it). Remove the import option to create a new one.`,
    );
    expect(await h.api.calls()).toEqual([`GET ${missing.path}`]);
  });
});

describe("messages and limits around adoption", () => {
  it("two differing replace-fields are both named", async () => {
    const text = await providerTextOf(table.find((e) => e.kind === "Invitation")!);
    const inv = (await h.api.ok("POST", "/iam/v2/invitations", {
      email: "two-fields@example.com",
      auth_type: "AUTH_TYPE_LOCAL",
    })) as { id: string };
    await expect(
      h.host.create(urnOf("Invitation", "two"), {
        __provider: text,
        email: "other@example.com",
        authType: "AUTH_TYPE_SSO",
        importId: inv.id,
      }),
    ).rejects.toThrow(
      `Cannot import invitation ${inv.id}: email is "two-fields@example.com" but the program declares ` +
        `"other@example.com"; authType is "AUTH_TYPE_LOCAL" but the program declares "AUTH_TYPE_SSO". ` +
        `Importing cannot change these fields (a change would replace the invitation): change the program ` +
        `to match, or remove the import option to create a new invitation.`,
    );
  });

  it("a User without importId cannot be created and the message gives the exact import option", async () => {
    const text = await providerTextOf(user);
    await h.api.clearLog();
    await expect(
      h.host.create(urnOf("User", "new"), { __provider: text, fullName: "Someone" }),
    ).rejects.toThrow(
      "Users cannot be created through the Confluent Cloud API. Invite the person with an Invitation " +
        'resource; once they accept, bring the user under management by adding the resource option { import: "u-…" } ' +
        "to this User resource in the program (the Pulumi CLI's pulumi import command does not work for " +
        "dynamic providers: pulumi/pulumi#16175).",
    );
    expect(await h.api.calls()).toEqual([]);
  });

  it("an API key create with an unknown outcome whose lookups fail too (5xx on every call) fails, and never sends a second POST", async () => {
    const text = await providerTextOf(table.find((e) => e.kind === "ApiKey")!);
    const sa = (await h.api.ok("POST", "/iam/v2/service-accounts", { display_name: "unknown-outcome" })) as {
      id: string;
    };
    await h.api.clearLog();
    await h.api.faults({ "5xx": 1 });
    try {
      await expect(
        h.host.create(urnOf("ApiKey", "unknown"), { __provider: text, owner: { id: sa.id } }),
      ).rejects.toThrow("GET /iam/v2/api-keys failed with 5");
    } finally {
      await h.api.faults({ "5xx": 0 });
    }
    const calls = await h.api.calls();
    expect(calls.filter((c) => c === "POST /iam/v2/api-keys")).toEqual(["POST /iam/v2/api-keys"]);
    expect(
      calls.filter((c) => c !== "POST /iam/v2/api-keys").every((c) => c === "GET /iam/v2/api-keys"),
    ).toBe(true);
  });

  it("the engine's own import (Read with empty properties, as pulumi import and the import option send it) fails in Pulumi's dynamic-provider host: pulumi/pulumi#16175", async () => {
    const sa = (await h.api.ok("POST", "/iam/v2/service-accounts", { display_name: "engine-import" })) as {
      id: string;
    };
    await h.api.clearLog();
    await expect(h.host.read(sa.id, urnOf("ServiceAccount", "engine-import"), {})).rejects.toThrow(
      "code must be a string, not undefined",
    );
    // The host fails before our provider runs: nothing reaches the API.
    expect(await h.api.calls()).toEqual([]);
  });
});
