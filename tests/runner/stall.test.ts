/**
 * A resource that depends on a failed one is never registered, and the Pulumi SDK leaves whatever waits on
 * it (here a stack output) pending for ever. `up` once hung until its run time limit; it must end with the
 * failure reported, the dependent not created, and nothing else claimed.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { runLifecycle } from "../../runner";
import { EmulatorApi } from "../../testing/emulator-api";

const PROGRAM = `import * as confluentcloud from "pulumi-confluent-iam";

const demo = new confluentcloud.ServiceAccount("demo", { displayName: "stall-demo", description: "first" });
const prod = new confluentcloud.ServiceAccount(
  "prod",
  { displayName: "stall-taken", description: "second" },
  { dependsOn: [demo] },
);
const deployer = new confluentcloud.ServiceAccount(
  "deployer",
  { displayName: "stall-deployer", description: "third" },
  { dependsOn: [prod] },
);
export const deployerId = deployer.id;
`;

let emu: RunningEmulator;
let api: EmulatorApi;
let dir: string;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  api = new EmulatorApi(emu);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "runner-stall-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: runner-stall\nruntime: nodejs\nmain: index.ts\n");
  fs.writeFileSync(path.join(dir, "index.ts"), PROGRAM);
});
afterAll(async () => {
  await emu?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

it("up whose middle resource fails (409) ends with that failure, not at the run time limit, and creates nothing after it", async () => {
  const taken = (await api.ok("POST", "/iam/v2/service-accounts", { display_name: "stall-taken" })) as {
    id: string;
  };
  const r = await runLifecycle("up", {
    cwd: dir,
    statePath: path.join(dir, "state.json"),
    timeoutMs: 200_000,
    env: {
      ...process.env,
      CONFLUENT_IAM_STALL_MS: "1000",
      CONFLUENT_CLOUD_ENDPOINT: emu.url,
      CONFLUENT_CLOUD_API_KEY: emu.apiKey,
      CONFLUENT_CLOUD_API_SECRET: emu.apiSecret,
    },
  });
  expect(r.exitCode).toBe(1);
  expect(r.steps.map((s) => [s.op, s.name, s.status])).toEqual([
    ["create", "demo", "done"],
    ["create", "prod", "failed"],
  ]);
  expect(r.errors).toHaveLength(1);
  expect(r.errors[0]).toContain(`it already exists as ${taken.id}`);
  expect(r.output).toContain(
    "\nStopped: what depends on a failed resource was not created or updated; fix the failure and run up again.\n",
  );
  const names = (
    (await api.ok("GET", "/iam/v2/service-accounts?page_size=100")) as {
      data: { display_name: string }[];
    }
  ).data.map((s) => s.display_name);
  expect(names.sort()).toEqual(["stall-demo", "stall-taken"]);
});
