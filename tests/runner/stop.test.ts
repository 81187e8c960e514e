/**
 * Stopping a run stops everything it started: the run time limit, `kill -9` of confluent-iam, and Ctrl-C
 * each leave no dynamic-provider host behind working for nobody (tests/runner/fixtures/stuck: a create that
 * never finishes and writes a line every 100 ms). Every wait here is bounded.
 */
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runLifecycle } from "../../runner";

const repoRoot = path.resolve(__dirname, "..", "..");
const fixture = path.join(__dirname, "fixtures", "stuck");
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "runner-stop-"));
  dirs.push(d);
  return d;
}

/** Alive and not a zombie (a reparented process may wait unreaped in a container). */
function alive(pid: number): boolean {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return false;
  }
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0] !== "Z";
}

function parentOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}

async function until(what: string, cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`gave up waiting ${ms} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The host's pid, once the stuck create has started. */
async function hostPid(beat: string): Promise<number> {
  await until(
    "the stuck create to start",
    () => fs.existsSync(beat) && /^\d+\n/.test(fs.readFileSync(beat, "utf8")),
    120_000,
  );
  return Number(fs.readFileSync(beat, "utf8").split("\n")[0]);
}

/** The beat file stops growing: nothing is working any more. */
async function quiet(beat: string): Promise<void> {
  const size = (): number => fs.statSync(beat).size;
  let last = size();
  await new Promise((r) => setTimeout(r, 500));
  await until(
    "the beat to stop",
    () => {
      const now = size();
      const still = now === last;
      last = now;
      return still;
    },
    20_000,
  );
}

function cli(dir: string, beat: string, detached: boolean): ChildProcess {
  return spawn(
    process.execPath,
    [
      "-r",
      path.join(repoRoot, "scripts", "ts-register.js"),
      path.join(repoRoot, "runner", "cli.ts"),
      "up",
      "--cwd",
      fixture,
      "--state",
      path.join(dir, "state.json"),
      "--config",
      `beat=${beat}`,
    ],
    {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
      detached,
      env: { ...process.env, CONFLUENT_IAM_RUN_TIMEOUT_MS: "" },
    },
  );
}

it("the run time limit stops the run and its provider host, and says what was under way", async () => {
  const dir = tmp();
  const beat = path.join(dir, "beat");
  const lines: string[] = [];
  // The limit's timer, fired once the stuck create is under way instead of waiting out its 60 s.
  const limits: { stop: () => void; ms: number }[] = [];
  const run = runLifecycle("up", {
    cwd: fixture,
    statePath: path.join(dir, "state.json"),
    config: [`beat=${beat}`],
    timeoutMs: 60_000,
    limitTimer: (stop, ms) => {
      limits.push({ stop, ms });
      return () => undefined;
    },
    onLine: (l) => lines.push(l),
  });
  const host = await hostPid(beat);
  // One timer for up's preview, one for up itself (now running); each set to the time left of the 60 s.
  expect(limits).toHaveLength(2);
  expect(limits.every((l) => l.ms > 0 && l.ms <= 60_000)).toBe(true);
  limits[1]!.stop();
  const r = await run;
  const message =
    "up did not finish within 60000 ms (the run time limit) and was stopped, with its provider host; " +
    "under way: create test:Stuck stuck. The state keeps every operation that finished: run refresh, then up again.";
  expect(r.exitCode).toBe(1);
  expect(r.errors).toEqual([message]);
  expect(lines[lines.length - 1]).toBe(`error: ${message}`);
  expect(r.output.endsWith(`error: ${message}\n`)).toBe(true);
  await until("the provider host to exit", () => !alive(host), 20_000);
  await quiet(beat);
});

it("kill -9 of confluent-iam stops its worker and the worker's provider host", async () => {
  const dir = tmp();
  const beat = path.join(dir, "beat");
  const child = cli(dir, beat, false);
  const exited = new Promise((r) => child.once("exit", r));
  const host = await hostPid(beat);
  const worker = parentOf(host);
  expect(parentOf(worker)).toBe(child.pid);
  child.kill("SIGKILL");
  await exited;
  await until("the worker to exit", () => !alive(worker), 20_000);
  await until("the provider host to exit", () => !alive(host), 20_000);
  await quiet(beat);
});

it("Ctrl-C (SIGINT to the process group) still stops confluent-iam, its worker and the host", async () => {
  const dir = tmp();
  const beat = path.join(dir, "beat");
  const child = cli(dir, beat, true);
  const exited = new Promise((r) => child.once("exit", r));
  const host = await hostPid(beat);
  const worker = parentOf(host);
  process.kill(-(child.pid ?? 0), "SIGINT");
  await exited;
  await until("the worker to exit", () => !alive(worker), 20_000);
  await until("the provider host to exit", () => !alive(host), 20_000);
  await quiet(beat);
});
