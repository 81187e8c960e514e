/**
 * `confluent-iam stack export` / `stack import`: the export is a Pulumi deployment that Pulumi's published
 * JSON Schemas accept (validated with tests/runner/support/json-schema.ts), shaped as the engine writes a
 * dynamic resource (default `pulumi-nodejs` provider, `__provider` in inputs and outputs, secrets encrypted
 * for the passphrase provider); an export of a real `up` against the emulator imports back, and a preview
 * then reports no change.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { SECRET_SIG, SPECIAL_SIG_KEY } from "../../protocol";
import { runLifecycle, type LifecycleResult } from "../../runner";
import { decryptValue, keyFromEncryptionSalt } from "../../runner/passphrase";
import { emptyState, loadState, markSecrets, saveState, type StackState } from "../../runner/state";
import { fromDeployment, stackCommand, toDeployment, type Deployment } from "../../runner/stack-command";
import { DEPLOYMENTS_ID, PULUMI_SCHEMAS_DIR, SchemaSet } from "./support/json-schema";

const PASSPHRASE = "fake-passphrase-for-export-tests";
const env = { PULUMI_CONFIG_PASSPHRASE: PASSPHRASE };
const schemas = SchemaSet.fromFolder(PULUMI_SCHEMAS_DIR);
const SA_TYPE = "pulumi-nodejs:dynamic/confluent:ServiceAccount";
const KEY_TYPE = "pulumi-nodejs:dynamic/confluent:ApiKey";
const PROVIDER_URN = "urn:pulumi:dev::proj::pulumi:providers:pulumi-nodejs::default";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-export-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const sample = (): StackState => ({
  ...emptyState("proj", "dev"),
  resources: [
    {
      urn: `urn:pulumi:dev::proj::${SA_TYPE}::sa`,
      type: SA_TYPE,
      name: "sa",
      id: "sa-1",
      inputs: { displayName: "sa" },
      outputs: { displayName: "sa", apiVersion: "iam/v2" },
      provider: "exports.handler = () => ({});",
      dependencies: [],
      secretOutputs: [],
      protect: true,
    },
    {
      urn: `urn:pulumi:dev::proj::${KEY_TYPE}::k`,
      type: KEY_TYPE,
      name: "k",
      id: "KEY1",
      inputs: { displayName: "k", owner: { id: "sa-1" } },
      outputs: markSecrets({ displayName: "k", secret: "fake-secret-value", tags: ["a"] }, ["secret"]),
      provider: "exports.handler = () => ({});",
      dependencies: [`urn:pulumi:dev::proj::${SA_TYPE}::sa`],
      secretOutputs: ["secret"],
    },
  ],
  outputs: { keySecret: { [SPECIAL_SIG_KEY]: SECRET_SIG, value: "fake-secret-value" }, n: 1 },
});

describe("the JSON Schema validator of the test", () => {
  it("rejects what the schemas forbid: no manifest, a plaintext secret in the runner's wire form, a stray field", () => {
    const good = toDeployment(sample(), "state.json", env);
    expect(schemas.validate(DEPLOYMENTS_ID, good)).toEqual([]);
    const noManifest = { version: 3, deployment: { resources: [] } };
    expect(schemas.validate(DEPLOYMENTS_ID, noManifest).join("\n")).toContain("manifest is required");
    const wire = JSON.parse(JSON.stringify(good)) as Deployment;
    const key = wire.deployment.resources[3];
    if (!key?.outputs) throw new Error("no key outputs");
    key.outputs.secret = { [SPECIAL_SIG_KEY]: SECRET_SIG, value: "fake-secret-value" };
    expect(schemas.validate(DEPLOYMENTS_ID, wire).length).toBeGreaterThan(0);
    const stray = JSON.parse(JSON.stringify(good)) as {
      deployment: { resources: Record<string, unknown>[] };
    };
    (stray.deployment.resources[2] as Record<string, unknown>).retainOnDelete = true;
    expect(schemas.validate(DEPLOYMENTS_ID, stray).join("\n")).toContain("retainOnDelete: not allowed");
  });
});

describe("toDeployment", () => {
  it("writes the stack, the default dynamic provider and each resource as the engine does, secrets encrypted", () => {
    const dep = toDeployment(sample(), "state.json", env, new Date("2026-12-01T00:00:00.000Z"));
    expect(schemas.validate(DEPLOYMENTS_ID, dep)).toEqual([]);
    const text = JSON.stringify(dep);
    expect(text).not.toContain("fake-secret-value");
    expect(dep.version).toBe(3);
    expect(dep.deployment.manifest.time).toBe("2026-12-01T00:00:00.000Z");
    expect(dep.deployment.secrets_providers?.type).toBe("passphrase");
    const [stack, provider, sa, key] = dep.deployment.resources;
    expect(stack).toEqual({
      urn: "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev",
      custom: false,
      type: "pulumi:pulumi:Stack",
      inputs: {},
      outputs: {
        keySecret: expect.objectContaining({ ciphertext: expect.stringMatching(/^v1:/) as string }),
        n: 1,
      },
    });
    expect(provider).toEqual({
      urn: PROVIDER_URN,
      custom: true,
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/) as string,
      type: "pulumi:providers:pulumi-nodejs",
      inputs: {},
      outputs: {},
    });
    expect(sa).toEqual({
      urn: `urn:pulumi:dev::proj::${SA_TYPE}::sa`,
      custom: true,
      id: "sa-1",
      type: SA_TYPE,
      parent: "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev",
      protect: true,
      dependencies: [],
      inputs: { displayName: "sa", __provider: "exports.handler = () => ({});" },
      outputs: { displayName: "sa", apiVersion: "iam/v2", __provider: "exports.handler = () => ({});" },
      provider: `${PROVIDER_URN}::${provider?.id ?? ""}`,
    });
    expect(key?.additionalSecretOutputs).toEqual(["secret"]);
    expect(key?.dependencies).toEqual([`urn:pulumi:dev::proj::${SA_TYPE}::sa`]);
    const secret = key?.outputs?.secret as Record<string, string>;
    expect(Object.keys(secret).sort()).toEqual([SPECIAL_SIG_KEY, "ciphertext"]);
    const k = keyFromEncryptionSalt(PASSPHRASE, dep.deployment.secrets_providers?.state.salt ?? "");
    expect(decryptValue(k, secret.ciphertext ?? "")).toBe('"fake-secret-value"');
  });

  it("lists each resource after its parent and its dependencies, else in state order", () => {
    const [sa, key] = sample().resources;
    if (!sa || !key) throw new Error("sample");
    const comp = { ...sa, urn: "urn:pulumi:dev::proj::my:Group::g", name: "g", component: true, id: "" };
    const child = { ...sa, urn: "urn:pulumi:dev::proj::my:Group$x::c", name: "c", parent: comp.urn };
    // The key (listed first) was updated to depend on the service account; the child precedes its parent.
    const state = { ...sample(), resources: [key, child, sa, comp] };
    const dep = toDeployment(state, "state.json", env);
    expect(dep.deployment.resources.map((r) => r.urn.slice(r.urn.lastIndexOf("::") + 2))).toEqual([
      "proj-dev",
      "default",
      "sa",
      "k",
      "g",
      "c",
    ]);
  });

  it("a state with no secret exports without secrets_providers and without a passphrase", () => {
    const plain = { ...sample(), resources: sample().resources.slice(0, 1), outputs: {} };
    const dep = toDeployment(plain, "state.json", {});
    expect(schemas.validate(DEPLOYMENTS_ID, dep)).toEqual([]);
    expect(dep.deployment).not.toHaveProperty("secrets_providers");
  });

  it("fromDeployment gives the state back; a wrong passphrase or another stack is an error", () => {
    const dep = JSON.parse(JSON.stringify(toDeployment(sample(), "state.json", env))) as unknown;
    const back = fromDeployment(dep, "proj", "dev", "dep.json", env);
    expect({ ...back, secretsProviders: undefined }).toEqual({ ...sample(), secretsProviders: undefined });
    expect(() =>
      fromDeployment(dep, "proj", "dev", "dep.json", { PULUMI_CONFIG_PASSPHRASE: "fake-wrong" }),
    ).toThrow(
      "dep.json: incorrect passphrase: it does not open the secrets of this state; set " +
        "PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) to the passphrase its secrets were stored with",
    );
    expect(() => fromDeployment(dep, "proj", "prod", "dep.json", env)).toThrow(
      "dep.json is the deployment of urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev, not of stack prod of " +
        "project proj (urn:pulumi:prod::proj::pulumi:pulumi:Stack::proj-prod); import it with --stack of its " +
        "stack, in the folder of its project",
    );
    expect(() => fromDeployment({ version: 2, deployment: {} }, "proj", "dev", "dep.json", env)).toThrow(
      "dep.json is not a Pulumi deployment of version 3 (`pulumi stack export`): version: Invalid literal value, expected 3",
    );
  });
});

describe("pending operations (an interrupted run's creates and updates)", () => {
  const withPending = (): StackState => {
    const base = sample();
    const [sa, key] = base.resources as [StackState["resources"][0], StackState["resources"][0]];
    return {
      ...base,
      resources: [sa],
      pendingOperations: [
        {
          type: "creating",
          startedAt: "2026-12-07T22:00:00.123Z",
          resource: {
            ...key,
            id: "",
            outputs: {},
            inputs: markSecrets({ ...key.inputs, token: "fake-token" }, ["token"]),
          },
        },
        {
          type: "updating",
          startedAt: "2026-12-07T22:00:01.000Z",
          resource: { ...sa, inputs: { displayName: "renamed" } },
        },
      ],
    };
  };

  it("are exported as Pulumi's pending_operations (secrets encrypted) with their times in metadata, and imported back", () => {
    const dep = JSON.parse(JSON.stringify(toDeployment(withPending(), "state.json", env))) as Deployment;
    expect(schemas.validate(DEPLOYMENTS_ID, dep)).toEqual([]);
    const ops = dep.deployment.pending_operations ?? [];
    expect(ops.map((o) => [o.type, o.resource.urn, o.resource.id])).toEqual([
      ["creating", `urn:pulumi:dev::proj::${KEY_TYPE}::k`, undefined],
      ["updating", `urn:pulumi:dev::proj::${SA_TYPE}::sa`, "sa-1"],
    ]);
    expect(ops[0]!.resource.inputs?.__provider).toBe("exports.handler = () => ({});");
    expect(JSON.stringify(ops[0]!.resource.inputs)).not.toContain("fake-token");
    expect(dep.deployment.metadata).toEqual({
      "confluent-iam": {
        pendingOperations: [
          {
            urn: `urn:pulumi:dev::proj::${KEY_TYPE}::k`,
            type: "creating",
            startedAt: "2026-12-07T22:00:00.123Z",
          },
          {
            urn: `urn:pulumi:dev::proj::${SA_TYPE}::sa`,
            type: "updating",
            startedAt: "2026-12-07T22:00:01.000Z",
          },
        ],
      },
    });
    const back = fromDeployment(dep, "proj", "dev", "dep.json", env);
    expect(back.pendingOperations).toEqual(withPending().pendingOperations);
  });

  it("a state file carries them through save and load; a file without the field reads as before", () => {
    const file = path.join(dir, "pending.json");
    saveState(file, withPending(), env);
    expect(fs.readFileSync(file, "utf8")).not.toContain("fake-token");
    expect(loadState(file, "proj", "dev", env).pendingOperations).toEqual(withPending().pendingOperations);
    saveState(file, sample(), env);
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).not.toHaveProperty("pendingOperations");
    expect(loadState(file, "proj", "dev", env).pendingOperations).toBeUndefined();
  });

  it("a Pulumi CLI deployment's pending operation (no time recorded) is refused, naming the Pulumi CLI's way to settle it", () => {
    const dep = JSON.parse(JSON.stringify(toDeployment(withPending(), "state.json", env))) as Deployment;
    delete dep.deployment.metadata;
    expect(() => fromDeployment(dep, "proj", "dev", "dep.json", env)).toThrow(
      `dep.json has a pending operation (creating urn:pulumi:dev::proj::${KEY_TYPE}::k) that confluent-iam ` +
        "cannot settle: the deployment does not say when it was sent (only a confluent-iam stack export does); " +
        "settle it with the Pulumi CLI first (pulumi refresh --clear-pending-creates, or " +
        "--import-pending-creates), then export again",
    );
  });
});

describe("stack export → import → preview, against the emulator", () => {
  let emu: RunningEmulator;
  let cwd: string;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
    cwd = fs.mkdtempSync(path.join(dir, "p-"));
    fs.writeFileSync(path.join(cwd, "Pulumi.yaml"), "name: stack-export\nruntime: nodejs\nmain: index.ts\n");
    fs.writeFileSync(
      path.join(cwd, "index.ts"),
      `import * as confluentcloud from "pulumi-confluent-iam";

const sa = new confluentcloud.ServiceAccount("sa", { displayName: "stack-export-sa", description: "export" });
const key = new confluentcloud.ApiKey("key", {
  displayName: "stack-export-key",
  owner: { id: sa.id, apiVersion: sa.apiVersion, kind: sa.kind },
});
export const keyId = key.id;
export const keySecret = key.secret;
`,
    );
  });
  afterAll(async () => {
    await emu?.close();
  });

  const run = (command: "preview" | "up", statePath: string): Promise<LifecycleResult> =>
    runLifecycle(command, {
      cwd,
      statePath,
      env: {
        ...process.env,
        PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
        CONFLUENT_CLOUD_ENDPOINT: emu.url,
        CONFLUENT_CLOUD_API_KEY: emu.apiKey,
        CONFLUENT_CLOUD_API_SECRET: emu.apiSecret,
      },
    });

  it("exports a valid deployment holding no secret value, and imports it back for a no-change preview", async () => {
    const original = path.join(cwd, "original.json");
    const up = await run("up", original);
    expect(up.errors).toEqual([]);
    const state = loadState(original, "stack-export", "dev", env);
    const secret = (state.resources.find((r) => r.name === "key")?.outputs.secret as { value: string }).value;
    expect(secret.length).toBeGreaterThan(8);

    const file = path.join(cwd, "deployment.json");
    const out: string[] = [];
    const err: string[] = [];
    const say = (s: string): number => out.push(s);
    const complain = (s: string): number => err.push(s);
    expect(
      stackCommand(["export", "--cwd", cwd, "--state", original, "--file", file], say, complain, env),
    ).toBe(0);
    expect(err).toEqual([]);
    expect(out).toEqual([
      `wrote stack dev (2 resources) to ${file}; take it over with: pulumi stack import --stack dev --file ${file}\n`,
    ]);
    const text = fs.readFileSync(file, "utf8");
    expect(text).not.toContain(secret);
    expect(text).not.toContain(emu.apiSecret);
    expect(schemas.validate(DEPLOYMENTS_ID, JSON.parse(text))).toEqual([]);
    // The serialized provider each dynamic resource needs is there, as the engine stores it.
    const dep = JSON.parse(text) as Deployment;
    const key = dep.deployment.resources.find((r) => r.urn.endsWith("::key"));
    expect(key?.inputs?.__provider).toBe(state.resources.find((r) => r.name === "key")?.provider);
    expect(key?.provider).toMatch(/^urn:pulumi:dev::stack-export::pulumi:providers:pulumi-nodejs::default::/);

    const imported = path.join(cwd, "imported.json");
    out.length = 0;
    expect(
      stackCommand(["import", "--cwd", cwd, "--state", imported, "--file", file], say, complain, env),
    ).toBe(0);
    expect(err).toEqual([]);
    expect(out).toEqual([`imported 2 resources of stack dev into ${imported}\n`]);
    expect(loadState(imported, "stack-export", "dev", env)).toEqual(state);
    expect(fs.readFileSync(imported, "utf8")).not.toContain(secret);

    // Importing over a state that holds resources needs --force.
    expect(
      stackCommand(["import", "--cwd", cwd, "--state", imported, "--file", file], say, complain, env),
    ).toBe(1);
    expect(err).toEqual([
      `confluent-iam: stack import: ${imported} already holds 2 resources of stack dev; stack import replaces ` +
        "them: export them first, then pass --force\n",
    ]);

    const preview = await run("preview", imported);
    expect(preview.errors).toEqual([]);
    expect(preview.steps).toEqual([]);
    expect(preview.summary).toEqual(
      expect.objectContaining({ create: 0, update: 0, replace: 0, delete: 0, same: 2 }),
    );
  });

  it("usage errors name the fix", () => {
    const err: string[] = [];
    expect(
      stackCommand(
        ["import", "--cwd", cwd],
        () => 0,
        (s) => err.push(s),
        env,
      ),
    ).toBe(2);
    expect(err).toEqual([
      "confluent-iam: stack import: --file is required; usage: confluent-iam stack export [--stack NAME] " +
        "[--file F] | confluent-iam stack import [--stack NAME] --file F [--force] (both: [--cwd DIR] [--state FILE])\n",
    ]);
  });
});
