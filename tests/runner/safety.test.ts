/**
 * Issue 10, the runner's part, end to end: the runner, Pulumi's dynamic-provider host and this package's
 * provider against the emulator (tests/runner/fixtures/safety; config `scenario` picks the program).
 */
import * as fs from "fs";
import * as path from "path";
import { storable } from "../../runner/input-only";
import type { ResourceState } from "../../runner/state";
import { startExample, plan, type ExampleRun } from "../examples/harness";

const fixture = path.join(__dirname, "fixtures", "safety");
const PROJECT = "runner-safety";

describe("replaceOnChanges follows the provider's diff", () => {
  let ex: ExampleRun;
  const cfg = ["scenario=replace-on-changes"];
  beforeAll(async () => {
    ex = await startExample(fixture, PROJECT);
  });
  afterAll(async () => ex.close());

  it("a second up of the unchanged program keeps the key: no replacement, no API write", async () => {
    const first = await ex.run("up", cfg);
    expect(first.errors).toEqual([]);
    expect(plan(first)).toEqual(["create key", "create owner"]);
    const keyId = ex.state().resources.find((r) => r.name === "key")?.id;
    await ex.clearRequests();
    const second = await ex.run("up", cfg);
    expect(second.exitCode).toBe(0);
    expect(second.steps).toEqual([]);
    expect(second.summary.same).toBe(2);
    expect(await ex.writes()).toEqual([]);
    expect(ex.state().resources.find((r) => r.name === "key")?.id).toBe(keyId);
  });

  it("an edit of another field updates the key in place: owner did not change", async () => {
    const keyId = ex.state().resources.find((r) => r.name === "key")?.id ?? "";
    await ex.clearRequests();
    const r = await ex.run("up", [...cfg, "keyDescription=a key, reworded"]);
    expect(r.errors).toEqual([]);
    expect(r.steps.map((s) => [s.op, s.name, s.diffs, s.replaces])).toEqual([
      ["update", "key", ["~description"], []],
    ]);
    expect(await ex.writes()).toEqual([`PATCH /iam/v2/api-keys/${keyId}`]);
  });
});

describe("input-only fields never reach the state", () => {
  let ex: ExampleRun;
  let token = "";
  const cfg = (): string[] => ["scenario=azure-token", `azureToken=${token}`];
  beforeAll(async () => {
    ex = await startExample(fixture, PROJECT);
    token = ex.emulator.azureToken;
  });
  afterAll(async () => ex.close());

  const stateText = (): string => fs.readFileSync(ex.statePath, "utf8");

  it("up creates the Azure key with the token, and the state file holds neither the token nor its key", async () => {
    const r = await ex.run("up", cfg());
    expect(r.errors).toEqual([]);
    expect(plan(r)).toEqual(["create azure-key"]);
    expect(stateText()).not.toContain(token);
    expect(stateText()).not.toContain("azureAccessToken");
  });

  it("a no-change up stays a no-op without the stored token (no diff on it), and stores nothing new", async () => {
    await ex.clearRequests();
    const r = await ex.run("up", cfg());
    expect(r.exitCode).toBe(0);
    expect(r.steps).toEqual([]);
    expect(await ex.writes()).toEqual([]);
    expect(stateText()).not.toContain(token);
  });

  it("a replacement shows only the changed field and keeps the token out of the state", async () => {
    const r = await ex.run("up", [...cfg(), "displayName=azure-key-2"]);
    expect(r.errors).toEqual([]);
    expect(r.steps.map((s) => [s.op, s.name, s.diffs])).toEqual([["replace", "azure-key", ["~displayName"]]]);
    expect(stateText()).not.toContain(token);
    expect(stateText()).not.toContain("azureAccessToken");
    expect((await ex.run("destroy", cfg())).exitCode).toBe(0);
  });
});

describe("storable: what a failed step leaves in state", () => {
  it("drops input-only keys from the inputs and outputs of an entry, including one kept after a failed create", () => {
    const type = "pulumi-nodejs:dynamic/confluent:AzureMarketplaceApiKey";
    const entry: ResourceState = {
      urn: `urn:pulumi:dev::p::${type}::k`,
      type,
      name: "k",
      id: "key-1",
      inputs: { displayName: "k", azureAccessToken: "fake-token" },
      // A create that failed to initialize keeps its inputs as outputs.
      outputs: { displayName: "k", azureAccessToken: "fake-token", secret: "" },
      provider: "p",
      dependencies: [],
      secretOutputs: [],
      initFailed: true,
    };
    expect(storable(entry)).toEqual({
      ...entry,
      inputs: { displayName: "k" },
      outputs: { displayName: "k", secret: "" },
    });
    const other = { ...entry, type: "pulumi-nodejs:dynamic/confluent:ServiceAccount" };
    expect(storable(other)).toBe(other);
  });
});
