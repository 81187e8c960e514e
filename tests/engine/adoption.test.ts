/**
 * Adoption under the real Pulumi CLI: a program whose resources carry the `import` option adopts objects
 * made outside it with no write call (this package's classes hand the option to the provider as `importId`;
 * the engine's own import path cannot read dynamic-provider resources, pulumi/pulumi#16175). Once the
 * options are removed, the next preview plans no change.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { EmulatorControl, EngineStack, planOf } from "./support/engine";

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as confluentcloud from "pulumi-confluent-iam";

const config = new pulumi.Config();
const adopt = config.getBoolean("adopt") ?? true;
const ci = new confluentcloud.ServiceAccount(
  "ci",
  { displayName: "adopted-ci", description: "made in the console" },
  adopt ? { import: config.require("serviceAccountId") } : {},
);
const office = new confluentcloud.IpGroup(
  "office",
  { groupName: "office", cidrBlocks: ["192.0.2.0/24", "198.51.100.0/24"] },
  adopt ? { import: config.require("ipGroupId") } : {},
);
new confluentcloud.RoleBinding(
  "ci-metrics",
  {
    principal: pulumi.interpolate\`User:\${ci.id}\`,
    roleName: "MetricsViewer",
    crnPattern: "crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001",
  },
  adopt ? { import: config.require("roleBindingId") } : {},
);
export const serviceAccountId = ci.id;
export const ipGroupId = office.id;
`;

describe("the import resource option under the Pulumi CLI", () => {
  let emulator: RunningEmulator;
  let control: EmulatorControl;
  let stack: EngineStack;
  let source: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    control = new EmulatorControl(emulator.url, emulator.apiKey, emulator.apiSecret);
    const sa = await control.api("POST", "/iam/v2/service-accounts", {
      display_name: "adopted-ci",
      description: "made in the console",
    });
    expect(sa.status).toBe(201);
    ids.serviceAccountId = (sa.body as { id: string }).id;
    const ipg = await control.api("POST", "/iam/v2/ip-groups", {
      group_name: "office",
      cidr_blocks: ["198.51.100.0/24", "192.0.2.0/24"],
    });
    expect(ipg.status).toBe(201);
    ids.ipGroupId = (ipg.body as { id: string }).id;
    const rb = await control.api("POST", "/iam/v2/role-bindings", {
      principal: `User:${ids.serviceAccountId}`,
      role_name: "MetricsViewer",
      crn_pattern: "crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001",
    });
    expect(rb.status).toBe(201);
    ids.roleBindingId = (rb.body as { id: string }).id;

    source = fs.mkdtempSync(path.join(os.tmpdir(), "engine-adopt-"));
    fs.writeFileSync(
      path.join(source, "Pulumi.yaml"),
      "name: engine-adopt\nruntime: nodejs\nmain: index.ts\n",
    );
    fs.writeFileSync(path.join(source, "index.ts"), PROGRAM);
    stack = await EngineStack.create({ source, mode: "repo", emulator });
    await stack.setConfig(Object.entries(ids).map(([k, v]) => `${k}=${v}`));
  });
  afterAll(async () => {
    stack?.close();
    fs.rmSync(source, { recursive: true, force: true });
    await emulator?.close();
  });

  it("up adopts the three objects with reads only (0 writes)", async () => {
    await control.clear();
    const r = await stack.json("up");
    expect(r.output).not.toMatch(/error:/);
    expect(r.code).toBe(0);
    expect(planOf(r.steps)).toEqual(["create ci", "create ci-metrics", "create office"]);
    expect(await control.writes()).toEqual([]);
    const reads = (await control.requests()).filter((q) => q.method === "GET").map((q) => q.path);
    expect(reads).toEqual(
      expect.arrayContaining([
        `/iam/v2/service-accounts/${ids.serviceAccountId}`,
        `/iam/v2/ip-groups/${ids.ipGroupId}`,
        `/iam/v2/role-bindings/${ids.roleBindingId}`,
      ]),
    );
    const exported = await stack.exportDeployment();
    const byName = (n: string) => exported.deployment.resources?.find((x) => x.urn.endsWith(`::${n}`));
    expect(byName("ci")?.id).toBe(ids.serviceAccountId);
    expect(byName("office")?.id).toBe(ids.ipGroupId);
    expect(byName("ci-metrics")?.id).toBe(ids.roleBindingId);
  });

  it("with the import options removed, preview --expect-no-changes passes and nothing is written", async () => {
    await stack.setConfig(["adopt=false"]);
    await control.clear();
    const r = await stack.pulumi(["preview", "--stack", stack.stack, "--expect-no-changes"]);
    expect(r.output).not.toMatch(/error:/);
    expect(r.code).toBe(0);
    expect(await control.writes()).toEqual([]);
  });
});
