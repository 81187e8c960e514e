/**
 * Issue 16, part 1: one program (tests/runner/fixtures/two-orgs) manages objects in two emulators (two
 * "organizations") through two Providers — given directly, and to component parents through `provider`
 * and `providers` — plus one object without a Provider (environment credentials, a third emulator), and a
 * lookup through a Provider. Through up, a no-change up, refresh, an edit, a key rotation and destroy,
 * every request is checked against each emulator's request log: the right emulator, the right API key.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { defaultSeed, startEmulator, type LogEntry, type RunningEmulator } from "../../emulator";
import { runLifecycle, type Command, type LifecycleResult } from "../../runner";
import { loadState, type StackState } from "../../runner/state";

const fixture = path.join(__dirname, "fixtures", "two-orgs");
const PROJECT = "runner-two-orgs";
const ORG_A = "a0a0cafe-0000-4000-8000-00000000000a";
const ORG_B = "b1b1cafe-0000-4000-8000-00000000000b";
// Obviously fake credentials, different per emulator: each emulator accepts only its own.
const A = { apiKey: "ORGAKEYFAKE00001", apiSecret: "org-a-fake-secret-not-real-0001" };
const B = { apiKey: "ORGBKEYFAKE00002", apiSecret: "org-b-fake-secret-not-real-0002" };
const D = { apiKey: "DEFAULTKEYFAKE03", apiSecret: "default-fake-secret-not-real-03" };

let a: RunningEmulator;
let b: RunningEmulator;
let d: RunningEmulator;
let dir: string;
let statePath: string;
/** org A's key in use (rotated by a test below). */
let aKey = A;

