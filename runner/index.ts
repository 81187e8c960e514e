/**
 * Programmatic API of the lifecycle runner: each command runs in its own child process (./worker.ts),
 * because the Pulumi SDK keeps global state and can run a program only once per process.
 */
import { fork } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { Command, RunResult } from "./engine";

export type { Command, RunResult, StepRecord, StepOp, Violation } from "./engine";

/** Options of {@link runLifecycle}. */
export interface LifecycleOptions {
  /** Folder with Pulumi.yaml and the program. */
  cwd: string;
  /** Stack name. @default "dev" */
  stack?: string;
  /** `key=value` config overrides (like `--config`). */
  config?: string[];
  /** State file. @default `<cwd>/.state/<stack>.json` */
  statePath?: string;
  /** At most this many resource operations at once. @default 10 */
  parallel?: number;
  /** Policy pack folder; `up` runs a preview with it first and stops on a mandatory violation, then checks each
   * resource again with its resolved inputs before changing it. */
  policyPack?: string;
  /** Environment of the command (credentials, CONFLUENT_CLOUD_ENDPOINT). @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Each output line, as it comes. */
  onLine?: (line: string) => void;
  /**
   * Stop the command's process (SIGKILL) if it has not finished after this many ms, and report that as a
   * failure. State is written atomically after each operation, so what was done so far is kept.
   * @default the env var CONFLUENT_IAM_RUN_TIMEOUT_MS, else no limit
   */
  timeoutMs?: number;
  /**
   * Sets the run time limit's timer: calls `stop` after `ms` (default: `setTimeout`), and returns what
   * cancels it. A test seam, so that a test of the limit fires it when it chooses instead of waiting.
   */
  limitTimer?: (stop: () => void, ms: number) => () => void;
  /**
   * `up` only: apply without the preview it runs first (as `pulumi up --skip-preview`). Refusals of what the
   * runner does not support, and the policy pack's preview check, then happen as resources register, so some
   * objects may already exist when the run stops. @default false
   */
  skipPreview?: boolean;
}

/** What a command did, plus its exit code and printed output. */
export interface LifecycleResult extends RunResult {
  /** 0 when ok. */
  exitCode: number;
  /** Everything printed on stdout. */
  output: string;
  /** Everything printed on stderr. */
  stderr: string;
}

const ext = path.extname(__filename);
const workerPath = path.join(__dirname, `worker${ext}`);
const tsRegister = path.resolve(__dirname, "..", "scripts", "ts-register.js");

/** {@link LifecycleOptions} as one worker sees them: the limit resolved to a deadline. */
interface WorkerRun extends LifecycleOptions {
  /** When the whole command must have finished (Date.now() ms), when there is a limit. */
  deadline?: number;
  /** The command the user ran (`up` for up's preview), for messages. */
  label?: Command;
}

