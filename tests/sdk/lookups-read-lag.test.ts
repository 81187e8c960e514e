/**
 * Issue 23, read lag, through the lifecycle runner: a program creates a service account and looks it up
 * by id in the same `up`, against an emulator whose GET by id keeps a new object invisible for a while
 * (`--read-lag`). The lookup must wait the lag out, as the provider does, instead of failing `up`.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { runLifecycle } from "../../runner";
import { EmulatorApi } from "../../testing/emulator-api";

// The lag must outlast the time between the create's answer and the lookup's first GET even on a loaded
// machine (seconds), or there is no 404 to wait out; the lookup's window (4 reads, a third of it apart)
// must outlast the lag.
const READ_LAG_MS = 10_000;
const LOOKUP_WINDOW_MS = "18000";

let emu: RunningEmulator;
let api: EmulatorApi;
let dir: string;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, readLagMs: READ_LAG_MS });
  api = new EmulatorApi(emu);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lookup-lag-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: lookup-lag\nruntime: nodejs\nmain: index.ts\n");
  fs.writeFileSync(
    path.join(dir, "index.ts"),
    `import * as confluentcloud from "pulumi-confluent-iam";

const ci = new confluentcloud.ServiceAccount("ci", { displayName: "ci-deployer", description: "CI" });
const found = confluentcloud.getServiceAccountOutput({ id: ci.id });
export const serviceAccountId = ci.id;
export const foundId = found.id;
export const foundName = found.displayName;
`,
  );
});
afterAll(async () => {
  await emu?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

it("up creates the account and the lookup by id finds it despite the read lag", async () => {
  await api.clearLog();
  const r = await runLifecycle("up", {
    cwd: dir,
    statePath: path.join(dir, "dev.json"),
    env: {
      ...process.env,
      CONFLUENT_CLOUD_ENDPOINT: emu.url,
      CONFLUENT_CLOUD_API_KEY: emu.apiKey,
      CONFLUENT_CLOUD_API_SECRET: emu.apiSecret,
      CONFLUENT_IAM_RECONCILE_WAIT_MS: LOOKUP_WINDOW_MS,
    },
  });
  expect(r.errors).toEqual([]);
  expect(r.exitCode).toBe(0);
  const id = r.outputs.serviceAccountId;
  expect(id).toMatch(/^sa-/);
  expect(r.outputs).toEqual({ serviceAccountId: id, foundId: id, foundName: "ci-deployer" });
  // The lookup's GETs by id: one or more 404s while the account is invisible, then the 200.
  const gets = (await api.log())
    .filter((q) => q.method === "GET" && q.path === `/iam/v2/service-accounts/${String(id)}`)
    .map((q) => q.status);
  expect(gets.at(-1)).toBe(200);
  expect(gets.slice(0, -1).length).toBeGreaterThan(0);
  expect(new Set(gets.slice(0, -1))).toEqual(new Set([404]));
}, 240_000);
