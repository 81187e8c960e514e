/**
 * Secrets in the runner's state file, end to end against the emulator: an API key's secret (and a secret
 * stack output) is stored encrypted with the stack's passphrase, refresh, an update and destroy read it
 * back; with no passphrase `up` of a program with a secret stops before any API call; a wrong passphrase is
 * an error naming the state file; a program with no secret needs no passphrase.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { runLifecycle, type LifecycleResult } from "../../runner";
import { loadState } from "../../runner/state";
import { EmulatorApi } from "../../testing/emulator-api";

const PROJECT = "state-secrets";
const PASSPHRASE = "fake-passphrase-for-state-secrets";
const HOW =
  "set PULUMI_CONFIG_PASSPHRASE to the passphrase, or PULUMI_CONFIG_PASSPHRASE_FILE to a file containing it";

let emu: RunningEmulator;
let api: EmulatorApi;
let dir: string;

function program(description: string, withKey = true): string {
  return `import * as confluentcloud from "pulumi-confluent-iam";

const sa = new confluentcloud.ServiceAccount("sa", { displayName: "state-secrets-sa", description: ${JSON.stringify(description)} });
export const serviceAccountId = sa.id;
${
  withKey
    ? `const key = new confluentcloud.ApiKey("key", {
  displayName: "state-secrets-key",
  owner: { id: sa.id, apiVersion: sa.apiVersion, kind: sa.kind },
});
export const keyId = key.id;
export const keySecret = key.secret;`
    : ""
}
`;
}

/** The environment without the machine's Confluent credentials or passphrase, plus `extra`. */
function envWith(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env))
    if (k.startsWith("CONFLUENT_CLOUD_") || k.startsWith("PULUMI_CONFIG_")) delete env[k];
  return {
    ...env,
    CONFLUENT_CLOUD_ENDPOINT: emu.url,
    CONFLUENT_CLOUD_API_KEY: emu.apiKey,
    CONFLUENT_CLOUD_API_SECRET: emu.apiSecret,
    ...extra,
  };
}

function run(
  command: "preview" | "up" | "refresh" | "destroy",
  cwd: string,
  extra: Record<string, string> = { PULUMI_CONFIG_PASSPHRASE: PASSPHRASE },
): Promise<LifecycleResult> {
  return runLifecycle(command, { cwd, statePath: path.join(cwd, "dev.json"), env: envWith(extra) });
}

function projectDir(source: string): string {
  const d = fs.mkdtempSync(path.join(dir, "p-"));
  fs.writeFileSync(path.join(d, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\nmain: index.ts\n`);
  fs.writeFileSync(path.join(d, "index.ts"), source);
  return d;
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  api = new EmulatorApi(emu);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "state-secrets-"));
});
afterAll(async () => {
  await emu?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("an API key's secret in the state file", () => {
  let cwd = "";
  let secret = "";
  const stateText = (): string => fs.readFileSync(path.join(cwd, "dev.json"), "utf8");

  it("up stores it encrypted: the file holds no secret value, and reading with the passphrase gives it back", async () => {
    cwd = projectDir(program("first"));
    const r = await run("up", cwd);
    expect(r.errors).toEqual([]);
    expect(r.summary).toEqual(expect.objectContaining({ create: 2, failed: 0 }));
    const state = loadState(path.join(cwd, "dev.json"), PROJECT, "dev", {
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    });
    const key = state.resources.find((x) => x.name === "key");
    const value = (key?.outputs.secret as { value?: unknown } | undefined)?.value;
    expect(typeof value).toBe("string");
    secret = value as string;
    expect(secret.length).toBeGreaterThan(8);
    const text = stateText();
    expect(text).not.toContain(secret);
    expect(text).not.toContain(emu.apiSecret);
    expect(text).toContain('"ciphertext": "v1:');
    // The stack output keySecret is a secret too: encrypted.
    expect(state.outputs.keySecret).toEqual({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      value: secret,
    });
  });

  it("refresh, an update and destroy read it back and keep it encrypted", async () => {
    const refreshed = await run("refresh", cwd);
    expect(refreshed.errors).toEqual([]);
    expect(stateText()).not.toContain(secret);

    fs.writeFileSync(path.join(cwd, "index.ts"), program("second"));
    const updated = await run("up", cwd);
    expect(updated.errors).toEqual([]);
    expect(updated.summary).toEqual(expect.objectContaining({ update: 1, same: 1, failed: 0 }));
    expect(stateText()).not.toContain(secret);
    const state = loadState(path.join(cwd, "dev.json"), PROJECT, "dev", {
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    });
    expect(state.resources.find((x) => x.name === "key")?.outputs.secret).toEqual(
      expect.objectContaining({ value: secret }),
    );

    const wrong = await run("preview", cwd, { PULUMI_CONFIG_PASSPHRASE: "fake-wrong-passphrase" });
    expect(wrong.ok).toBe(false);
    expect(wrong.errors).toEqual([
      `${path.join(cwd, "dev.json")}: incorrect passphrase: it does not open the secrets of this state; set ` +
        "PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) to the passphrase its secrets were stored with",
    ]);

    const destroyed = await run("destroy", cwd);
    expect(destroyed.errors).toEqual([]);
    expect(destroyed.summary).toEqual(expect.objectContaining({ delete: 2, failed: 0 }));
    expect(loadState(path.join(cwd, "dev.json"), PROJECT, "dev", {}).resources).toEqual([]);
  });
});

describe("no passphrase", () => {
  it("up of a program with a secret stops before any API call, saying how to set one", async () => {
    const cwd = projectDir(program("no passphrase"));
    await api.clearLog();
    const r = await run("up", cwd, {});
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual([
      `urn:pulumi:dev::${PROJECT}::pulumi-nodejs:dynamic/confluent:ApiKey::key: secret values (secret) must be ` +
        `stored encrypted in the state and no passphrase is set; ${HOW}`,
    ]);
    expect((await api.calls()).filter((c) => !c.startsWith("GET "))).toEqual([]);
    expect(fs.existsSync(path.join(cwd, "dev.json"))).toBe(false);
  });

  it("up and destroy of a program with no secret work as before", async () => {
    const cwd = projectDir(program("no secret", false));
    const up = await run("up", cwd, {});
    expect(up.errors).toEqual([]);
    expect(up.summary).toEqual(expect.objectContaining({ create: 1, failed: 0 }));
    expect(JSON.parse(fs.readFileSync(path.join(cwd, "dev.json"), "utf8"))).not.toHaveProperty(
      "secretsProviders",
    );
    const down = await run("destroy", cwd, {});
    expect(down.errors).toEqual([]);
    expect(down.summary).toEqual(expect.objectContaining({ delete: 1, failed: 0 }));
  });
});
