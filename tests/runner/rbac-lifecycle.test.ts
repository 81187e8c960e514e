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
import { EmulatorApi } from "../../testing/emulator-api";

const PROJECT = "rbac-lifecycle";
const ORG = "crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001";

/**
 * One object inside an EnvironmentAdmin's environment (env-demo01) and one outside it (a binding in
 * env-prod01). No dependsOn between them: the runner attempts independent objects and reports each failure.
 */
function program(readerId: string): string {
  return `import * as confluentcloud from "pulumi-confluent-iam";

const ORG = ${JSON.stringify(ORG)};
new confluentcloud.RoleBinding("reader-demo", {
  principal: "User:${readerId}",
  roleName: "DeveloperRead",
  crnPattern: ORG + "/environment=env-demo01/cloud-cluster=lkc-demo01",
});
new confluentcloud.RoleBinding("reader-prod", {
  principal: "User:${readerId}",
  roleName: "DeveloperRead",
  crnPattern: ORG + "/environment=env-prod01/cloud-cluster=lkc-prod01",
});
`;
}

let emu: RunningEmulator;
let api: EmulatorApi;
let dir: string;
let readerId = "";

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

/** A fresh organization: reset, a reader service account, and the program naming it. */
async function fresh(): Promise<void> {
  await api.reset();
  const reader = (await api.ok("POST", "/iam/v2/service-accounts", { display_name: "reader" })) as {
    id: string;
  };
  readerId = reader.id;
  fs.writeFileSync(path.join(dir, "index.ts"), program(readerId));
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  api = new EmulatorApi(emu);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rbac-lifecycle-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\nmain: index.ts\n`);
});
afterAll(async () => {
  await emu?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

it("with an EnvironmentAdmin key, up fails on the out-of-scope object, names it, the 403 and the missing permission", async () => {
  await fresh();
  const creds = await keyWithRole("EnvironmentAdmin", `${ORG}/environment=env-demo01`);
  await api.clearLog();
  const statePath = path.join(dir, "env-admin.json");
  const r = await up(creds, statePath);
  expect(r.exitCode).toBe(1);
  expect((await api.log()).map((c) => `${c.method} ${c.path} ${c.status}`).sort()).toEqual([
    "POST /iam/v2/role-bindings 201",
    "POST /iam/v2/role-bindings 403",
  ]);
  expect(r.summary).toEqual(expect.objectContaining({ create: 1, failed: 1, delete: 0 }));
  const failed = r.steps.filter((s) => s.error !== undefined).map((s) => s.name);
  expect(failed).toEqual(["reader-prod"]);
  expect(r.errors).toHaveLength(1);
  expect(r.errors[0]?.replace(/request id [0-9a-f-]+/, "request id <id>")).toBe(
    `urn:pulumi:dev::${PROJECT}::pulumi-nodejs:dynamic/confluent:RoleBinding::reader-prod: ` +
      `Cannot create role binding with principal User:${readerId}, role DeveloperRead and CRN pattern ` +
      `${ORG}/environment=env-prod01/cloud-cluster=lkc-prod01: POST /iam/v2/role-bindings failed with 403 ` +
      "Forbidden: Either unauthorized to access role binding or role binding does not exist (request id <id>). " +
      "The credentials in use lack the permission to create it; nothing was created. Missing permission: grant " +
      "the credentials' owner OrganizationAdmin or AccountAdmin, or EnvironmentAdmin / CloudClusterAdmin on the " +
      "environment / cluster the CRN pattern names (granting OrganizationAdmin takes OrganizationAdmin), or run " +
      "with credentials that have it.",
  );
  expect(r.output).toContain("create failed  confluent:RoleBinding  reader-prod");
  expect(r.output).not.toMatch(/deleted/i);
  const state = loadState(statePath, PROJECT, "dev");
  expect(state.resources.map((x) => x.name)).toEqual(["reader-demo"]);
}, 300_000);

it("with an OrganizationAdmin key, the same program passes", async () => {
  await fresh();
  const creds = await keyWithRole("OrganizationAdmin", ORG);
  const statePath = path.join(dir, "org-admin.json");
  const r = await up(creds, statePath);
  expect(r.errors).toEqual([]);
  expect(r.exitCode).toBe(0);
  expect(r.steps.map((s) => `${s.op} ${s.name}`).sort()).toEqual([
    "create reader-demo",
    "create reader-prod",
  ]);
  expect(
    loadState(statePath, PROJECT, "dev")
      .resources.map((x) => x.name)
      .sort(),
  ).toEqual(["reader-demo", "reader-prod"]);
}, 300_000);