async function control(emu: RunningEmulator, method: string, p: string, body?: unknown): Promise<unknown> {
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
const log = async (emu: RunningEmulator): Promise<LogEntry[]> =>
  ((await control(emu, "GET", "/_emulator/requests")) as { data: LogEntry[] }).data;
const clearLogs = async (): Promise<void> => {
  for (const emu of [a, b, d]) await control(emu, "DELETE", "/_emulator/requests");
};
/** `METHOD path key status` of each logged request. */
const calls = async (emu: RunningEmulator): Promise<string[]> =>
  (await log(emu)).map((e) => `${e.method} ${e.path} ${e.api_key} ${e.status}`);
const names = async (emu: RunningEmulator): Promise<string[]> =>
  (
    ((await control(emu, "GET", "/_emulator/dump")) as { service_accounts: { display_name: string }[] })
      .service_accounts ?? []
  )
    .map((s) => s.display_name)
    .sort();

function run(command: Command, step = 1): Promise<LifecycleResult> {
  return runLifecycle(command, {
    cwd: fixture,
    statePath,
    config: [
      `step=${step}`,
      `aEndpoint=${a.url}`,
      `aKey=${aKey.apiKey}`,
      `aSecret=${aKey.apiSecret}`,
      `bEndpoint=${b.url}`,
      `bKey=${B.apiKey}`,
      `bSecret=${B.apiSecret}`,
    ],
    env: {
      ...process.env,
      CONFLUENT_CLOUD_ENDPOINT: d.url,
      CONFLUENT_CLOUD_API_KEY: D.apiKey,
      CONFLUENT_CLOUD_API_SECRET: D.apiSecret,
    },
  });
}
const state = (): StackState => loadState(statePath, PROJECT, "dev");
const stateText = (): string => fs.readFileSync(statePath, "utf8");
const byName = (st: StackState, name: string) => {
  const r = st.resources.find((x) => x.name === name);
  if (r === undefined) throw new Error(`no ${name} in state`);
  return r;
};
const A_OBJECTS = ["a-sa", "a-team-sa", "a-team-rb"];
const B_OBJECTS = ["b-sa", "b-team-sa", "b-team-rb"];

beforeAll(async () => {
  // RBAC off in org A: the key made below (owned by a user with no role) may do everything.
  a = await startEmulator({ port: 0, ...A, rbac: false, seed: { ...defaultSeed, organization_id: ORG_A } });
  b = await startEmulator({ port: 0, ...B, seed: { ...defaultSeed, organization_id: ORG_B } });
  d = await startEmulator({ port: 0, ...D });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "two-orgs-"));
  statePath = path.join(dir, "dev.json");
});
afterAll(async () => {
  await Promise.all([a, b, d].map((e) => e?.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});

it("up creates each object in its own organization with that organization's key", async () => {
  const r = await run("up");
  expect(r.errors).toEqual([]);
  expect(r.exitCode).toBe(0);
  expect(await names(a)).toEqual(["a-app", "a-team-app"]);
  expect(await names(b)).toEqual(["b-app", "b-team-app"]);
  expect(await names(d)).toEqual(["default-app"]);
  // Every request reached its emulator with its key, and none was refused.
  for (const [emu, key] of [
    [a, A.apiKey],
    [b, B.apiKey],
    [d, D.apiKey],
  ] as const) {
    const entries = await log(emu);
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.filter((e) => e.api_key !== key || e.status >= 400)).toEqual([]);
  }
  // org B's role binding was built from the lookup through org B's Provider.
  expect(await calls(b)).toContain(`GET /org/v2/organizations ${B.apiKey} 200`);
  expect(r.outputs.orgBId).toBe(ORG_B);
  const bindings = (
    (await control(b, "GET", "/_emulator/dump")) as { role_bindings: { crn_pattern: string }[] }
  ).role_bindings;
  expect(bindings.map((x) => x.crn_pattern)).toEqual([
    `crn://confluent.cloud/organization=${ORG_B}/environment=env-demo01`,
  ]);
  // The Providers are components in state; children of the components carry the credentials.
  const st = state();
  expect(byName(st, "org-a").component).toBe(true);
  expect(byName(st, "org-a").type).toBe("confluent-iam:index:Provider");
});

it("the state holds the Provider's credentials only encrypted, and no __provider text holds them", async () => {
  const text = stateText();
  for (const secret of [A.apiKey, A.apiSecret, B.apiKey, B.apiSecret, D.apiKey, D.apiSecret]) {
    expect(text).not.toContain(secret);
  }
  const st = state();
  for (const name of [...A_OBJECTS, ...B_OBJECTS]) {
    const r = byName(st, name);
    const creds = name.startsWith("a-") ? A : B;
    // Decrypted: secret wire values, in the inputs and (for read and delete) in the outputs.
    for (const where of [r.inputs, r.outputs]) {
      expect(where.cloudApiKey).toEqual({
        "4dabf18193072939515e22adb298388d": expect.any(String),
        value: creds.apiKey,
      });
      expect(where.cloudApiSecret).toEqual({
        "4dabf18193072939515e22adb298388d": expect.any(String),
        value: creds.apiSecret,
      });
      expect(where.endpoint).toBe(name.startsWith("a-") ? a.url : b.url);
    }
    expect(r.secretOutputs).toEqual(expect.arrayContaining(["cloudApiKey", "cloudApiSecret"]));
    const providerText = String(r.provider);
    expect(providerText.length).toBeLessThan(2048);
    for (const v of [A.apiKey, A.apiSecret, B.apiKey, B.apiSecret, a.url, b.url]) {
      expect(providerText).not.toContain(v);
    }
  }
  // Without a Provider, the state shape is as before: no provider inputs at all.
  const plain = byName(st, "default-sa");
  for (const k of ["cloudApiKey", "cloudApiSecret", "endpoint"]) {
    expect(plain.inputs).not.toHaveProperty(k);
    expect(plain.outputs).not.toHaveProperty(k);
  }
  expect(plain.secretOutputs).toEqual([]);
});

it("a second up changes nothing; refresh reads each object from its own organization", async () => {
  await clearLogs();
  const again = await run("up");
  expect(again.exitCode).toBe(0);
  expect(again.steps).toEqual([]);
  // The only requests: the lookup, to org B, in the preview and in the update.
  expect(await calls(a)).toEqual([]);
  expect(await calls(b)).toEqual([
    `GET /org/v2/organizations ${B.apiKey} 200`,
    `GET /org/v2/organizations ${B.apiKey} 200`,
  ]);
  expect(await calls(d)).toEqual([]);

  await clearLogs();
  const r = await run("refresh");
  expect(r.errors).toEqual([]);
  expect(r.exitCode).toBe(0);
  const readsOf = async (emu: RunningEmulator, key: string): Promise<void> => {
    const entries = await log(emu);
    expect(entries.filter((e) => e.method !== "GET" || e.api_key !== key || e.status !== 200)).toEqual([]);
  };
  await readsOf(a, A.apiKey);
  await readsOf(b, B.apiKey);
  await readsOf(d, D.apiKey);
  const paths = async (emu: RunningEmulator): Promise<string[]> =>
    (await log(emu)).map((e) => e.path).filter((p) => p.startsWith("/iam/v2/service-accounts"));
  expect((await paths(a)).length).toBeGreaterThan(0);
  expect((await paths(b)).length).toBeGreaterThan(0);
  expect((await paths(d)).length).toBeGreaterThan(0);
  // The stored credentials survive a refresh, as secrets, in the outputs (delete needs them) and the inputs
  // (so the next plan shows nothing added).
  expect(byName(state(), "a-sa").outputs.cloudApiSecret).toEqual(
    expect.objectContaining({ value: A.apiSecret }),
  );
  expect(byName(state(), "a-sa").inputs.cloudApiSecret).toEqual(
    expect.objectContaining({ value: A.apiSecret }),
  );
  expect(stateText()).not.toContain(A.apiSecret);
});

it("an edit PATCHes each organization with its own key", async () => {
  await clearLogs();
  const r = await run("up", 2);
  expect(r.errors).toEqual([]);
  expect(r.exitCode).toBe(0);
  expect(r.steps.map((s) => `${s.op} ${s.name} ${s.diffs.join(",")}`).sort()).toEqual([
    "update a-sa ~description",
    "update a-team-sa ~description",
    "update b-sa ~description",
    "update b-team-sa ~description",
  ]);
  const patches = async (emu: RunningEmulator): Promise<string[]> =>
    (await log(emu)).filter((e) => e.method === "PATCH").map((e) => `${e.api_key} ${e.status}`);
  expect(await patches(a)).toEqual([`${A.apiKey} 200`, `${A.apiKey} 200`]);
  expect(await patches(b)).toEqual([`${B.apiKey} 200`, `${B.apiKey} 200`]);
  expect(await calls(d)).toEqual([]);
});

it("a rotated key updates org A's objects in place after one read each with it, and later calls use it", async () => {
  // A second key of org A, made through its API (the emulator accepts it at once).
  const made = (await control(a, "POST", "/iam/v2/api-keys", {
    spec: { display_name: "rotated", owner: { id: "u-demo01" } },
  })) as { id: string; spec: { secret: string } };
  const rotated = { apiKey: made.id, apiSecret: made.spec.secret };
  aKey = rotated;
  await clearLogs();
  const r = await run("up", 2);
  expect(r.errors).toEqual([]);
  expect(r.exitCode).toBe(0);
  expect(r.steps.map((s) => `${s.op} ${s.name} ${s.diffs.join(",")}`).sort()).toEqual(
    A_OBJECTS.map((n) => `update ${n} ~cloudApiKey,~cloudApiSecret`).sort(),
  );
  expect(r.steps.every((s) => s.replaces.length === 0)).toBe(true);
  // Org A sees one GET per object, with the new key, before the update stores it; nothing else.
  const reads = (await log(a)).map(
    (e) => `${e.method} ${e.path.split("/").slice(0, 4).join("/")} ${e.api_key} ${e.status}`,
  );
  expect(reads.sort()).toEqual(
    [
      `GET /iam/v2/role-bindings ${rotated.apiKey} 200`,
      `GET /iam/v2/service-accounts ${rotated.apiKey} 200`,
      `GET /iam/v2/service-accounts ${rotated.apiKey} 200`,
    ].sort(),
  );
  expect(byName(state(), "a-sa").outputs.cloudApiKey).toEqual(
    expect.objectContaining({ value: rotated.apiKey }),
  );
  expect(stateText()).not.toContain(rotated.apiSecret);
  // The plan output never shows a credential.
  for (const v of [rotated.apiKey, rotated.apiSecret, A.apiSecret]) {
    expect(r.output).not.toContain(v);
    expect(r.stderr).not.toContain(v);
  }
});

it("destroy deletes each object in its own organization with the stored keys", async () => {
  await clearLogs();
  const r = await run("destroy", 2);
  expect(r.errors).toEqual([]);
  expect(r.exitCode).toBe(0);
  const deletes = async (emu: RunningEmulator): Promise<string[]> =>
    (await log(emu))
      .filter((e) => e.method === "DELETE")
      .map((e) => `${e.path.split("/").slice(0, 3).join("/")} ${e.api_key} ${e.status}`)
      .sort();
  // The role binding's DELETE answers 200, the service accounts' 204.
  expect(await deletes(a)).toEqual([
    `/iam/v2 ${aKey.apiKey} 200`,
    `/iam/v2 ${aKey.apiKey} 204`,
    `/iam/v2 ${aKey.apiKey} 204`,
  ]);
  expect(await deletes(b)).toEqual([
    `/iam/v2 ${B.apiKey} 200`,
    `/iam/v2 ${B.apiKey} 204`,
    `/iam/v2 ${B.apiKey} 204`,
  ]);
  expect(await deletes(d)).toEqual([`/iam/v2 ${D.apiKey} 204`]);
  expect(await names(a)).toEqual([]);
  expect(await names(b)).toEqual([]);
  expect(await names(d)).toEqual([]);
});
