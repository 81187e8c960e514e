/**
 * Credentials are checked at the start of preview and up, before anything is planned: missing ones stop
 * with the two ways to set them; at preview, one GET /org/v2/environments?page_size=1 checks them, and a 401
 * names where the key and secret came from (never their values).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { runLifecycle, type LifecycleResult } from "../../runner";
import { NO_CREDENTIALS_MESSAGE, programUsesPackage } from "../../runner/credentials";
import { EmulatorApi } from "../../testing/emulator-api";

let emu: RunningEmulator;
let api: EmulatorApi;
const dirs: string[] = [];

// Passphrase "fake-passphrase-for-tests", salt 00..07 (the vectors of passphrase.test.ts); the secure value is
// "fake-cloud-secret", which the emulator does not accept.
const encryptionSalt = "v1:AAECAwQFBgc=:v1:AAAAAAAAAAAAAAAB:qdyZCBKl7uREjD++XkL6NhO9ZCwteg==";
const wrongSecretSecure = "v1:CgsMDQ4PEBESExQV:9ioqdIOjK65MXFcXK+Cxne6i+5ZiEp+9EpU4G4PZMii4";

function project(stackYaml?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "credentials-"));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: creds\nruntime: nodejs\nmain: index.ts\n");
  fs.writeFileSync(
    path.join(dir, "index.ts"),
    'import * as confluentcloud from "pulumi-confluent-iam";\n' +
      'new confluentcloud.ServiceAccount("app", { displayName: "app", description: "the app" });\n',
  );
  if (stackYaml !== undefined) fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), stackYaml);
  fs.symlinkSync(path.resolve(__dirname, "../../node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

/** The environment without any Confluent credentials or passphrase of the machine running the tests. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env))
    if (k.startsWith("CONFLUENT_CLOUD_") || k.startsWith("PULUMI_CONFIG_")) delete env[k];
  return { ...env, ...extra };
}

function run(command: "preview" | "up", dir: string, env: NodeJS.ProcessEnv): Promise<LifecycleResult> {
  return runLifecycle(command, { cwd: dir, statePath: path.join(dir, "state.json"), env });
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  api = new EmulatorApi(emu);
});
afterAll(async () => {
  await emu?.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

it("finds the programs that use this package (and leaves others alone)", () => {
  expect(programUsesPackage(project())).toBe(true);
  expect(programUsesPackage(path.join(__dirname, "fixtures", "items"))).toBe(false);
});

it.each(["preview", "up"] as const)(
  "%s without credentials stops before anything is planned",
  async (command) => {
    const dir = project();
    await api.clearLog();
    const r = await run(command, dir, cleanEnv({ CONFLUENT_CLOUD_ENDPOINT: emu.url }));
    expect(NO_CREDENTIALS_MESSAGE).toBe(
      "Confluent Cloud credentials are not set, so nothing was planned. Set the stack config (confluent-iam " +
        "config set confluentcloud:cloudApiKey <key> and confluent-iam config set --secret " +
        "confluentcloud:cloudApiSecret <secret>, or the same with pulumi config set) or the environment " +
        "variables CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET.",
    );
    expect(r.errors).toEqual([NO_CREDENTIALS_MESSAGE]);
    expect(r.exitCode).toBe(1);
    expect(r.steps).toEqual([]);
    expect(r.output).toBe(`error: ${NO_CREDENTIALS_MESSAGE}\n`);
    expect(fs.existsSync(path.join(dir, "state.json"))).toBe(false);
    expect(await api.calls()).toEqual([]);
  },
);

it("preview with wrong credentials from the environment fails with a 401 naming the variables", async () => {
  const dir = project();
  await api.clearLog();
  const r = await run(
    "preview",
    dir,
    cleanEnv({
      CONFLUENT_CLOUD_ENDPOINT: emu.url,
      CONFLUENT_CLOUD_API_KEY: "FAKEKEY0000000001",
      CONFLUENT_CLOUD_API_SECRET: "fake-wrong-secret",
    }),
  );
  const message =
    `Confluent Cloud rejected the credentials (401 Unauthorized at ${emu.url}): the API key came from ` +
    "environment variable CONFLUENT_CLOUD_API_KEY and the secret from environment variable " +
    "CONFLUENT_CLOUD_API_SECRET. Check that they are a Cloud API key and its secret (not a Kafka cluster " +
    "key), that the key still exists, and that the secret belongs to that key.";
  expect(r.errors).toEqual([message]);
  expect(r.exitCode).toBe(1);
  expect(r.steps).toEqual([]);
  expect(r.output).toBe(`error: ${message}\n`);
  expect(r.output + r.stderr).not.toContain("fake-wrong-secret");
  expect(await api.calls()).toEqual(["GET /org/v2/environments"]);
});

it("preview with a wrong secret from an encrypted stack config value names that config key", async () => {
  const dir = project(
    `encryptionsalt: ${encryptionSalt}\nconfig:\n  confluentcloud:cloudApiSecret:\n    secure: ${wrongSecretSecure}\n`,
  );
  const r = await run(
    "preview",
    dir,
    cleanEnv({
      CONFLUENT_CLOUD_ENDPOINT: emu.url,
      CONFLUENT_CLOUD_API_KEY: emu.apiKey,
      PULUMI_CONFIG_PASSPHRASE: "fake-passphrase-for-tests",
    }),
  );
  expect(r.errors).toEqual([
    `Confluent Cloud rejected the credentials (401 Unauthorized at ${emu.url}): the API key came from ` +
      "environment variable CONFLUENT_CLOUD_API_KEY and the secret from stack config " +
      "confluentcloud:cloudApiSecret. Check that they are a Cloud API key and its secret (not a Kafka cluster " +
      "key), that the key still exists, and that the secret belongs to that key.",
  ]);
  expect(r.output + r.stderr).not.toContain("fake-cloud-secret");
});

it("preview with good credentials makes exactly one call, the credential check, and plans the create", async () => {
  const dir = project();
  await api.clearLog();
  const r = await run(
    "preview",
    dir,
    cleanEnv({
      CONFLUENT_CLOUD_ENDPOINT: emu.url,
      CONFLUENT_CLOUD_API_KEY: emu.apiKey,
      CONFLUENT_CLOUD_API_SECRET: emu.apiSecret,
    }),
  );
  expect(r.errors).toEqual([]);
  expect(r.exitCode).toBe(0);
  expect(r.steps.map((s) => `${s.op} ${s.name}`)).toEqual(["create app"]);
  const log = await api.log();
  expect(log.map((c) => `${c.method} ${c.path}`)).toEqual(["GET /org/v2/environments"]);
});

it("up with wrong credentials: the failed call's 401 is followed by where the key and secret came from", async () => {
  const dir = project(
    `encryptionsalt: ${encryptionSalt}\nconfig:\n  confluentcloud:cloudApiKey: FAKEKEY0000000002\n` +
      `  confluentcloud:cloudApiSecret:\n    secure: ${wrongSecretSecure}\n`,
  );
  await api.clearLog();
  const r = await run(
    "up",
    dir,
    cleanEnv({ CONFLUENT_CLOUD_ENDPOINT: emu.url, PULUMI_CONFIG_PASSPHRASE: "fake-passphrase-for-tests" }),
  );
  const message =
    `Confluent Cloud rejected the credentials (401 Unauthorized at ${emu.url}): the API key came from ` +
    "stack config confluentcloud:cloudApiKey and the secret from stack config confluentcloud:cloudApiSecret. " +
    "Check that they are a Cloud API key and its secret (not a Kafka cluster key), that the key still exists, " +
    "and that the secret belongs to that key.";
  expect(r.exitCode).toBe(1);
  expect(r.steps.map((s) => `${s.op} ${s.name} ${s.status}`)).toEqual(["create app failed"]);
  expect(r.steps[0]?.error).toMatch(
    /^POST \/iam\/v2\/service-accounts failed with 401 Unauthorized: Unauthorized \(request id [0-9a-f-]{36}\)$/,
  );
  expect(r.errors.at(-1)).toBe(message);
  expect(r.output).toContain(`error: ${message}\n`);
  expect(r.output + r.stderr).not.toContain("fake-cloud-secret");
  expect(await api.calls()).toEqual(["POST /iam/v2/service-accounts"]);
});
