/**
 * The policy pack under the real Pulumi CLI, as a user has it: programs in the installed project (the
 * installed-package check's folder, tests/engine/support/installed.ts), compiled by ts-node, with no
 * repository hook. The CLI starts each pack through the language host's RunPlugin, which runs
 * `@pulumi/pulumi/cmd/run-policy-pack` from the pack's folder.
 *
 * - the shipped pack (`node_modules/pulumi-confluent-iam/policy-pack`) stops an OrganizationAdmin binding;
 * - a pack made by `npx confluent-iam policy init` does the same;
 * - the stack policy no-unlisted-dynamic-resource reports a plain `pulumi.dynamic.Resource`, and a probe
 *   pack shows what the engine hands to resource and stack policies;
 * - a value unknown at preview is judged at `up`, before the binding is created.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { EmulatorControl, EngineStack, engineEnv, runCommand, type CommandResult } from "./support/engine";
import { installedProject } from "./support/installed";

const ORG = "b0b0cafe-0000-4000-8000-000000000001";
/** The shipped pack, from a program folder one level below the installed project's root. */
const SHIPPED_PACK = "../node_modules/pulumi-confluent-iam/policy-pack";

const ORG_ADMIN_PROGRAM = `import * as confluentcloud from "pulumi-confluent-iam";

new confluentcloud.RoleBinding("ci-org-admin", {
  principal: "User:sa-ci0001",
  roleName: "OrganizationAdmin",
  crnPattern: "crn://confluent.cloud/organization=${ORG}",
});
`;

// A dynamic resource of the user's own, registered under the plain type (no module or type name given).
const DYNAMIC_PROGRAM = `import * as pulumi from "@pulumi/pulumi";

const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: Record<string, unknown>) {
    return { id: "hand-made-1", outs: inputs };
  },
};

class HandMade extends pulumi.dynamic.Resource {
  constructor(name: string, props: { zone: pulumi.Input<string> }) {
    super(provider, name, props);
  }
}

new HandMade("hand-made", { zone: "example.com" });
`;

// The binding's crnPattern waits on the new service account's id: unknown at preview, the organization
// (where EnvironmentOperator cannot be granted) once the account exists.
const LATE_CRN_PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as confluentcloud from "pulumi-confluent-iam";

