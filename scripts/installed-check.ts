/**
 * The installed-package check: what a user gets from `npm install pulumi-confluent-iam`, tried as a user
 * would. `npm run test:installed` (part of `npm test`).
 *
 *  1. `npm pack` (its prepack builds dist/), then the tarball's file list is checked: nothing that should
 *     not ship (tests, benches, examples, state, sources), nothing missing (the compiled policy pack,
 *     .d.ts files, the bins, every entry point package.json names).
 *  2. The tarball and its dependencies are installed from the registry into a fresh temporary folder, with
 *     the @pulumi/pulumi, typescript and @types/node versions this repository develops against.
 *  3. A user-style TypeScript program (several classes and a lookup) is type-checked strictly against the
 *     shipped .d.ts files, then `npx confluent-iam up` and `destroy` run it against `npx confluent-emulator`.
 *  4. A program with an OrganizationAdmin binding is previewed with the shipped pack
 *     (`node_modules/pulumi-confluent-iam/policy-pack`) and with a pack made by
 *     `npx confluent-iam policy init`: each must fail with a non-zero exit naming role-binding-no-org-admin.
 *
 * Every command has a time limit; the emulator is stopped and the temporary folder removed whatever
 * happens. Exit 0 when every check passed, 1 otherwise.
 *
 * INSTALLED_CHECK_DIR=<dir>: work in <dir> (emptied first) instead of a temporary folder, and keep it: the
 * engine tier (tests/engine/policy.test.ts) runs the Pulumi CLI in `<dir>/project`, the installed project.
 */
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const repoRoot = path.resolve(__dirname, "..");
const started = Date.now();

interface Manifest {
  name: string;
  version: string;
  main: string;
  types: string;
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
  typesVersions?: Record<string, Record<string, string[]>>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
}

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as Manifest;

/**
 * The @pulumi/pulumi the user installs: INSTALLED_CHECK_PULUMI (a version, or `oldest` for the lower bound of
 * the peer dependency range: `npm run test:installed:oldest`), else the version this repository develops
 * against (devDependencies).
 */
export function chosenPulumiVersion(asked = process.env.INSTALLED_CHECK_PULUMI): string {
  if (asked === "oldest") {
    const range = manifest.peerDependencies["@pulumi/pulumi"] ?? "";
    const floor = /^[\^~>=]*(\d+\.\d+\.\d+)$/.exec(range.trim())?.[1];
    if (!floor) throw new Error(`cannot take the oldest version from the peer range "${range}"`);
    return floor;
  }
  return asked || (manifest.devDependencies["@pulumi/pulumi"] ?? "latest");
}
const pulumiVersion = chosenPulumiVersion();

interface RunResult {
  code: number;
  /** stdout alone. */
  stdout: string;
  /** stdout and stderr, interleaved. */
  output: string;
}

const children = new Set<ChildProcess>();

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

const KEEP_NPM_ENV = new Set(
  [
    "registry",
    "cache",
    "userconfig",
    "globalconfig",
    "proxy",
    "https_proxy",
    "noproxy",
    "strict_ssl",
    "cafile",
    "ca",
  ].map((k) => `npm_config_${k}`),
);

/** The environment of a user's shell: none of this repository's development hooks. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.NODE_OPTIONS;
  delete env.TS_NODE_IGNORE;
  // What `npm run` adds (the repository's prefix, package and lifecycle) would point npm back at this
  // repository; the settings that say how to reach the registry are kept.
  for (const k of Object.keys(env)) if (k.startsWith("npm_") && !KEEP_NPM_ENV.has(k)) delete env[k];
  env.npm_config_audit = "false";
  env.npm_config_fund = "false";
  env.npm_config_update_notifier = "false";
  return env;
}

/** Runs a command to completion within `timeoutMs` (then its process group is killed). */
function run(
  command: string,
  args: string[],
  opts: { cwd: string; timeoutMs: number; env?: Record<string, string> },
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: userEnv(opts.env),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    children.add(child);
    let output = "";
    let stdout = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString("utf8");
      output += c.toString("utf8");
    });
    child.stderr.on("data", (c: Buffer) => (output += c.toString("utf8")));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, opts.timeoutMs);
    child.on("error", (e) => (output += `\n${e.message}`));
    child.on("close", (code) => {
      clearTimeout(timer);
      children.delete(child);
      if (timedOut)
        output += `\n(${command} ${args.join(" ")} did not finish within ${seconds(opts.timeoutMs)})`;
      resolve({ code: timedOut ? 124 : (code ?? 1), stdout, output });
    });
  });
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
}

class CheckFailed extends Error {}

let passed = 0;
const failures: string[] = [];

