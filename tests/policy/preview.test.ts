/**
 * The pack at `preview`, through the lifecycle runner (program process, dynamic-provider host and the pack
 * started as the CLI starts it), against the emulator: issue 23's evasions and issue 18's held-out shape are
 * reported with the violation named and nothing is sent; issue 23's false positives pass.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { runLifecycle, type LifecycleResult } from "../../runner";
import { EmulatorApi } from "../../testing/emulator-api";

const PACK = path.resolve(__dirname, "../../policy");
const ORG = "b0b0cafe-0000-4000-8000-000000000001";

let emu: RunningEmulator;
let api: EmulatorApi;
const dirs: string[] = [];

function project(name: string, program: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\nmain: index.ts\n`);
  fs.writeFileSync(path.join(dir, "index.ts"), program);
  // The program imports @pulumi/pulumi itself (to build a plain dynamic.Resource): resolve it from the repo.
  fs.symlinkSync(path.resolve(__dirname, "../../node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

function preview(dir: string): Promise<LifecycleResult> {
  return runLifecycle("preview", {
    cwd: dir,
    statePath: path.join(dir, "dev.json"),
    policyPack: PACK,
    env: {
      ...process.env,
      CONFLUENT_CLOUD_ENDPOINT: emu.url,
      CONFLUENT_CLOUD_API_KEY: emu.apiKey,
      CONFLUENT_CLOUD_API_SECRET: emu.apiSecret,
    },
  });
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  api = new EmulatorApi(emu);
});
afterAll(async () => {
  await emu?.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

it("reports the evasions at preview, names each violation, and sends nothing", async () => {
  const dir = project(
    "evasions",
    `import * as pulumi from "@pulumi/pulumi";
import * as confluentcloud from "pulumi-confluent-iam";

const org = "crn://confluent.cloud/organization=${ORG}";
const ci = new confluentcloud.ServiceAccount("ci", { displayName: "ci", description: "CI" });

// Issue 18: OrganizationAdmin for an account the same program creates (principal unknown at preview).
new confluentcloud.RoleBinding("ci-org-admin", { principal: pulumi.interpolate\`User:\${ci.id}\`, roleName: "OrganizationAdmin", crnPattern: org });

// Issue 23, bypass by type: this package's provider under the plain dynamic.Resource type.
const f = (m: number, a: unknown[]) => require("pulumi-confluent-iam/provider").op[m]("RoleBinding", ...a);
const provider: pulumi.dynamic.ResourceProvider = {
  check: (...a) => f(1, a), diff: (...a) => f(2, a), create: (...a) => f(3, a),
  read: (...a) => f(4, a), update: (...a) => f(5, a), delete: (...a) => f(6, a),
};
new pulumi.dynamic.Resource(provider, "x", { principal: "User:sa-ci0001", roleName: "OrganizationAdmin", crnPattern: org });

// Issue 23, the whole internet in pieces, over two groups.
new confluentcloud.IpGroup("a", { groupName: "a", cidrBlocks: ["0.0.0.0/2", "64.0.0.0/2"] });
new confluentcloud.IpGroup("b", { groupName: "b", cidrBlocks: ["128.0.0.0/2", "192.0.0.0/2"] });

// Issue 23, a user-owned key disguised, and privileged roles nobody reviews.
new confluentcloud.ApiKey("disguised", { displayName: "k", description: "d", owner: { id: "u-demo02", apiVersion: "iam/v2", kind: "ServiceAccount" } });
new confluentcloud.RoleBinding("key-admin", { principal: "User:sa-ci0001", roleName: "ResourceKeyAdmin", crnPattern: org });
new confluentcloud.RoleBinding("all-groups", {
  principal: "User:sa-ci0001",
  roleName: "ResourceOwner",
  crnPattern: org + "/environment=env-demo01/cloud-cluster=lkc-demo01/kafka=lkc-demo01/group=*",
});
`,
  );
  await api.clearLog();
  const r = await preview(dir);
  // The runner refuses the plain dynamic resource itself, before the pack sees it; under the Pulumi CLI the
  // stack policy no-unlisted-dynamic-resource reports it (tests/policy/no-unlisted-dynamic-resource.test.ts
  // and analyzer.test.ts drive the pack the way the CLI does).
  expect(r.errors).toEqual([
    "urn:pulumi:dev::evasions::pulumi-nodejs:dynamic:Resource::x: resources of other providers " +
      "(pulumi-nodejs:dynamic:Resource) are not supported by confluent-iam, which drives only dynamic-provider " +
      "resources such as this package's; remove it from this program, or run this program with the Pulumi CLI",
  ]);
  expect(r.exitCode).toBe(1);
  expect(
    r.violations.map((v) => `${v.enforcementLevel} ${v.policyName} ${v.urn?.split("::").pop() ?? ""}`).sort(),
  ).toEqual(
    [
      "advisory api-key-owned-by-service-account disguised",
      "advisory role-binding-no-broad-write all-groups",
      "advisory role-binding-no-privileged-role key-admin",
      "mandatory ip-groups-no-open-union ",
      "mandatory role-binding-no-org-admin ci-org-admin",
    ].sort(),
  );
  expect(r.output).toContain("error: mandatory policy violation");
  // Only preview's credential check (GET /org/v2/environments?page_size=1).
  expect(await api.calls()).toEqual(["GET /org/v2/environments"]);
}, 240_000);

it("passes issue 23's false positives at preview", async () => {
  const dir = project(
    "false-positives",
    `import * as confluentcloud from "pulumi-confluent-iam";

const org = "crn://confluent.cloud/organization=${ORG}";
const kafka = org + "/environment=env-demo01/cloud-cluster=lkc-demo01/kafka=lkc-demo01";
const bind = (name: string, principal: string, roleName: string, crnPattern: string) =>
  new confluentcloud.RoleBinding(name, { principal, roleName, crnPattern });

bind("sso-group", "User:group-Ab12", "DeveloperRead", kafka + "/topic=orders");
bind("pool", "User:pool-Ab12", "DeveloperRead", kafka + "/topic=orders");
bind("owns-sa", "User:u-demo01", "ResourceOwner", org + "/service-account=sa-abc123");
bind("owns-pool", "User:u-demo01", "ResourceOwner", org + "/identity-pool=pool-Ab12");
bind("ca", "User:u-demo01", "ResourceOwner", org + "/certificate-authority=op-12345");
bind("ca-pool", "User:u-demo01", "ResourceOwner", org + "/certificate-identity-pool=pool-12345");
bind("slash-group", "User:sa-abc123", "DeveloperRead", kafka + "/group=team%2Fapp");
`,
  );
  const r = await preview(dir);
  expect(r.violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
  expect(r.errors).toEqual([]);
  expect(r.exitCode).toBe(0);
}, 240_000);