function runWorker(
  command: Command,
  opts: WorkerRun,
  policyPack: string | undefined,
  gate = false,
): Promise<LifecycleResult> {
  const execArgv = ext === ".ts" && fs.existsSync(tsRegister) ? ["--require", tsRegister] : [];
  const workerOpts = {
    command,
    cwd: path.resolve(opts.cwd),
    stack: opts.stack,
    config: opts.config,
    statePath: opts.statePath,
    parallel: opts.parallel,
    policyPack,
    gate,
  };
  const child = fork(workerPath, [JSON.stringify(workerOpts)], {
    cwd: path.resolve(opts.cwd),
    env: opts.env ?? process.env,
    execArgv,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let output = "";
  let stderr = "";
  let partial = "";
  let result: RunResult | undefined;
  // One limit for the whole command the user ran (up's preview included): stop at its deadline.
  const limitMs = opts.timeoutMs;
  const label = opts.label ?? command;
  let timedOut = false;
  const cancelLimit =
    limitMs === undefined
      ? undefined
      : (opts.limitTimer ?? realTimer)(
          () => {
            timedOut = true;
            child.kill("SIGKILL");
          },
          Math.max(0, (opts.deadline ?? Date.now()) - Date.now()),
        );
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (d: string) => {
    output += d;
    partial += d;
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const l of lines) opts.onLine?.(l);
  });
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (d: string) => {
    stderr += d;
  });
  // Provider operations under way, by what they are (`create confluent:ApiKey key`), with how many.
  const running = new Map<string, number>();
  child.on("message", (m: unknown) => {
    if (typeof m !== "object" || m === null) return;
    const msg = m as { type?: unknown; result?: RunResult; phase?: unknown; what?: unknown };
    if (msg.type === "result") result = msg.result;
    if (msg.type === "operation" && typeof msg.what === "string") {
      const n = (running.get(msg.what) ?? 0) + (msg.phase === "start" ? 1 : -1);
      if (n > 0) running.set(msg.what, n);
      else running.delete(msg.what);
    }
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      cancelLimit?.();
      if (partial) opts.onLine?.(partial);
      const exitCode = code ?? 1;
      if (!result || timedOut) {
        const why = timedOut
          ? `${label} did not finish within ${limitMs} ms (the run time limit) and was stopped, with its ` +
            `provider host; ${stoppedWhat([...running.keys()])} The state keeps every operation that ` +
            `finished: run refresh, then ${label} again.`
          : `the ${command} process exited with ${exitCode} before reporting: ${stderr.trim()}`;
        // Printed like any other error line, so the CLI shows it too.
        const line = `error: ${why}`;
        output += `${line}\n`;
        opts.onLine?.(line);
        resolve({
          command,
          ok: false,
          steps: [],
          summary: { create: 0, update: 0, replace: 0, delete: 0, same: 0, read: 0, failed: 0 },
          outputs: {},
          violations: [],
          errors: [why],
          exitCode: exitCode === 0 ? 1 : exitCode,
          output,
          stderr,
        });
        return;
      }
      resolve({ ...result, exitCode: result.ok ? exitCode : Math.max(exitCode, 1), output, stderr });
    });
  });
}

/** The run time limit's timer, in real time. */
function realTimer(stop: () => void, ms: number): () => void {
  const timer = setTimeout(stop, ms);
  return () => clearTimeout(timer);
}

/** What a stopped run was doing, for its error message. */
function stoppedWhat(operations: string[]): string {
  if (operations.length === 0) return "no provider operation was under way.";
  return `under way: ${operations.sort().join(", ")}.`;
}

/**
 * Runs `preview`, `up`, `refresh` or `destroy` on the program in `opts.cwd`. `up` first runs a preview (with
 * the policy pack, if any) and stops there when it fails (nothing changed); then it applies, analyzing
 * each resource again with its resolved inputs before creating or updating it (values behind an `apply` are
 * unknown at preview): a mandatory violation stops that resource.
 */
export async function runLifecycle(command: Command, options: LifecycleOptions): Promise<LifecycleResult> {
  const envLimit = Number(process.env.CONFLUENT_IAM_RUN_TIMEOUT_MS);
  const timeoutMs = options.timeoutMs ?? (Number.isFinite(envLimit) && envLimit > 0 ? envLimit : undefined);
  const opts: WorkerRun = {
    ...options,
    timeoutMs,
    deadline: timeoutMs === undefined ? undefined : Date.now() + timeoutMs,
    label: command,
  };
  if (command === "up" && opts.skipPreview === true) return runWorker("up", opts, opts.policyPack);
  if (command === "up") {
    // As `pulumi up` does, preview first: what the runner cannot do (an unsupported resource option, a
    // resource of another provider, an invoke) and what the policy pack forbids stop the run before any
    // API call. Without a pack the preview is shown only when it fails.
    const check = await runWorker(
      "preview",
      { ...opts, onLine: opts.policyPack ? opts.onLine : undefined },
      opts.policyPack,
      true,
    );
    if (!check.ok) {
      if (!opts.policyPack) for (const l of check.output.split("\n").slice(0, -1)) opts.onLine?.(l);
      return { ...check, command: "up" };
    }
    if (!opts.policyPack) return runWorker("up", opts, undefined);
    const applied = await runWorker("up", opts, opts.policyPack);
    const seen = new Set<string>();
    const violations = [...check.violations, ...applied.violations].filter((v) => {
      const key = JSON.stringify([v.policyName, v.urn ?? "", v.message]);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return { ...applied, violations, output: check.output + applied.output };
  }
  return runWorker(command, opts, command === "preview" ? opts.policyPack : undefined);
}
