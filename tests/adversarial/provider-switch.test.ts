/**
 * Issue 30, defect 4: a resource's `Provider` switched to another organization. Before the fix the update
 * stored the new credentials without a call, so the next `destroy` sent its DELETEs to the other
 * organization, got 404s, and reported objects deleted that still lived in the first one.
 *
 * Two emulators are the two organizations (each accepts only its own key). The program's objects live in A;
 * switching its Provider to B must fail naming the object and the way out, write nothing to B, keep A's
 * credentials in the state, and leave `destroy` deleting them in A for real.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { defaultSeed, startEmulator, type LogEntry, type RunningEmulator } from "../../emulator";
import { runLifecycle, type Command, type LifecycleResult } from "../../runner";
import { loadState } from "../../runner/state";

const fixture = path.join(__dirname, "fixtures", "provider-switch");
const PROJECT = "adversarial-provider-switch";
// Obviously fake credentials, one pair per emulator: each accepts only its own.
const A = { apiKey: "SWITCHAKEYFAKE01", apiSecret: "switch-a-fake-secret-not-real-01" };
const B = { apiKey: "SWITCHBKEYFAKE02", apiSecret: "switch-b-fake-secret-not-real-02" };
// The stack's own credentials (a third organization no object uses): the runner needs some to start.
const D = { apiKey: "SWITCHDKEYFAKE03", apiSecret: "switch-d-fake-secret-not-real-03" };

let a: RunningEmulator;
let b: RunningEmulator;
let d: RunningEmulator;
let dir: string;
let statePath: string;

async function control(emu: RunningEmulator, method: string, p: string): Promise<unknown> {
  const res = await fetch(`${emu.url}${p}`, {
    method,
    headers: { authorization: `Basic ${Buffer.from(`${emu.apiKey}:${emu.apiSecret}`).toString("base64")}` },
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as unknown) : undefined;
}
const calls = async (emu: RunningEmulator): Promise<string[]> =>
  ((await control(emu, "GET", "/_emulator/requests")) as { data: LogEntry[] }).data.map(
    (e) => `${e.method} ${e.path} ${e.api_key} ${e.status}`,
  );
const clearLogs = async (): Promise<void> => {
  for (const emu of [a, b]) await control(emu, "DELETE", "/_emulator/requests");
};
const dump = async (emu: RunningEmulator) =>
  (await control(emu, "GET", "/_emulator/dump")) as {
    service_accounts?: { id: string }[];
    role_bindings?: { id: string }[];
  };

function run(command: Command, org: RunningEmulator, creds: typeof A, description = "first") {
  return runLifecycle(command, {
    cwd: fixture,
    statePath,
    config: [
      `endpoint=${org.url}`,
      `key=${creds.apiKey}`,
      `secret=${creds.apiSecret}`,
      `description=${description}`,
    ],
    env: {
      ...process.env,
      CONFLUENT_CLOUD_ENDPOINT: d.url,
      CONFLUENT_CLOUD_API_KEY: D.apiKey,
      CONFLUENT_CLOUD_API_SECRET: D.apiSecret,
    },
  });
}
const storedKey = (name: string): unknown =>
  loadState(statePath, PROJECT, "dev").resources.find((r) => r.name === name)?.outputs.cloudApiKey;

let saId = "";
let rbId = "";

beforeAll(async () => {
  a = await startEmulator({
    port: 0,
    ...A,
    seed: { ...defaultSeed, organization_id: "a0a0cafe-0000-4000-8000-00000000000a" },
  });
  b = await startEmulator({
    port: 0,
    ...B,
    seed: { ...defaultSeed, organization_id: "b1b1cafe-0000-4000-8000-00000000000b" },
  });
  d = await startEmulator({ port: 0, ...D });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "provider-switch-"));
  statePath = path.join(dir, "dev.json");
  const r = await run("up", a, A);
  expect(r.errors).toEqual([]);
  const made = await dump(a);
  saId = made.service_accounts?.[0]?.id ?? "";
  rbId = made.role_bindings?.[0]?.id ?? "";
  expect(saId).toMatch(/^sa-/);
  expect(rbId).toMatch(/^rb-/);
});
afterAll(async () => {
  await Promise.all([a, b, d].map((e) => e?.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The failure each object's update must give, naming the call that found nothing in B. */
function expectMovedError(result: LifecycleResult, kind: string, id: string, call: string): void {
  const message =
    `${kind} ${id} was not found with the new credentials or endpoint (${call} on ${b.url} answered ` +
    `404): it belongs to the organization of the credentials it was created or adopted with, not to the new ` +
    `Provider's. Nothing was changed and the stack keeps the old credentials for it. To keep managing it ` +
    `where it is, give the resource its old Provider back. To manage it with the new Provider instead, take ` +
    `it out of this stack's state (pulumi state delete <its URN>; the object itself stays), then either let ` +
    `the next up create it with the new Provider, or adopt the new organization's object with the resource ` +
    `option { import: "<id>" }.`;
  expect(result.errors.some((e) => e.includes(message))).toBe(true);
}

it("switching the Provider to another organization fails, reads B once per object and writes nothing", async () => {
  await clearLogs();
  const r = await run("up", b, B);
  expect(r.exitCode).toBe(1);
  expect(r.steps.filter((s) => s.status === "failed").map((s) => `${s.op} ${s.name}`)).toEqual([
    "update app",
  ]);
  expectMovedError(r, "ServiceAccount", saId, `GET /iam/v2/service-accounts/${saId}`);
  // B saw one read of the account, with B's key, and nothing else; A saw nothing.
  expect(await calls(b)).toEqual([`GET /iam/v2/service-accounts/${saId} ${B.apiKey} 404`]);
  expect(await calls(a)).toEqual([]);
  // The state still names A's key for both objects.
  expect(storedKey("app")).toEqual(expect.objectContaining({ value: A.apiKey }));
  expect(storedKey("app-env-admin")).toEqual(expect.objectContaining({ value: A.apiKey }));
});

it("a switch together with an edit fails the same way before any write to either organization", async () => {
  await clearLogs();
  const r = await run("up", b, B, "second");
  expect(r.exitCode).toBe(1);
  expectMovedError(r, "ServiceAccount", saId, `GET /iam/v2/service-accounts/${saId}`);
  expect((await calls(b)).filter((c) => !c.startsWith("GET "))).toEqual([]);
  expect(await calls(a)).toEqual([]);
});

it("destroy after the refused switch deletes the objects in A, where they live, and reports nothing false", async () => {
  await clearLogs();
  const r = await run("destroy", b, B);
  expect(r.errors).toEqual([]);
  expect(r.exitCode).toBe(0);
  expect((await calls(a)).filter((c) => c.startsWith("DELETE ")).sort()).toEqual(
    [
      `DELETE /iam/v2/role-bindings/${rbId} ${A.apiKey} 200`,
      `DELETE /iam/v2/service-accounts/${saId} ${A.apiKey} 204`,
    ].sort(),
  );
  expect(await calls(b)).toEqual([]);
  const left = await dump(a);
  expect(left.service_accounts ?? []).toEqual([]);
  expect(left.role_bindings ?? []).toEqual([]);
});
