// `confluent-iam policy init DIR`: the pack it writes, and the folders it refuses. The pack itself is run
// (against a violating program, from an installed copy of this package) by the installed-package check,
// scripts/installed-check.ts.
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { initPolicyPack, packNameFor } from "../../runner/policy-init";

const repoRoot = path.resolve(__dirname, "..", "..");
const own = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
  version: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "policy-init-"));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [
        "-r",
        path.join(repoRoot, "scripts", "ts-register.js"),
        path.join(repoRoot, "runner", "cli.ts"),
        ...args,
      ],
      { cwd: tmp, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("policy init", () => {
  it("writes a pack that depends on this package and @pulumi/policy, named after its folder", () => {
    const dir = path.join(tmp, "Confluent Policy");
    const r = initPolicyPack(dir);
    expect(r).toEqual({
      dir,
      name: "confluent-policy",
      files: ["PulumiPolicy.yaml", "package.json", "tsconfig.json", "index.ts", "README.md"],
    });
    expect(fs.readdirSync(dir).sort()).toEqual(
      ["PulumiPolicy.yaml", "README.md", "index.ts", "package.json", "tsconfig.json"].sort(),
    );
    expect(fs.readFileSync(path.join(dir, "PulumiPolicy.yaml"), "utf8")).toMatch(/^runtime: nodejs\n/);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as Record<
      string,
      unknown
    >;
    expect(pkg).toMatchObject({
      name: "confluent-policy",
      main: "index.ts",
      dependencies: {
        "@pulumi/policy": own.dependencies["@pulumi/policy"],
        "@pulumi/pulumi": own.peerDependencies["@pulumi/pulumi"],
        "pulumi-confluent-iam": `^${own.version}`,
      },
    });
    const index = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
    expect(index).toContain('import { policies } from "pulumi-confluent-iam/policy";');
    expect(index).toContain("const ours: Policies = [];");
    expect(index).toContain('new PolicyPack(\n  "confluent-policy",');
    // With its level: under the Pulumi CLI an entry without enforcementLevel makes the policy advisory
    // (tests/engine/policy.test.ts).
    expect(index).toContain(
      '"role-binding-no-org-admin": { enforcementLevel: "mandatory", allowedPrincipals: [] },',
    );
    const tsconfig = JSON.parse(fs.readFileSync(path.join(dir, "tsconfig.json"), "utf8")) as {
      compilerOptions: Record<string, unknown>;
    };
    expect(tsconfig.compilerOptions).toMatchObject({ strict: true, skipLibCheck: true });
    expect(fs.readFileSync(path.join(dir, "README.md"), "utf8")).toContain(
      `pulumi preview --policy-pack ${path.relative(process.cwd(), dir)}\n`,
    );
  });

  it("writes into an existing empty folder", () => {
    const dir = path.join(tmp, "pack");
    fs.mkdirSync(dir);
    expect(initPolicyPack(dir).files).toHaveLength(5);
  });

  it("refuses a folder that is not empty and changes nothing in it", () => {
    const dir = path.join(tmp, "pack");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "index.ts"), "// ours\n");
    expect(() => initPolicyPack(dir)).toThrow(
      `${dir} is not empty; policy init writes only into a new or empty folder (nothing was changed)`,
    );
    expect(fs.readdirSync(dir)).toEqual(["index.ts"]);
    expect(fs.readFileSync(path.join(dir, "index.ts"), "utf8")).toBe("// ours\n");
  });

  it("refuses a path that is a file", () => {
    const file = path.join(tmp, "pack");
    fs.writeFileSync(file, "x");
    expect(() => initPolicyPack(file)).toThrow(
      `${file} exists and is not a folder; give a new or empty folder for the policy pack`,
    );
  });

  it.each([
    ["confluent-policy", "confluent-policy"],
    ["My Team's Pack!", "my-team-s-pack"],
    ["...", "confluent-policy"],
  ])("names the pack after the folder: %s → %s", (folder, name) => {
    expect(packNameFor(path.join(tmp, folder))).toBe(name);
  });
});

describe("confluent-iam policy init on the command line", () => {
  it("writes the pack and says how to run it", async () => {
    const r = await cli(["policy", "init", "./confluent-policy"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `wrote policy pack confluent-policy in ${path.join(fs.realpathSync(tmp), "confluent-policy")}: ` +
        "PulumiPolicy.yaml, package.json, tsconfig.json, index.ts, README.md\n" +
        "run it with: pulumi preview --policy-pack ./confluent-policy " +
        "(or npx confluent-iam preview --policy-pack ./confluent-policy)\n",
    );
    const readme = fs.readFileSync(path.join(tmp, "confluent-policy", "README.md"), "utf8");
    expect(readme).toContain("pulumi preview --policy-pack ./confluent-policy\n");
    expect(readme).toContain("npx confluent-iam preview --policy-pack ./confluent-policy\n");
  });

  it("exits 1 with the reason when the folder is not empty", async () => {
    fs.writeFileSync(path.join(tmp, "keep.txt"), "x");
    const r = await cli(["policy", "init", "."]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `confluent-iam: policy init: ${fs.realpathSync(tmp)} is not empty; policy init writes only into a new or empty folder (nothing was changed)\n`,
    );
  });

  it.each([[["policy"]], [["policy", "init"]], [["policy", "new", "x"]], [["policy", "init", "a", "b"]]])(
    "%j is a usage error (exit 2)",
    async (args) => {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe("confluent-iam: usage: confluent-iam policy init DIR\n");
    },
  );
});