const app = new confluentcloud.ServiceAccount("late-app", {
  displayName: "late-app",
  description: "its id decides the binding's crnPattern",
});
new confluentcloud.RoleBinding("late-binding", {
  principal: pulumi.interpolate\`User:\${app.id}\`,
  roleName: "EnvironmentOperator",
  crnPattern: app.id.apply(() => "crn://confluent.cloud/organization=${ORG}"),
});
`;

// A pack that reports, as advisory violations, what the engine hands to a resource policy and to a stack
// policy: type, name and property keys of each resource.
const PROBE_PACK = `"use strict";
const { PolicyPack } = require("@pulumi/policy");
const seen = (r) => ({ type: r.type, name: r.name, keys: Object.keys(r.props).sort() });
new PolicyPack("engine-probe", {
  policies: [
    {
      name: "probe-resource",
      description: "reports what a resource policy is given",
      enforcementLevel: "advisory",
      validateResource: (args, report) => report("PROBE-RESOURCE " + JSON.stringify(seen(args))),
    },
    {
      name: "probe-stack",
      description: "reports what a stack policy is given",
      enforcementLevel: "advisory",
      validateStack: (args, report) => report("PROBE-STACK " + JSON.stringify(args.resources.map(seen))),
    },
  ],
});
`;

interface Seen {
  type: string;
  name: string;
  keys: string[];
}

/** The JSON after each `tag` in the output. */
function probes(output: string, tag: string): Seen[][] {
  return [...output.matchAll(new RegExp(`${tag} (\\[.*\\]|\\{.*\\})`, "g"))].map((m) => {
    const v = JSON.parse(m[1] ?? "null") as Seen | Seen[];
    return Array.isArray(v) ? v : [v];
  });
}

function writeProgram(dir: string, name: string, program: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\nmain: index.ts\n`);
  fs.writeFileSync(path.join(dir, "index.ts"), program);
}

function writeProbePack(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "engine-probe", version: "0.0.1", main: "index.js" }) + "\n",
  );
  fs.writeFileSync(path.join(dir, "index.js"), PROBE_PACK);
}

describe("the policy pack under the Pulumi CLI, from the installed package", () => {
  let project: string;
  let emulator: RunningEmulator;
  let control: EmulatorControl;
  let sources: string;
  const stacks: EngineStack[] = [];

  beforeAll(async () => {
    project = await installedProject();
    emulator = await startEmulator({ port: 0 });
    control = new EmulatorControl(emulator.url, emulator.apiKey, emulator.apiSecret);
    sources = fs.mkdtempSync(path.join(os.tmpdir(), "engine-policy-"));
    writeProgram(path.join(sources, "org-admin"), "org-admin", ORG_ADMIN_PROGRAM);
    writeProgram(path.join(sources, "dynamic"), "dynamic", DYNAMIC_PROGRAM);
    writeProgram(path.join(sources, "late-crn"), "late-crn", LATE_CRN_PROGRAM);
  }, 30 * 60_000);
  afterAll(async () => {
    for (const s of stacks) s.close();
    if (sources) fs.rmSync(sources, { recursive: true, force: true });
    await emulator?.close();
  });

  async function stackOf(program: string): Promise<EngineStack> {
    const s = await EngineStack.create({
      source: path.join(sources, program),
      mode: "installed",
      emulator,
      workRoot: project,
    });
    stacks.push(s);
    return s;
  }

  /** A failed preview whose output names role-binding-no-org-admin, mandatory, with its message. */
  function expectBlockedByOrgAdmin(r: CommandResult): void {
    expect(r.code).not.toBe(0);
    expect(r.output).toContain("error: preview failed");
    expect(r.output).toContain(
      "[mandatory]  role-binding-no-org-admin  (pulumi-nodejs:dynamic/confluent:RoleBinding: ci-org-admin)",
    );
    expect(r.output).toContain(
      `OrganizationAdmin gives "User:sa-ci0001" full control of the whole organization, and "User:sa-ci0001" is not in allowedPrincipals`,
    );
  }

  it("pulumi preview --policy-pack <node_modules/pulumi-confluent-iam/policy-pack> stops an OrganizationAdmin binding, naming role-binding-no-org-admin", async () => {
    const stack = await stackOf("org-admin");
    await control.clear();
    const r = await stack.pulumi(["preview", "--stack", stack.stack, "--policy-pack", SHIPPED_PACK]);
    expectBlockedByOrgAdmin(r);
    expect(r.output).toMatch(/confluent-iam@v0\.1\.0/);
    expect(await control.writes()).toEqual([]);
  });

  it("a pack made by npx confluent-iam policy init does the same", async () => {
    const stack = await stackOf("org-admin");
    const init = await runCommand(
      "npx",
      ["--no", "--", "confluent-iam", "policy", "init", "./confluent-policy"],
      {
        cwd: stack.dir,
        env: engineEnv("installed", {}),
        timeoutMs: 120_000,
      },
    );
    expect(init.output).not.toMatch(/error/i);
    expect(init.code).toBe(0);
    await control.clear();
    const r = await stack.pulumi(["preview", "--stack", stack.stack, "--policy-pack", "./confluent-policy"]);
    expectBlockedByOrgAdmin(r);
    expect(r.output).toMatch(/confluent-policy@v/);
    expect(await control.writes()).toEqual([]);
  });

  it("the stack policy no-unlisted-dynamic-resource reports a plain pulumi.dynamic.Resource by name", async () => {
    const stack = await stackOf("dynamic");
    writeProbePack(path.join(stack.dir, "probe"));
    const r = await stack.pulumi([
      "preview",
      "--stack",
      stack.stack,
      "--policy-pack",
      SHIPPED_PACK,
      "--policy-pack",
      "./probe",
    ]);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain("no-unlisted-dynamic-resource");
    expect(r.output).toContain(
      `"hand-made" is a plain pulumi.dynamic.Resource ("pulumi-nodejs:dynamic:Resource"), which no policy of this pack can judge`,
    );
    // What the engine hands over: resource policies are called for the stack and the default provider too
    // (the runner calls them for this package's resources only), a stack policy gets all three, and the
    // dynamic resource's properties come without its serialized provider (`__provider`).
    const handMade = { type: "pulumi-nodejs:dynamic:Resource", name: "hand-made", keys: ["zone"] };
    const provider = { type: "pulumi:providers:pulumi-nodejs", name: "default", keys: [] };
    const stackResource = { type: "pulumi:pulumi:Stack", name: "dynamic-dev", keys: [] };
    const byName = (a: Seen, b: Seen): number => a.name.localeCompare(b.name);
    expect(probes(r.output, "PROBE-RESOURCE").flat().sort(byName)).toEqual([
      provider,
      stackResource,
      handMade,
    ]);
    expect(probes(r.output, "PROBE-STACK").map((seen) => [...seen].sort(byName))).toEqual([
      [provider, stackResource, handMade],
    ]);
  });

  it("a crnPattern unknown at preview is judged at up: preview passes, up stops before the binding is created", async () => {
    const stack = await stackOf("late-crn");
    await control.clear();
    const preview = await stack.pulumi(["preview", "--stack", stack.stack, "--policy-pack", SHIPPED_PACK]);
    // Unknown at preview: the crnPattern policies skip it, so the pack passes.
    expect(preview.output).toContain("✅ confluent-iam@v0.1.0");
    expect(preview.code).toBe(0);
    expect(await control.writes()).toEqual([]);
    const up = await stack.pulumi(["up", "--yes", "--stack", stack.stack, "--policy-pack", SHIPPED_PACK]);
    expect(up.code).not.toBe(0);
    expect(up.output).toContain("[mandatory]  role-binding-scope-fits-role");
    expect(up.output).toContain(
      `EnvironmentOperator is granted on an environment, but crnPattern ends at the organization ("organization=${ORG}")`,
    );
    // The service account was created (its id made the crnPattern known); the binding never was.
    const dump = await control.dump();
    expect(
      ((dump.service_accounts as { display_name: string }[]) ?? []).map((a) => a.display_name),
    ).toContain("late-app");
    expect((dump.role_bindings as unknown[] | undefined) ?? []).toEqual([]);
    expect((await control.writes()).filter((w) => w.includes("role-binding"))).toEqual([]);
  });
});
