/**
 * A migration from @pulumi/confluentcloud end to end, with the lifecycle runner: a service account and its
 * Cloud API key exist already (made out of band, as the official provider left them after
 * `pulumi state delete`); the program declares them with `{ import: id }`. `up` adopts them without a POST,
 * and once the options are removed from the program a second `up` is a no-op.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { runLifecycle, type LifecycleResult } from "../../runner";
import { loadState } from "../../runner/state";
import { EmulatorApi, type LoggedRequest } from "../../testing/emulator-api";

const PROJECT = "adopt-migration";

let emu: RunningEmulator;
let api: EmulatorApi;
let dir: string;
let saId = "";
let keyId = "";

/** The program, with or without the import options. */
function program(imports: { sa: string; key: string } | undefined): string {
  const opt = (id: string | undefined): string =>
    id === undefined ? "" : `, { import: ${JSON.stringify(id)} }`;
  return `import * as confluentcloud from "pulumi-confluent-iam";

const ci = new confluentcloud.ServiceAccount("ci", { displayName: "ci-deployer", description: "CI" }${opt(imports?.sa)});
const key = new confluentcloud.ApiKey(
  "ci-cloud-key",
  {
    displayName: "ci-cloud-key",
    description: "Cloud API key for CI",
    owner: { id: ci.id, apiVersion: ci.apiVersion, kind: ci.kind },
  }${opt(imports?.key)},
);
export const serviceAccountId = ci.id;
export const apiKeyId = key.id;
export const adoptedFrom = key.importId;
`;
}

function run(command: "preview" | "up"): Promise<LifecycleResult> {
  return runLifecycle(command, {
    cwd: dir,
    statePath: path.join(dir, "dev.json"),
    env: {
      ...process.env,
      CONFLUENT_CLOUD_ENDPOINT: emu.url,
      CONFLUENT_CLOUD_API_KEY: emu.apiKey,
      CONFLUENT_CLOUD_API_SECRET: emu.apiSecret,
    },
  });
}

const describeCalls = (log: LoggedRequest[]): string[] => log.map((r) => `${r.method} ${r.path}`).sort();

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  api = new EmulatorApi(emu);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "adopt-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\nmain: index.ts\n`);
  const sa = (await api.ok("POST", "/iam/v2/service-accounts", {
    display_name: "ci-deployer",
    description: "CI",
  })) as { id: string };
  saId = sa.id;
  const key = (await api.ok("POST", "/iam/v2/api-keys", {
    spec: { display_name: "ci-cloud-key", description: "Cloud API key for CI", owner: { id: saId } },
  })) as { id: string };
  keyId = key.id;
  fs.writeFileSync(path.join(dir, "index.ts"), program({ sa: saId, key: keyId }));
});
afterAll(async () => {
  await emu?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

it("preview shows the adoptions as creates and makes only the credential check", async () => {
  await api.clearLog();
  const r = await run("preview");
  expect(r.errors).toEqual([]);
  expect(r.steps.map((s) => `${s.op} ${s.name}`).sort()).toEqual(["create ci", "create ci-cloud-key"]);
  expect(await api.calls()).toEqual(["GET /org/v2/environments"]);
});

it("up adopts both objects with one GET each and zero POSTs; the key's secret is empty", async () => {
  await api.clearLog();
  const r = await run("up");
  expect(r.errors).toEqual([]);
  expect(r.exitCode).toBe(0);
  expect(r.summary).toEqual(expect.objectContaining({ create: 2, failed: 0 }));
  expect(describeCalls(await api.log())).toEqual([
    `GET /iam/v2/api-keys/${keyId}`,
    `GET /iam/v2/service-accounts/${saId}`,
  ]);
  expect(r.outputs).toEqual({ serviceAccountId: saId, apiKeyId: keyId, adoptedFrom: keyId });
  const state = loadState(path.join(dir, "dev.json"), PROJECT, "dev");
  const key = state.resources.find((x) => x.name === "ci-cloud-key");
  expect(key?.id).toBe(keyId);
  // Still a secret in state (additionalSecretOutputs), though empty: it was shown only when the key was made.
  expect(key?.secretOutputs).toContain("secret");
  expect(key?.outputs.secret).toEqual(expect.objectContaining({ value: "" }));
  expect(((await api.dump()).api_keys ?? []).map((k) => k.id)).toEqual([keyId]);
});

it("a second up after removing the import options is a no-op with no API call", async () => {
  fs.writeFileSync(path.join(dir, "index.ts"), program(undefined));
  await api.clearLog();
  const r = await run("up");
  expect(r.errors).toEqual([]);
  expect(r.exitCode).toBe(0);
  expect(r.steps).toEqual([]);
  expect(r.summary.same).toBe(2);
  expect(await api.calls()).toEqual([]);
});
