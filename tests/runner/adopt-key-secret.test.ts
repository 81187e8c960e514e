/**
 * Issue 32 item 5 through the runner: a program adopts an existing API key with its secret from stack config
 * (`config.requireSecret`). `up` makes one read of the key and one probe with it, the stack output is the
 * secret (shown `[secret]`), and neither the state file nor `stack export` holds the secret in plain text.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type LogEntry, type RunningEmulator } from "../../emulator";
import { runLifecycle } from "../../runner";
import { loadState } from "../../runner/state";
import { stackCommand } from "../../runner/stack-command";

const fixture = path.join(__dirname, "fixtures", "adopt-key-secret");
let emu: RunningEmulator;
let dir: string;
let statePath: string;

async function api(method: string, p: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${emu.url}${p}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${emu.apiKey}:${emu.apiSecret}`).toString("base64")}`,
      "content-type": "application/json",
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as unknown) : undefined;
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "adopt-key-secret-"));
  statePath = path.join(dir, "dev.json");
});
afterAll(async () => {
  await emu?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it("up adopts the key with its secret: one read, one probe; the secret is stored only encrypted", async () => {
  const owner = (
    (await api("POST", "/iam/v2/service-accounts", { display_name: "kept-owner" })) as { id: string }
  ).id;
  const key = (await api("POST", "/iam/v2/api-keys", {
    spec: { display_name: "kept-key", description: "", owner: { id: owner } },
  })) as { id: string; spec: { secret: string } };
  await api("DELETE", "/_emulator/requests");
  const env = {
    ...process.env,
    CONFLUENT_CLOUD_ENDPOINT: emu.url,
    CONFLUENT_CLOUD_API_KEY: emu.apiKey,
    CONFLUENT_CLOUD_API_SECRET: emu.apiSecret,
  };
  const r = await runLifecycle("up", {
    cwd: fixture,
    statePath,
    config: [`keyId=${key.id}`, `owner=${owner}`, `keySecret=${key.spec.secret}`],
    env,
  });
  expect(r.errors).toEqual([]);
  expect(r.exitCode).toBe(0);
  expect(r.outputs.keySecret).toBe("[secret]");
  const log = ((await api("GET", "/_emulator/requests")) as { data: LogEntry[] }).data;
  expect(log.map((e) => `${e.method} ${e.path} ${e.api_key} ${e.status}`)).toEqual([
    `GET /iam/v2/api-keys/${key.id} ${emu.apiKey} 200`,
    // The owner has no role (RBAC is on): 403 is an authenticated caller's answer.
    `GET /org/v2/environments ${key.id} 403`,
  ]);
  expect(r.output).not.toContain(key.spec.secret);
  expect(r.stderr).not.toContain(key.spec.secret);

  // The state holds it as input and output, encrypted only.
  expect(fs.readFileSync(statePath, "utf8")).not.toContain(key.spec.secret);
  const st = loadState(statePath, "runner-adopt-key-secret", "dev");
  const res = st.resources.find((x) => x.name === "kept-key");
  expect(res?.inputs.secret).toEqual(expect.objectContaining({ value: key.spec.secret }));
  expect(res?.outputs.secret).toEqual(expect.objectContaining({ value: key.spec.secret }));

  // stack export: the secret is encrypted for the passphrase provider, never in plain text.
  let exported = "";
  const code = stackCommand(
    ["export", "--cwd", fixture, "--state", statePath],
    (s) => void (exported += s),
    () => undefined,
  );
  expect(code).toBe(0);
  expect(exported).toContain(key.id);
  expect(exported).not.toContain(key.spec.secret);
});