/** Records one check: prints `ok` or `FAIL` with what was wrong. */
function check(name: string, ok: boolean, detail = ""): void {
  if (ok) {
    passed++;
    console.log(`ok    ${name}`);
  } else {
    failures.push(name);
    console.log(`FAIL  ${name}${detail ? `\n${indent(detail)}` : ""}`);
  }
}

/** A check the following steps depend on: stops the run when it fails. */
function require_(name: string, ok: boolean, detail = ""): void {
  check(name, ok, detail);
  if (!ok) throw new CheckFailed(name);
}

function indent(text: string): string {
  const lines = text.trimEnd().split("\n");
  const tail = lines.length > 60 ? ["  …", ...lines.slice(-60)] : lines;
  return tail.map((l) => `      ${l}`).join("\n");
}

// ---------------------------------------------------------------------------------------------------------
// 1. The tarball's contents

/** Files that must never ship, with the reason. */
const FORBIDDEN: [RegExp, string][] = [
  [/^tests?\//, "tests"],
  [/^bench\//, "benchmarks"],
  [/^examples\//, "examples"],
  [/(^|\/)\.state\//, "a runner state folder"],
  [/(^|\/)\.emulator-data/, "emulator data"],
  [/(^|\/)node_modules\//, "node_modules"],
  [/\.test\.[jt]s$/, "a test"],
  [/\.tsbuildinfo$/, "a build cache"],
  [/^(scripts|docs|\.ci|\.github)\//, "development files"],
  [/^dist\/(tests|bench|examples|scripts)\//, "compiled development files"],
  [/^(?!dist\/).*\.ts$/, "TypeScript source outside dist (a user cannot load it)"],
  [/^dist\/policy\/index\./, "the repository's pack entry, which starts a server when loaded"],
  [
    /^policy\/(?!README\.md$|policy-config\.example\.json$)/,
    "the repository's policy pack sources (policy-pack/ is what ships)",
  ],
];

/** Files that must ship: the entry points package.json names, the policy pack, the docs. */
export function requiredFiles(): string[] {
  const files = new Set<string>([
    "package.json",
    "README.md",
    "LICENSE",
    "CHANGELOG.md",
    "policy-pack/PulumiPolicy.yaml",
    "policy-pack/package.json",
    "policy-pack/index.js",
    "policy/README.md",
    "dist/policy/policies.js",
    "dist/policy/policies.d.ts",
  ]);
  const norm = (p: string): string => p.replace(/^\.\//, "");
  files.add(norm(manifest.main));
  files.add(norm(manifest.types));
  for (const target of Object.values(manifest.bin)) files.add(norm(target));
  for (const [key, value] of Object.entries(manifest.exports)) {
    if (key === "./package.json") continue;
    const targets = typeof value === "string" ? [value] : Object.values(value);
    for (const t of targets) files.add(norm(t));
  }
  for (const map of Object.values(manifest.typesVersions ?? {}))
    for (const targets of Object.values(map)) for (const t of targets) files.add(norm(t));
  return [...files].sort();
}

interface PackedFile {
  path: string;
  mode: number;
}

/** Paths that must not ship, each with the reason. */
export function unwantedFiles(paths: readonly string[]): string[] {
  return paths.flatMap((p) => {
    const hit = FORBIDDEN.find(([re]) => re.test(p));
    return hit ? [`${p} (${hit[1]})`] : [];
  });
}

/** Required paths that `paths` lacks. */
export function missingFiles(paths: readonly string[]): string[] {
  const have = new Set(paths);
  return requiredFiles().filter((f) => !have.has(f));
}

function checkContents(files: PackedFile[], packDir: string): void {
  const paths = new Set(files.map((f) => f.path));
  const missing = missingFiles([...paths]);
  check(
    "the tarball holds every entry point, the bins, the compiled policy pack and the docs",
    missing.length === 0,
    `missing: ${missing.join(", ")}`,
  );

  const unwanted = unwantedFiles([...paths]);
  check("the tarball holds nothing that should not ship", unwanted.length === 0, unwanted.join("\n"));

  const untyped = files
    .map((f) => f.path)
    .filter((p) => /^dist\/.*\.js$/.test(p) && !paths.has(p.replace(/\.js$/, ".d.ts")));
  check("every compiled module has its .d.ts", untyped.length === 0, untyped.join("\n"));

  const badBins = Object.entries(manifest.bin).flatMap(([name, target]) => {
    const text = fs.readFileSync(path.join(packDir, "package", target), "utf8");
    return text.startsWith("#!/usr/bin/env node\n")
      ? []
      : [`${name} (${target}) has no #!/usr/bin/env node line`];
  });
  check("every bin starts with a node shebang", badBins.length === 0, badBins.join("\n"));

  const packVersion = (
    JSON.parse(fs.readFileSync(path.join(packDir, "package", "policy-pack", "package.json"), "utf8")) as {
      version: string;
    }
  ).version;
  check(
    "the shipped policy pack reports the package's version",
    packVersion === manifest.version,
    `policy-pack/package.json has ${packVersion}, package.json ${manifest.version}`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// 3. and 4. The user's project

const USER_PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as confluentcloud from "pulumi-confluent-iam";

const organizationId = "b0b0cafe-0000-4000-8000-000000000001";

const app = new confluentcloud.ServiceAccount("app", {
  displayName: "installed-check-app",
  description: "made by the installed-package check",
});
const key = new confluentcloud.ApiKey("app-key", {
  displayName: "installed-check-key",
  description: "Cloud API key of the installed-package check",
  owner: { id: app.id, apiVersion: app.apiVersion, kind: app.kind },
});
const binding = new confluentcloud.RoleBinding("app-env-admin", {
  principal: pulumi.interpolate\`User:\${app.id}\`,
  roleName: "EnvironmentAdmin",
  crnPattern: \`crn://confluent.cloud/organization=\${organizationId}/environment=env-demo01\`,
});
const office = new confluentcloud.IpGroup("office", {
  groupName: "installed-check-office",
  cidrBlocks: ["203.0.113.0/24"],
});
const owner = confluentcloud.getUserOutput({ email: "owner@example.com" });

export const serviceAccountId: pulumi.Output<string> = app.id;
export const apiKeyId: pulumi.Output<string> = key.id;
export const apiKeySecret = key.secret;
export const roleBindingId: pulumi.Output<string> = binding.id;
export const ipGroupId: pulumi.Output<string> = office.id;
export const ownerId: pulumi.Output<string> = owner.id;
`;

// The principal is a literal: policies judge only values known at preview (a new service account's id is not).
const VIOLATING_PROGRAM = `import * as confluentcloud from "pulumi-confluent-iam";

new confluentcloud.RoleBinding("ci-org-admin", {
  principal: "User:sa-ci0001",
  roleName: "OrganizationAdmin",
  crnPattern: "crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001",
});
`;

// The tsconfig.json of Pulumi's TypeScript project template, strict.
const USER_TSCONFIG = JSON.stringify(
  {
    compilerOptions: {
      strict: true,
      outDir: "bin",
      target: "es2020",
      module: "commonjs",
      moduleResolution: "node",
      sourceMap: true,
      experimentalDecorators: true,
      pretty: true,
      noFallthroughCasesInSwitch: true,
      noImplicitReturns: true,
      forceConsistentCasingInFileNames: true,
    },
    files: ["index.ts", "violating/index.ts"],
  },
  null,
  2,
);

function writeProject(dir: string, name: string, program: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\nmain: index.ts\n`);
  fs.writeFileSync(path.join(dir, "index.ts"), program);
}

/** Starts `npx confluent-emulator --port 0` and returns its URL once it listens. */
function startEmulator(cwd: string, timeoutMs: number): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["--no", "--", "confluent-emulator", "--port", "0"], {
      cwd,
      env: userEnv(),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    children.add(child);
    let out = "";
    const timer = setTimeout(() => {
      killGroup(child);
      reject(new Error(`the emulator printed no address within ${seconds(timeoutMs)}:\n${out}`));
    }, timeoutMs);
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString("utf8");
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ url: m[1], child });
      }
    });
    child.stderr.on("data", (c: Buffer) => (out += c.toString("utf8")));
    child.on("close", (code) => {
      children.delete(child);
      clearTimeout(timer);
      reject(new Error(`the emulator exited (code ${code}) before listening:\n${out}`));
    });
  });
}

async function main(): Promise<void> {
  const keptDir = process.env.INSTALLED_CHECK_DIR ? path.resolve(process.env.INSTALLED_CHECK_DIR) : undefined;
  const tmp = keptDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "confluent-iam-installed-"));
  if (keptDir) {
    fs.rmSync(keptDir, { recursive: true, force: true });
    fs.mkdirSync(keptDir, { recursive: true });
  }
  const cleanup = (): void => {
    for (const c of children) killGroup(c);
    if (keptDir) console.log(`kept ${tmp} (INSTALLED_CHECK_DIR)`);
    else if (process.env.INSTALLED_CHECK_KEEP === "1") console.log(`kept ${tmp} (INSTALLED_CHECK_KEEP=1)`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    cleanup();
    process.kill(process.pid, signal);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  // The whole check is bounded too: a step that hangs past its own limit cannot keep CI waiting.
  const overall = setTimeout(() => {
    console.log(`FAIL  the installed check did not finish within 20 minutes`);
    cleanup();
    process.exit(1);
  }, 20 * 60_000);
  overall.unref();

  try {
    // 1. npm pack
    const packed = await run("npm", ["pack", "--json", "--pack-destination", tmp], {
      cwd: repoRoot,
      timeoutMs: 5 * 60_000,
    });
    require_("npm pack", packed.code === 0, packed.output);
    let info: { filename: string; files: PackedFile[] } | undefined;
    try {
      info = (JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as (typeof info)[])[0];
    } catch {
      info = undefined;
    }
    require_("npm pack --json reports the file list", info !== undefined, packed.output);
    const tarball = path.join(tmp, info!.filename);
    const unpacked = path.join(tmp, "unpacked");
    fs.mkdirSync(unpacked);
    const untar = await run("tar", ["-xzf", tarball, "-C", unpacked], { cwd: tmp, timeoutMs: 60_000 });
    require_("the tarball unpacks", untar.code === 0, untar.output);
    checkContents(info!.files, unpacked);

    // 2. install as a user would
    const project = path.join(tmp, "project");
    writeProject(project, "installed-check", USER_PROGRAM);
    writeProject(path.join(project, "violating"), "installed-check-violating", VIOLATING_PROGRAM);
    fs.writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify({ name: "installed-check", version: "1.0.0", private: true }, null, 2) + "\n",
    );
    fs.writeFileSync(path.join(project, "tsconfig.json"), USER_TSCONFIG + "\n");
    const dev = manifest.devDependencies;
    console.log(
      `      with @pulumi/pulumi ${pulumiVersion}, typescript ${dev.typescript}, node ${process.version}`,
    );
    const install = await run(
      "npm",
      [
        "install",
        "--no-audit",
        "--no-fund",
        tarball,
        `@pulumi/pulumi@${pulumiVersion}`,
        `typescript@${dev.typescript}`,
        `@types/node@${dev["@types/node"]}`,
      ],
      { cwd: project, timeoutMs: 8 * 60_000 },
    );
    require_(
      "npm install <tarball> @pulumi/pulumi typescript @types/node",
      install.code === 0,
      install.output,
    );

    // 3. type-check the user's program against the shipped .d.ts files
    const tsc = await run("npx", ["--no", "--", "tsc", "--noEmit", "-p", "."], {
      cwd: project,
      timeoutMs: 3 * 60_000,
    });
    check("tsc --noEmit (strict) on a user program importing the package", tsc.code === 0, tsc.output);

    // The subpath exports, as a program compiled with "moduleResolution": "node" (Pulumi's template, which
    // ignores package.json "exports") sees them: through "typesVersions". skipLibCheck, because
    // @pulumi/policy's own index.d.ts does not type-check.
    const subpaths = path.join(project, "subpaths");
    fs.mkdirSync(subpaths);
    fs.writeFileSync(
      path.join(subpaths, "index.ts"),
      `import { policies, policyPackName } from "pulumi-confluent-iam/policy";
import { op, typeToken } from "pulumi-confluent-iam/provider";
export const names: string[] = policies.map((p) => p.name);
export const pack: string = policyPackName;
export const ops: number = op.length;
export const token: string = typeToken("RoleBinding");
`,
    );
    fs.writeFileSync(
      path.join(subpaths, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { strict: true, module: "commonjs", moduleResolution: "node", skipLibCheck: true },
        files: ["index.ts"],
      }),
    );
    const tscSubpaths = await run("npx", ["--no", "--", "tsc", "--noEmit", "-p", "subpaths"], {
      cwd: project,
      timeoutMs: 3 * 60_000,
    });
    check(
      'tsc ("moduleResolution": "node") finds the types of pulumi-confluent-iam/policy and /provider',
      tscSubpaths.code === 0,
      tscSubpaths.output,
    );

    for (const bin of Object.keys(manifest.bin)) {
      const help = await run(path.join(project, "node_modules", ".bin", bin), ["--help"], {
        cwd: project,
        timeoutMs: 60_000,
      });
      check(
        `node_modules/.bin/${bin} --help runs`,
        help.code === 0 && /usage/i.test(help.output),
        help.output,
      );
    }

    const emulator = await startEmulator(project, 60_000);
    check("npx confluent-emulator --port 0 listens", true);
    const env = {
      CONFLUENT_CLOUD_ENDPOINT: emulator.url,
      CONFLUENT_CLOUD_API_KEY: "EMULATORDEMOKEY1",
      CONFLUENT_CLOUD_API_SECRET: "emulator-demo-secret-not-a-real-secret",
      PULUMI_CONFIG_PASSPHRASE: "installed-check-passphrase-not-a-secret",
      CONFLUENT_IAM_RUN_TIMEOUT_MS: String(4 * 60_000),
    };
    const iam = (args: string[]): Promise<RunResult> =>
      run("npx", ["--no", "--", "confluent-iam", ...args], { cwd: project, timeoutMs: 5 * 60_000, env });

    const up = await iam(["up"]);
    check(
      "npx confluent-iam up creates the program's objects and resolves the lookup",
      up.code === 0 && /ownerId\W+u-demo01/.test(up.output),
      up.output,
    );
    const destroy = await iam(["destroy"]);
    check("npx confluent-iam destroy deletes them", destroy.code === 0, destroy.output);

    // 4. the policy pack, both routes
    const violated = (r: RunResult): boolean =>
      r.code !== 0 && r.output.includes("role-binding-no-org-admin");
    const shipped = await iam([
      "preview",
      "--cwd",
      "violating",
      "--policy-pack",
      "node_modules/pulumi-confluent-iam/policy-pack",
    ]);
    check(
      "preview --policy-pack node_modules/pulumi-confluent-iam/policy-pack fails naming role-binding-no-org-admin",
      violated(shipped),
      `exit ${shipped.code}\n${shipped.output}`,
    );

    const init = await iam(["policy", "init", "./confluent-policy"]);
    check("npx confluent-iam policy init ./confluent-policy", init.code === 0, init.output);
    const again = await iam(["policy", "init", "./confluent-policy"]);
    check(
      "policy init refuses a folder that is not empty",
      again.code === 1 &&
        again.output.includes("is not empty; policy init writes only into a new or empty folder"),
      `exit ${again.code}\n${again.output}`,
    );
    // Where each pack's @pulumi/policy and @pulumi/pulumi come from, looked up from the pack folder as the
    // Pulumi CLI does (it runs the pack with run-policy-pack from @pulumi/pulumi found from there): the
    // project's node_modules, the same @pulumi/pulumi the runner uses.
    const resolved = await run(
      process.execPath,
      [
        "-e",
        `const path = require("path");
const from = (name, dir) => path.relative(process.cwd(), require.resolve(name, { paths: [path.resolve(dir)] }));
const out = {};
for (const dir of ["node_modules/pulumi-confluent-iam/policy-pack", "confluent-policy"]) {
  const policy = from("@pulumi/policy", dir);
  out[dir] = [policy, from("@pulumi/pulumi/package.json", dir), from("@pulumi/pulumi/package.json", path.dirname(policy))];
}
out.runner = [from("@pulumi/pulumi/package.json", "node_modules/pulumi-confluent-iam/dist/runner")];
console.log(JSON.stringify(out));`,
      ],
      { cwd: project, timeoutMs: 60_000 },
    );
    const pulumiPkg = path.join("node_modules", "@pulumi", "pulumi", "package.json");
    const policyMain = path.join("node_modules", "@pulumi", "policy", "index.js");
    let where: Record<string, string[]> = {};
    try {
      where = JSON.parse(resolved.stdout) as Record<string, string[]>;
    } catch {
      where = {};
    }
    check(
      "both packs find @pulumi/policy and @pulumi/pulumi in the project's node_modules, the runner's @pulumi/pulumi",
      JSON.stringify(where) ===
        JSON.stringify({
          "node_modules/pulumi-confluent-iam/policy-pack": [policyMain, pulumiPkg, pulumiPkg],
          "confluent-policy": [policyMain, pulumiPkg, pulumiPkg],
          runner: [pulumiPkg],
        }),
      resolved.output,
    );

    const own = await iam(["preview", "--cwd", "violating", "--policy-pack", "confluent-policy"]);
    check(
      "preview --policy-pack ./confluent-policy (made by policy init) fails naming role-binding-no-org-admin",
      violated(own),
      `exit ${own.code}\n${own.output}`,
    );
  } catch (e) {
    if (!(e instanceof CheckFailed))
      check("the installed check ran to its end", false, (e as Error).stack ?? String(e));
  } finally {
    cleanup();
    clearTimeout(overall);
  }
  const took = seconds(Date.now() - started);
  if (failures.length > 0) {
    console.log(
      `installed check FAILED in ${took}: ${failures.length} of ${passed + failures.length} checks failed`,
    );
    process.exitCode = 1;
  } else {
    console.log(`installed check passed in ${took}: ${passed} checks`);
  }
}

if (require.main === module) void main();
