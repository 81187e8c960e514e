/**
 * A program run with credentials that cannot do all it declares (the emulator enforces role bindings): with an
 * EnvironmentAdmin key it fails on its first out-of-scope object, and the failure names the object, the 403 and
 * the permission that is missing, without claiming the object was deleted. With an OrganizationAdmin key the
 * same program passes.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { runLifecycle, type LifecycleResult } from "../../runner";
import { loadState } from "../../runner/state";
import { EmulatorApi } from "../provider/support/emulator-api";

const PROJECT = "rbac-lifecycle";
const ORG = "crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001";

/** In the order the program makes them (each depends on the one before). */
function program(readerId: string): string {
  return `import * as confluentcloud from "pulumi-confluent-iam";

const ORG = ${JSON.stringify(ORG)};
// Inside env-demo01: an EnvironmentAdmin there may grant it.
const demo = new confluentcloud.RoleBinding("reader-demo", {
  principal: "User:${readerId}",
  roleName: "DeveloperRead",
  crnPattern: ORG + "/environment=env-demo01/cloud-cluster=lkc-demo01",
});
// Outside it: env-prod01.
const prod = new confluentcloud.RoleBinding(
  "reader-prod",
  {
    principal: "User:${readerId}",
    roleName: "DeveloperRead",
    crnPattern: ORG + "/environment=env-prod01/cloud-cluster=lkc-prod01",
  },
  { dependsOn: [demo] },
);
// Organization-wide: only an OrganizationAdmin (or AccountAdmin) may make service accounts.
const deployer = new confluentcloud.ServiceAccount("deployer", { displayName: "deployer", description: "" }, { dependsOn: [prod] });
export const deployerId = deployer.id;
`;
}

let emu: RunningEmulator;
let api: EmulatorApi;
let dir: string;

/** A Cloud API key whose owner (a new service account) holds `role` at `crn`. */
async function keyWithRole(role: string, crn: string): Promise<{ key: string; secret: string }> {
  const sa = (await api.ok("POST", "/iam/v2/service-accounts", { display_name: `ci-${role}` })) as {
    id: string;
  };
  await api.ok("POST", "/iam/v2/role-bindings", {
    principal: `User:${sa.id}`,
    role_name: role,
    crn_pattern: crn,
  });
  const key = (await api.ok("POST", "/iam/v2/api-keys", { spec: { owner: { id: sa.id } } })) as {
    id: string;
    spec: { secret: string };
  };
  return { key: key.id, secret: key.spec.secret };
}

function up(creds: { key: string; secret: string }, statePath: string): Promise<LifecycleResult> {
  return runLifecycle("up", {
    cwd: dir,
    statePath,
    parallel: 1,
    env: {
      ...process.env,
      CONFLUENT_CLOUD_ENDPOINT: emu.url,
      CONFLUENT_CLOUD_API_KEY: creds.key,
      CONFLUENT_CLOUD_API_SECRET: creds.secret,
    },
  });
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  api = new EmulatorApi(emu);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rbac-lifecycle-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\nmain: index.ts\n`);
  const reader = (await api.ok("POST", "/iam/v2/service-accounts", { display_name: "reader" })) as {
    id: string;
  };
  fs.writeFileSync(path.join(dir, "index.ts"), program(reader.id));
});
afterAll(async () => {
  await emu?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

it("with an EnvironmentAdmin key, up fails on the first out-of-scope object and says which permission is missing", async () => {
  const creds = await keyWithRole("EnvironmentAdmin", `${ORG}/environment=env-demo01`);
  await api.clearLog();
  const statePath = path.join(dir, "env-admin.json");
  const r = await up(creds, statePath);
  expect(r.exitCode).toBe(1);
  expect((await api.log()).map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
    "POST /iam/v2/role-bindings 201",
    "POST /iam/v2/role-bindings 403",
  ]);
  expect(r.errors).toEqual(["x"]);
  expect(r.output).toBe("x");
  const state = loadState(statePath, PROJECT, "dev");
  expect(state.resources.map((x) => x.name)).toEqual(["reader-demo"]);
}, 300_000);

it("with an OrganizationAdmin key, the same program passes", async () => {
  const creds = await keyWithRole("OrganizationAdmin", ORG);
  const statePath = path.join(dir, "org-admin.json");
  const r = await up(creds, statePath);
  expect(r.errors).toEqual([]);
  expect(r.exitCode).toBe(0);
  expect(r.steps.map((s) => `${s.op} ${s.name}`)).toEqual([
    "create reader-demo",
    "create reader-prod",
    "create deployer",
  ]);
}, 300_000);
