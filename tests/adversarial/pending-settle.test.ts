/**
 * Issue 30, defect 3: an `up` first settles the creates an interrupted run left pending (the state's
 * `pendingOperations`), before anything is planned, with the exact calls below. The interrupted state is
 * made from the state of a complete run (fixtures/pending-small: a service account and its API key): both
 * entries are moved back into pending creates, as a run killed after the API made both objects and before
 * the runner recorded them would leave them.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { runLifecycle } from "../../runner";
import { loadState, saveState, type StackState } from "../../runner/state";
import { EmulatorApi } from "../../testing/emulator-api";

const program = path.join(__dirname, "fixtures", "pending-small");
const PASSPHRASE = "pending-settle-passphrase-not-a-secret";

let emu: RunningEmulator;
let api: EmulatorApi;
let dir: string;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, rbac: false });
  api = new EmulatorApi(emu);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pending-settle-"));
});

afterAll(async () => {
  await emu.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const env = (): NodeJS.ProcessEnv => ({
  ...process.env,
  CONFLUENT_CLOUD_ENDPOINT: emu.url,
  CONFLUENT_CLOUD_API_KEY: emu.apiKey,
  CONFLUENT_CLOUD_API_SECRET: emu.apiSecret,
  PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
  CONFLUENT_IAM_RECONCILE_WAIT_MS: "60",
});

/** The state with the entries named in `urns` moved back into pending creates sent at `startedAt`. */
function interrupted(state: StackState, names: string[], startedAt: string): StackState {
  const moved = state.resources.filter((r) => names.includes(r.name));
  return {
    ...state,
    resources: state.resources.filter((r) => !names.includes(r.name)),
    pendingOperations: moved.map((r) => ({
      type: "creating" as const,
      startedAt,
      resource: { ...r, id: "", outputs: {} },
    })),
  };
}

it("a pending create whose service account exists is adopted (no POST); one whose key exists (secret lost) deletes that key, with a line, and the up makes it again", async () => {
  const statePath = path.join(dir, "adopt.json");
  const before = new Date(Date.now() - 1000).toISOString();
  const first = await runLifecycle("up", { cwd: program, statePath, env: env(), skipPreview: true });
  expect(first.errors).toEqual([]);
  const done = loadState(statePath, "pending-small", "dev", env());
  const saId = done.resources.find((r) => r.name === "sa")!.id;
  const oldKey = done.resources.find((r) => r.name === "key")!.id;
  saveState(statePath, interrupted(done, ["sa", "key"], before), env());

  await api.clearLog();
  const lines: string[] = [];
  const second = await runLifecycle("up", {
    cwd: program,
    statePath,
    env: env(),
    skipPreview: true,
    onLine: (l) => lines.push(l),
  });
  expect(second.errors).toEqual([]);
  const after = loadState(statePath, "pending-small", "dev", env());
  expect(after.pendingOperations).toBeUndefined();
  const newKey = after.resources.find((r) => r.name === "key")!.id;
  expect(after.resources.find((r) => r.name === "sa")!.id).toBe(saId);
  expect(newKey).not.toBe(oldKey);
  const writes = (await api.calls()).filter((c) => !c.startsWith("GET"));
  expect(writes).toEqual([`DELETE /iam/v2/api-keys/${oldKey}`, "POST /iam/v2/api-keys"]);
  expect((await api.dump()).api_keys!.map((k) => k.id)).toEqual([newKey]);
  const urn = (name: string, type: string): string =>
    `urn:pulumi:dev::pending-small::pulumi-nodejs:dynamic/confluent:${type}::${name}`;
  expect(lines).toEqual(
    expect.arrayContaining([
      "Settling 2 operations an interrupted run left unfinished:",
      `    ${urn("sa", "ServiceAccount")}: adopted ${saId}, which the interrupted create made`,
      `    ${urn("key", "ApiKey")}: nothing the interrupted create made is kept; the record is cleared`,
      `    [provider] confluent-iam: ApiKey: ${oldKey} was made by a create that was interrupted before its ` +
        "answer was kept, and its secret was only in that answer, so it cannot be used; deleting it and " +
        "creating the API key again",
    ]),
  );
  expect(second.summary).toMatchObject({ create: 1, same: 1, failed: 0 });
});

