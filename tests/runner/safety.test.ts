/**
 * Issue 10, the runner's part, end to end: the runner, Pulumi's dynamic-provider host and this package's
 * provider against the emulator (tests/runner/fixtures/safety; config `scenario` picks the program).
 */
import * as fs from "fs";
import * as path from "path";
import { runLifecycle } from "../../runner";
import { storable } from "../../runner/input-only";
import type { ResourceState } from "../../runner/state";
import { startExample, plan, type ExampleRun } from "../examples/harness";

const fixture = path.join(__dirname, "fixtures", "safety");
const PROJECT = "runner-safety";
const policyPack = path.resolve(__dirname, "..", "..", "policy");

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

describe("up --policy-pack checks values that are unknown at preview", () => {
  let ex: ExampleRun;
  const cfg = ["scenario=policy-after-apply"];
  beforeAll(async () => {
    ex = await startExample(fixture, PROJECT);
  });
  afterAll(async () => ex.close());

  it("a CRN that does not fit its role and a malformed CRN, behind an apply, are stopped before their POST; the rest goes ahead", async () => {
    await ex.clearRequests();
    const r = await ex.run("up", cfg, policyPack);
    expect(r.exitCode).toBe(1);
    expect(await ex.writes()).toEqual(["POST /iam/v2/service-accounts"]);
    expect(r.steps.map((s) => [s.op, s.name, s.status, s.error])).toEqual([
      ["create", "app", "done", undefined],
      [
        "create",
        "scope",
        "failed",
        "mandatory policy role-binding-scope-fits-role failed, so it was not created",
      ],
      [
        "create",
        "crn",
        "failed",
        "mandatory policy role-binding-crn-well-formed failed, so it was not created",
      ],
    ]);
    expect(r.violations.map((v) => [v.policyName, v.enforcementLevel, v.urn])).toEqual([
      [
        "role-binding-scope-fits-role",
        "mandatory",
        `urn:pulumi:dev::${PROJECT}::pulumi-nodejs:dynamic/confluent:RoleBinding::scope`,
      ],
      [
        "role-binding-crn-well-formed",
        "mandatory",
        `urn:pulumi:dev::${PROJECT}::pulumi-nodejs:dynamic/confluent:RoleBinding::crn`,
      ],
    ]);
    expect(r.output).toContain(
      " +  create failed  confluent:RoleBinding  crn\n" +
        "      error: mandatory policy role-binding-crn-well-formed failed, so it was not created\n",
    );
    expect(ex.state().resources.map((x) => x.name)).toEqual(["app"]);
  });

  it("OrganizationAdmin and an open CIDR behind an apply fail closed at preview: up sends nothing", async () => {
    const fresh = await startExample(fixture, PROJECT);
    try {
      await fresh.clearRequests();
      const r = await fresh.run("up", ["scenario=policy-unknown-high-risk"], policyPack);
      expect(r.exitCode).toBe(1);
      expect(await fresh.writes()).toEqual([]);
      expect([
        ...new Set(
          r.violations.map((v) => `${v.policyName} ${v.enforcementLevel} ${v.urn?.split("::").pop()}`),
        ),
      ]).toEqual(["ip-group-no-open-cidr mandatory open", "role-binding-no-org-admin mandatory admin"]);
      expect(r.output).toContain(
        "\nerror: mandatory policy violations; up stopped before changing anything, nothing was applied\n",
      );
    } finally {
      await fresh.close();
    }
  });

  it("a preview that fails a mandatory policy says that nothing will be applied", async () => {
    await ex.clearRequests();
    const r = await ex.run("preview", ["scenario=policy-after-apply", "known=true"], policyPack);
    expect(r.exitCode).toBe(1);
    expect(r.output.slice(r.output.indexOf("\nResources"))).toBe(
      "\nResources (none will be applied: a mandatory policy failed):\n" +
        "    +  2 would be created\n" +
        "      1 unchanged\n" +
        "\n" +
        "error: mandatory policy violations; nothing will be applied\n",
    );
    expect(await ex.writes()).toEqual([]);
  });

  it("up --policy-pack stopped by its preview says it changed nothing", async () => {
    await ex.clearRequests();
    const r = await ex.run("up", ["scenario=policy-after-apply", "known=true"], policyPack);
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain(
      "\nerror: mandatory policy violations; up stopped before changing anything, nothing was applied\n",
    );
    expect(r.output).not.toContain("Updating (dev)");
    expect(await ex.writes()).toEqual([]);
  });
});

describe("errors come out clean", () => {
  let ex: ExampleRun;
  beforeAll(async () => {
    ex = await startExample(
      path.resolve(__dirname, "..", "..", "examples", "quickstart"),
      "confluent-iam-quickstart",
    );
  });
  afterAll(async () => ex.close());

  it("a refresh with a wrong secret prints one error line per object and no provider stack trace", async () => {
    expect((await ex.run("up")).exitCode).toBe(0);
    const st = ex.state();
    const id = (name: string): string => st.resources.find((x) => x.name === name)?.id ?? "";
    const r = await runLifecycle("refresh", {
      cwd: path.resolve(__dirname, "..", "..", "examples", "quickstart"),
      statePath: ex.statePath,
      env: {
        ...process.env,
        CONFLUENT_CLOUD_ENDPOINT: ex.emulator.url,
        CONFLUENT_CLOUD_API_KEY: ex.emulator.apiKey,
        CONFLUENT_CLOUD_API_SECRET: "not-the-secret-fake",
      },
    });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("");
    const lines = r.output.replace(/\(request id [^)]+\)/g, "(request id …)").split("\n");
    const unauthorized = (p: string): string =>
      `      error: GET ${p} failed with 401 Unauthorized: Unauthorized (request id …)`;
    expect(lines.slice(0, 2)).toEqual([
      `Refreshing (dev) of project confluent-iam-quickstart, state ${ex.statePath}`,
      "",
    ]);
    // The three reads run at once, so their order varies; each is two lines.
    const steps = [];
    for (let i = 2; i < 8; i += 2) steps.push(`${lines[i]}\n${lines[i + 1]}`);
    expect(steps.sort()).toEqual(
      [
        ` >  read failed    confluent:ApiKey  app-cloud-key\n${unauthorized(`/iam/v2/api-keys/${id("app-cloud-key")}`)}`,
        ` >  read failed    confluent:RoleBinding  app-environment-admin\n${unauthorized(`/iam/v2/role-bindings/${id("app-environment-admin")}`)}`,
        ` >  read failed    confluent:ServiceAccount  app\n${unauthorized(`/iam/v2/service-accounts/${id("app")}`)}`,
      ].sort(),
    );
    // Then one line saying where the rejected credentials came from (never their values).
    expect(lines.slice(8)).toEqual([
      "",
      "Resources:",
      "    ** 3 failed",
      "      0 unchanged",
      `error: Confluent Cloud rejected the credentials (401 Unauthorized at ${ex.emulator.url}): the API key ` +
        "came from environment variable CONFLUENT_CLOUD_API_KEY and the secret from environment variable " +
        "CONFLUENT_CLOUD_API_SECRET. Check that they are a Cloud API key and its secret (not a Kafka cluster " +
        "key), that the key still exists, and that the secret belongs to that key.",
      "",
    ]);
    expect(r.output).not.toContain("not-the-secret-fake");
  });
});
