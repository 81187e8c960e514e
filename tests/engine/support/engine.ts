/**
 * The engine tier's harness: programs run by the real Pulumi CLI (built by engine/build-cli.sh, which
 * `npm run test:engine` runs first) against an emulator, with a local file backend in a temporary folder.
 *
 * Two ways to run a program:
 * - "repo": this repository's sources, as every other tier runs them. The program folder is copied under
 *   `.cache/engine-work/` (inside the repository, so `@pulumi/pulumi` resolves from its node_modules), and
 *   NODE_OPTIONS loads scripts/ts-register.js, which maps `pulumi-confluent-iam` to sdk/index.ts and compiles
 *   `.ts` files; PULUMI_NODEJS_TYPESCRIPT=false tells the language host not to load ts-node on top of it.
 * - "installed": a folder where `npm install` put the packed package (support/installed.ts): no hook, the
 *   program is compiled by ts-node as a user's is; `workRoot` puts the program inside that project.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cliBinDir } from "../../../engine/cli";

export const repoRoot = path.resolve(__dirname, "..", "..", "..");
/** Obviously fake; encrypts the stacks' secrets. */
export const PASSPHRASE = "engine-tier-passphrase-not-a-secret";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout then stderr. */
  output: string;
}

/** A step of `pulumi preview --json` / `pulumi up --json`. */
export interface JsonStep {
  op: string;
  urn: string;
  diffReasons?: string[];
  replaceReasons?: string[];
  detailedDiff?: Record<string, { kind: string }> | null;
}

/** `op name` of each step on a resource of this package (not the stack or providers), sorted. */
export function planOf(steps: JsonStep[]): string[] {
  return steps
    .filter((s) => s.urn.includes("::pulumi-nodejs:dynamic/") && !["same", "refresh", "read"].includes(s.op))
    .map((s) => `${s.op} ${s.urn.slice(s.urn.lastIndexOf("::") + 2)}`)
    .sort();
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
}

/** The emulator's control API, as an out-of-band user would call it. */
export class EmulatorControl {
  constructor(
    readonly url: string,
    private readonly apiKey: string,
    private readonly apiSecret: string,
  ) {}

  async api(method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${this.url}${apiPath}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`${this.apiKey}:${this.apiSecret}`).toString("base64")}`,
        "content-type": "application/json",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  async requests(): Promise<LoggedRequest[]> {
    return ((await this.api("GET", "/_emulator/requests")).body as { data: LoggedRequest[] }).data;
  }

  /** `METHOD path` of every request that changes something, sorted. */
  async writes(): Promise<string[]> {
    return (await this.requests())
      .filter((r) => r.method !== "GET" && !r.path.startsWith("/_emulator"))
      .map((r) => `${r.method} ${r.path}`)
      .sort();
  }

  async clear(): Promise<void> {
    await this.api("DELETE", "/_emulator/requests");
  }

  async dump(): Promise<Record<string, unknown>> {
    return (await this.api("GET", "/_emulator/dump")).body as Record<string, unknown>;
  }
}

export interface StackOptions {
  /** The program folder to copy (its Pulumi.yaml, index.ts and stack files). */
  source: string;
  mode: "repo" | "installed";
  emulator: { url: string; apiKey: string; apiSecret: string };
  stack?: string;
  /** More environment for every command. */
  env?: Record<string, string>;
  /** "installed" mode: where to copy the program (a folder inside the installed project). */
  workRoot?: string;
}

/** A stack of one program under the real CLI, with its own backend and PULUMI_HOME. */
export class EngineStack {
  readonly dir: string;
  readonly stack: string;
  readonly backend: string;
  private readonly tmp: string;
  readonly env: NodeJS.ProcessEnv;

  private constructor(opts: StackOptions) {
    this.stack = opts.stack ?? "dev";
    const workRoot = opts.workRoot ?? path.join(repoRoot, ".cache", "engine-work");
    fs.mkdirSync(workRoot, { recursive: true });
    this.dir = fs.mkdtempSync(path.join(workRoot, `${path.basename(opts.source)}-`));
    fs.cpSync(opts.source, this.dir, { recursive: true, filter: (f) => !f.includes(`${path.sep}.state`) });
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), "engine-stack-"));
    this.backend = path.join(this.tmp, "backend");
    fs.mkdirSync(this.backend);
    this.env = engineEnv(opts.mode, {
      PULUMI_HOME: path.join(this.tmp, "home"),
      PULUMI_BACKEND_URL: `file://${this.backend}`,
      CONFLUENT_CLOUD_ENDPOINT: opts.emulator.url,
      CONFLUENT_CLOUD_API_KEY: opts.emulator.apiKey,
      CONFLUENT_CLOUD_API_SECRET: opts.emulator.apiSecret,
      ...opts.env,
    });
  }

  /** Copies the program, then `pulumi stack init` with the passphrase secrets provider. */
  static async create(opts: StackOptions): Promise<EngineStack> {
    const s = new EngineStack(opts);
    const init = await s.pulumi(["stack", "init", s.stack, "--secrets-provider", "passphrase"]);
    if (init.code !== 0) throw new Error(`pulumi stack init failed:\n${init.output}`);
    return s;
  }

  /** Runs `pulumi <args>` in the program folder; never throws for a non-zero exit. */
  pulumi(
    args: string[],
    opts: { timeoutMs?: number; env?: Record<string, string> } = {},
  ): Promise<CommandResult> {
    return runCommand(path.join(cliBinDir(), "pulumi"), [...args, "--non-interactive"], {
      cwd: this.dir,
      env: { ...this.env, ...opts.env },
      timeoutMs: opts.timeoutMs ?? 300_000,
    });
  }

  /**
   * `pulumi preview|up|refresh|destroy --json` and its parsed steps. `preview --json` prints one document;
   * the others print the preview's document, then one engine event per line: the steps are then the
   * update's own (`resourcePreEvent`s) and the summary its `summaryEvent`.
   */
  async json(
    command: "preview" | "up" | "refresh" | "destroy",
    extra: string[] = [],
  ): Promise<CommandResult & { steps: JsonStep[]; summary: Record<string, number> }> {
    const yes = command === "preview" ? [] : ["--yes"];
    const r = await this.pulumi([command, "--stack", this.stack, "--json", ...yes, ...extra]);
    return { ...r, ...parseJsonOutput(r.stdout) };
  }

  async setConfig(pairs: string[]): Promise<void> {
    for (const pair of pairs) {
      const at = pair.indexOf("=");
      const r = await this.pulumi([
        "config",
        "set",
        "--stack",
        this.stack,
        pair.slice(0, at),
        pair.slice(at + 1),
      ]);
      if (r.code !== 0) throw new Error(`pulumi config set ${pair.slice(0, at)} failed:\n${r.output}`);
    }
  }

  /** The stack's deployment (`pulumi stack export`), secrets encrypted. */
  async exportDeployment(): Promise<{ version: number; deployment: Deployment }> {
    const r = await this.pulumi(["stack", "export", "--stack", this.stack]);
    if (r.code !== 0) throw new Error(`pulumi stack export failed:\n${r.output}`);
    return JSON.parse(r.stdout) as { version: number; deployment: Deployment };
  }

  close(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}

