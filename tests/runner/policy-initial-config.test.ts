/**
 * A pack's own initial configuration (`new PolicyPack(name, args, initialConfig)`) as the Pulumi CLI applies
 * it: the policies' defaults, then the pack's entries, sent with Configure. An entry with settings but no
 * enforcementLevel makes its policy advisory under the CLI (the message's level defaults to ADVISORY), which
 * tests/engine/policy.test.ts found with a `policy init` pack; the runner now does the same.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { runLifecycle } from "../../runner";
import { reconcilePolicyConfig, startPolicyPack, type PolicyPackHandle } from "../../runner/analyzer";

const PACK = path.join(__dirname, "fixtures", "initial-config-pack");
const SERVICE_ACCOUNT = "pulumi-nodejs:dynamic/confluent:ServiceAccount";

describe("a pack's initial configuration, reconciled as the Pulumi CLI does", () => {
  let pack: PolicyPackHandle;
  beforeAll(async () => {
    pack = await startPolicyPack(PACK);
  });
  afterAll(async () => {
    await pack?.close();
  });

  it("GetAnalyzerInfo carries the entries, an entry without a level as advisory (the message's default)", async () => {
    expect((await pack.info()).initialConfig).toEqual({
      "settings-only": { enforcementLevel: "advisory", note: "set by the pack" },
      "level-and-settings": { enforcementLevel: "mandatory", note: "set by the pack" },
    });
  });

  it("reconciles schema defaults, the policies' levels, the pack's entries, then the given config", async () => {
    const info = await pack.info();
    expect(reconcilePolicyConfig(info)).toEqual({
      "settings-only": { enforcementLevel: "advisory", note: "set by the pack" },
      "level-and-settings": { enforcementLevel: "mandatory", note: "set by the pack" },
      "not-configured": { enforcementLevel: "mandatory", note: "the schema's default" },
    });
    expect(
      reconcilePolicyConfig(info, { all: "disabled", "settings-only": { note: "from the config file" } }),
    ).toEqual({
      // The CLI sends the "all" entry along too (its applyConfig keeps every given name); packs ignore it.
      all: { enforcementLevel: "disabled" },
      "settings-only": { enforcementLevel: "disabled", note: "from the config file" },
      "level-and-settings": { enforcementLevel: "disabled", note: "set by the pack" },
      "not-configured": { enforcementLevel: "disabled", note: "the schema's default" },
    });
  });

  it("the pack judges with the reconciled configuration once configured", async () => {
    await pack.configure(reconcilePolicyConfig(await pack.info()));
    const found = await pack.analyze({
      type: SERVICE_ACCOUNT,
      name: "app",
      urn: `urn:pulumi:dev::p::${SERVICE_ACCOUNT}::app`,
      properties: {},
    });
    expect(found.map((v) => [v.policyName, v.enforcementLevel, v.message.split("\n")[1]])).toEqual([
      ["settings-only", "advisory", "note: set by the pack"],
      ["level-and-settings", "mandatory", "note: set by the pack"],
      ["not-configured", "mandatory", "note: the schema's default"],
    ]);
  });
});

describe("confluent-iam preview --policy-pack applies the pack's initial configuration", () => {
  let emu: RunningEmulator;
  let dir: string;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "initial-config-"));
    fs.writeFileSync(
      path.join(dir, "Pulumi.yaml"),
      "name: initial-config\nruntime: nodejs\nmain: index.ts\n",
    );
    fs.writeFileSync(
      path.join(dir, "index.ts"),
      `import * as confluentcloud from "pulumi-confluent-iam";\n` +
        `new confluentcloud.ServiceAccount("app", { displayName: "app", description: "judged by the pack" });\n`,
    );
  });
  afterAll(async () => {
    await emu?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("settings without a level make the policy advisory, as under the Pulumi CLI; the others stay mandatory", async () => {
    const r = await runLifecycle("preview", {
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
    expect(r.violations.map((v) => `${v.enforcementLevel} ${v.policyName}`)).toEqual([
      "advisory settings-only",
      "mandatory level-and-settings",
      "mandatory not-configured",
    ]);
    expect(r.exitCode).toBe(1);
  }, 240_000);
});