it("a service account of the same name made before the interrupted create was sent is not adopted: the record is cleared and the create meets the 409 advice", async () => {
  await api.reset();
  const statePath = path.join(dir, "theirs.json");
  const first = await runLifecycle("up", { cwd: program, statePath, env: env(), skipPreview: true });
  expect(first.errors).toEqual([]);
  const done = loadState(statePath, "pending-small", "dev", env());
  const theirs = done.resources.find((r) => r.name === "sa")!.id;
  // Sent two seconds after the service account was made: it is someone else's.
  saveState(statePath, interrupted(done, ["sa"], new Date(Date.now() + 2000).toISOString()), env());
  await api.clearLog();
  const lines: string[] = [];
  const second = await runLifecycle("up", {
    cwd: program,
    statePath,
    env: env(),
    skipPreview: true,
    onLine: (l) => lines.push(l),
  });
  expect(second.ok).toBe(false);
  expect(lines).toContain(
    `    [provider] confluent-iam: ServiceAccount: ${theirs} has display name "pending-small-sa" but is not ` +
      "what the interrupted create made: it was created before this create request reached the API (by the " +
      "API's clock)",
  );
  expect(second.errors.join("\n")).toContain(`{ import: "${theirs}" }`);
  const after = loadState(statePath, "pending-small", "dev", env());
  expect(after.pendingOperations).toBeUndefined();
  expect(after.resources.map((r) => r.id)).not.toContain(theirs);
  expect((await api.dump()).service_accounts!.map((s) => s.id)).toEqual([theirs]);
});

it("preview lists the pending operations and calls nothing for them; an up that cannot settle one stops before anything else", async () => {
  await api.reset();
  const statePath = path.join(dir, "stuck.json");
  const first = await runLifecycle("up", { cwd: program, statePath, env: env(), skipPreview: true });
  expect(first.errors).toEqual([]);
  const done = loadState(statePath, "pending-small", "dev", env());
  const startedAt = "2026-12-07T22:00:00.000Z";
  saveState(statePath, interrupted(done, ["key"], startedAt), env());
  const keyUrn = "urn:pulumi:dev::pending-small::pulumi-nodejs:dynamic/confluent:ApiKey::key";

  await api.clearLog();
  const preview = await runLifecycle("preview", { cwd: program, statePath, env: env() });
  expect(preview.output).toContain(
    "1 operation of an interrupted run is not settled yet; the next up settles it before anything else:\n" +
      `    creating ${keyUrn} (since ${startedAt})\n`,
  );
  // The preview's one call: the credential check.
  expect(await api.calls()).toEqual(["GET /org/v2/environments"]);
  expect(loadState(statePath, "pending-small", "dev", env()).pendingOperations).toHaveLength(1);

  // The API cannot be reached: nothing is planned, the record stays.
  const unreachable = {
    ...env(),
    CONFLUENT_CLOUD_ENDPOINT: "http://127.0.0.1:9",
    CONFLUENT_IAM_RETRY_BASE_MS: "1",
    CONFLUENT_IAM_RETRY_MAX_MS: "5",
  };
  const stuck = await runLifecycle("up", { cwd: program, statePath, env: unreachable, skipPreview: true });
  expect(stuck.ok).toBe(false);
  expect(stuck.errors).toHaveLength(1);
  expect(stuck.errors[0]).toMatch(
    new RegExp(
      `^${keyUrn.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: the interrupted create could not be settled: `,
    ),
  );
  expect(stuck.output).toContain(
    "Stopped: nothing else was done, so that no object is made twice; fix the cause and run the command again.",
  );
  expect(stuck.steps).toEqual([]);
  expect(loadState(statePath, "pending-small", "dev", env()).pendingOperations).toHaveLength(1);
});