export interface DeployedResource {
  urn: string;
  type: string;
  id?: string;
  custom?: boolean;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  dependencies?: string[];
  parent?: string;
  provider?: string;
}

export interface Deployment {
  manifest: unknown;
  secrets_providers?: { type: string; state: unknown };
  resources?: DeployedResource[];
  pending_operations?: { resource: DeployedResource; type: string }[];
}

/** Steps and change summary of a `--json` command's stdout (see {@link EngineStack.json}). */
export function parseJsonOutput(stdout: string): { steps: JsonStep[]; summary: Record<string, number> } {
  const lines = stdout.split("\n");
  const docEnd = lines[0] === "{" ? lines.indexOf("}") : -1;
  let steps: JsonStep[] = [];
  let summary: Record<string, number> = {};
  if (docEnd > 0) {
    const doc = JSON.parse(lines.slice(0, docEnd + 1).join("\n")) as {
      steps?: JsonStep[];
      changeSummary?: Record<string, number>;
    };
    steps = doc.steps ?? [];
    summary = doc.changeSummary ?? {};
  }
  const events = lines
    .slice(docEnd + 1)
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as EngineEvent);
  if (events.length > 0) {
    steps = events.flatMap((e) =>
      e.resourcePreEvent
        ? [{ ...e.resourcePreEvent.metadata, diffReasons: e.resourcePreEvent.metadata.diffs }]
        : [],
    );
    summary = events.find((e) => e.summaryEvent)?.summaryEvent?.resourceChanges ?? {};
  }
  return { steps, summary };
}

interface EngineEvent {
  resourcePreEvent?: { metadata: { op: string; urn: string; diffs?: string[] } };
  summaryEvent?: { resourceChanges: Record<string, number> };
}

/** The environment of every CLI command of the tier. */
export function engineEnv(mode: "repo" | "installed", extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // What the tests' own process carries must not reach the CLI's programs: jest's and npm's variables, and
  // a NODE_OPTIONS that is not ours.
  for (const k of Object.keys(env)) if (k.startsWith("npm_") || k.startsWith("JEST_")) delete env[k];
  delete env.NODE_OPTIONS;
  delete env.PULUMI_NODEJS_TYPESCRIPT;
  Object.assign(env, {
    // This checkout's launchers (language host, policy analyzer, dynamic-provider host) first: the CLI cache
    // may be shared between checkouts, and its links point at whichever checkout ran build-cli.sh last.
    PATH: [path.join(repoRoot, "engine", "bin"), cliBinDir(), process.env.PATH ?? ""].join(path.delimiter),
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    PULUMI_COPILOT: "false",
    NO_COLOR: "1",
    ...extra,
  });
  if (mode === "repo") {
    env.NODE_OPTIONS = `--require ${JSON.stringify(path.join(repoRoot, "scripts", "ts-register.js"))}`;
    env.PULUMI_NODEJS_TYPESCRIPT = "false";
  }
  return env;
}

/** Runs a command to its end (or kills it after `timeoutMs`); stdout and stderr are collected. */
export function runCommand(
  file: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const tail = signal ? `\n[killed by ${signal} after ${opts.timeoutMs} ms or by the test]` : "";
      resolve({ code: code ?? -1, stdout, stderr, output: `${stdout}\n${stderr}${tail}` });
    });
  });
}
