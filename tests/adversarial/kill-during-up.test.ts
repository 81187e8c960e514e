/**
 * Issue 30, defect 3: `kill -9` during an `up` must leave nothing the stack does not know about, once one
 * more `up` has run. Before the fix, a kill while API keys waited to authenticate left live keys outside
 * the state and the next `up` made every one of them again (20 keys for 10, each name twice); a kill during
 * an `ApiKeyRotation` left 3 or 4 live keys for one rotation.
 *
 * Each trial runs `up` (tests/adversarial/support/up-driver.ts: no preview, lines as they come) in its own
 * process group, kills the whole group (runner, worker, provider host) with SIGKILL at a seeded instant
 * (after a seeded number of output lines, plus a seeded delay of 0–400 ms: instants taken from progress,
 * not from wall time), then runs `up` once more and checks, against the emulator's objects:
 * - 0 duplicates (no name twice), 0 objects outside the state, every API key in the state authenticates
 *   (`GET /org/v2/environments` with its own secret is not answered 401);
 * - for the rotation: at most 2 live keys, right after the kill and after the next `up`.
 *
 * Programs: tests/adversarial/fixtures/kill-up (10 service accounts, 10 API keys waited for until they
 * authenticate, 10 role bindings; the emulator's key propagation is 1 s, so a kill often lands between a
 * key's POST and its state write) and kill-rotation (a service account and an ApiKeyRotation; each trial
 * moves the rotation clock a period forward, so each killed `up` rotates).
 *
 * Trials: CONFLUENT_IAM_KILL_UP_TRIALS and CONFLUENT_IAM_KILL_ROTATION_TRIALS (the issue's 20 and 10);
 * by default 2 and 2, to keep CI within its budget of about 3 minutes for one test (3 + 2 took 4 min 18 s at
 * a load average of 24; a trial 34–50 s). Measured 2026-12-07 on the shared 2-core VM at a load average of
 * about 20: the full 20 + 10 took 1,018 s (up trials 29–43 s,
 * rotation trials 24–31 s, most of it process and provider-host start-up); 28 passed, and the 2 others
 * failed on the test's own fetch of the emulator's dump (a reset keep-alive socket, now retried once).
 * Before the fix, the first two up trials ended with every key twice (keys outside the state).
 * CONFLUENT_IAM_KILL_SEED picks the instants (default 30).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { loadState } from "../../runner/state";
import { unwrapSecrets } from "../../protocol";
import { EmulatorApi } from "../../testing/emulator-api";

const repoRoot = path.resolve(__dirname, "..", "..");
const driver = path.join(__dirname, "support", "up-driver.ts");
const upProgram = path.join(__dirname, "fixtures", "kill-up");
const rotationProgram = path.join(__dirname, "fixtures", "kill-rotation");
const PASSPHRASE = "kill-test-passphrase-not-a-secret";

const UP_TRIALS = Number(process.env.CONFLUENT_IAM_KILL_UP_TRIALS ?? 2);
const ROTATION_TRIALS = Number(process.env.CONFLUENT_IAM_KILL_ROTATION_TRIALS ?? 2);
const SEED = Number(process.env.CONFLUENT_IAM_KILL_SEED ?? 30);

jest.setTimeout(900_000);

/** mulberry32: the same instants for the same seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let emu: RunningEmulator;
let api: EmulatorApi;
let dir: string;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, keyPropagationMs: 1000, rbac: false });
  api = new EmulatorApi(emu);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "kill-during-up-"));
});

afterAll(async () => {
  await emu.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CONFLUENT_CLOUD_ENDPOINT: emu.url,
    CONFLUENT_CLOUD_API_KEY: emu.apiKey,
    CONFLUENT_CLOUD_API_SECRET: emu.apiSecret,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    CONFLUENT_IAM_RECONCILE_WAIT_MS: "300",
    CONFLUENT_IAM_RUN_TIMEOUT_MS: "",
    ...extra,
  };
}

interface Run {
  lines: string[];
  result?: { ok: boolean; errors: string[] };
}

/**
 * Runs up in its own process group. `killAfter`: SIGKILL the group once that many lines were printed, then
 * `delayMs` later; undefined: let it finish.
 */
function up(
  program: string,
  statePath: string,
  config: string[],
  extraEnv: Record<string, string>,
  killAfter?: { lines: number; delayMs: number },
): Promise<Run> {
  const child = spawn(
    process.execPath,
    ["-r", path.join(repoRoot, "scripts", "ts-register.js"), driver, program, statePath, ...config],
    { cwd: repoRoot, env: env(extraEnv), stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  const run: Run = { lines: [] };
  let partial = "";
  let killing = false;
  const kill = (): void => {
    try {
      process.kill(-(child.pid as number), "SIGKILL");
    } catch {
      // Already gone.
    }
  };
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (d: string) => {
    partial += d;
    const parts = partial.split("\n");
    partial = parts.pop() ?? "";
    for (const l of parts) {
      if (l.startsWith("__result__ ")) run.result = JSON.parse(l.slice(11)) as Run["result"];
      else run.lines.push(l);
      if (killAfter && !killing && run.lines.length >= killAfter.lines) {
        killing = true;
        setTimeout(kill, killAfter.delayMs);
      }
    }
  });
  child.stderr.resume();
  return new Promise((resolve) => child.once("close", () => resolve(run)));
}

/** Every process of the killed group is gone (the provider host exits on its own: stdin end-of-file). */
async function settleAfterKill(): Promise<void> {
  // The host may still finish a request that had left; give it the time its watchdog needs to notice.
  await new Promise((r) => setTimeout(r, 300));
}

/**
 * `call` once more when the test's own connection to the emulator was reset: fetch may reuse a keep-alive
 * socket the emulator is closing (idle timeout). Not the product's traffic: the runner uses its own client.
 */
async function again<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (!(e instanceof TypeError) || !/fetch failed/.test(e.message)) throw e;
    return call();
  }
}

/** The emulator's objects (retried once, see {@link again}). */
const dumpNow = (): Promise<Record<string, Record<string, unknown>[]>> => again(() => api.dump());

/** The status `id`/`secret` gets on the Cloud API (200: it authenticates; 401: it does not). */
function authenticates(id: string, secret: string): Promise<number> {
  return again(async () => {
    const res = await fetch(`${emu.url}/org/v2/environments?page_size=1`, {
      headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}` },
    });
    await res.text();
    return res.status;
  });
}

type Obj = Record<string, unknown>;

/** How many objects share each key (a count above 1 is a duplicate). */
function duplicates(objs: Obj[], keyOf: (o: Obj) => string): string[] {
  const seen = new Map<string, number>();
  for (const o of objs) seen.set(keyOf(o), (seen.get(keyOf(o)) ?? 0) + 1);
  return [...seen.entries()].filter(([, n]) => n > 1).map(([k, n]) => `${k} x${n}`);
}

const random = prng(SEED);
const upInstants = Array.from({ length: UP_TRIALS }, () => ({
  lines: 1 + Math.floor(random() * 40),
  delayMs: Math.floor(random() * 400),
}));
const rotationInstants = Array.from({ length: ROTATION_TRIALS }, () => ({
  lines: 1 + Math.floor(random() * 8),
  delayMs: Math.floor(random() * 1500),
}));

describe(`kill -9 during up of 30 objects (key propagation 1 s), at ${UP_TRIALS} seeded instants, then up`, () => {
  it.each(upInstants.map((at, i) => [i, at.lines, at.delayMs] as const))(
    "trial %i: killed after %i lines + %i ms; the next up leaves 0 duplicates, 0 objects outside the state, and every key in the state authenticates",
    async (i, lines, delayMs) => {
      const prefix = `t${i}`;
      const statePath = path.join(dir, `up-${i}.json`);
      await up(upProgram, statePath, [`prefix=${prefix}`], {}, { lines, delayMs });
      await settleAfterKill();
      const second = await up(upProgram, statePath, [`prefix=${prefix}`], {});
      expect(second.result?.errors).toEqual([]);
      expect(second.result?.ok).toBe(true);

      const state = loadState(statePath, "kill-up", "dev", env());
      const dump = await dumpNow();
      const mine = (objs: Obj[] | undefined, field: (o: Obj) => unknown): Obj[] =>
        (objs ?? []).filter((o) => String(field(o) ?? "").includes(`${prefix}-`));
      const sas = mine(dump.service_accounts, (o) => o.display_name);
      const keys = mine(dump.api_keys, (o) => o.display_name);
      const bindings = mine(dump.role_bindings, (o) => o.crn_pattern);
      const inState = new Set(state.resources.map((r) => r.id));
      expect(state.pendingOperations).toBeUndefined();
      expect(state.resources).toHaveLength(30);
      expect({
        duplicates: [
          ...duplicates(sas, (o) => String(o.display_name)),
          ...duplicates(keys, (o) => String(o.display_name)),
          ...duplicates(bindings, (o) => String(o.crn_pattern)),
        ],
        outsideState: [...sas, ...keys, ...bindings]
          .map((o) => String(o.id))
          .filter((id) => !inState.has(id)),
        counts: [sas.length, keys.length, bindings.length],
      }).toEqual({ duplicates: [], outsideState: [], counts: [10, 10, 10] });
      const statuses = await Promise.all(
        state.resources
          .filter((r) => r.type.endsWith(":ApiKey"))
          .map(async (r) => {
            const secret = String((unwrapSecrets(r.outputs) as Obj).secret ?? "");
            return `${r.name} ${await authenticates(r.id, secret)}`;
          }),
      );
      expect(statuses.filter((s) => !s.endsWith(" 200"))).toEqual([]);
    },
  );
});

describe(`kill -9 during an ApiKeyRotation's up, at ${ROTATION_TRIALS} seeded instants, then up`, () => {
  const statePath = (): string => path.join(dir, "rotation.json");
  const DAY = 86_400_000;
  const t0 = Date.parse("2027-01-01T00:00:00Z");
  const at = (ms: number): Record<string, string> => ({
    CONFLUENT_IAM_ROTATION_NOW: new Date(ms).toISOString(),
  });

  /** The owner's live keys, and the keys the state holds (active, previous, pending). */
  async function keysNow(): Promise<{ live: string[]; held: { id: string; secret: string }[] }> {
    const state = loadState(statePath(), "kill-rotation", "dev", env());
    const owner = String((unwrapSecrets(state.outputs) as Obj).owner ?? "");
    const rotation = state.resources.find((r) => r.type.endsWith(":ApiKeyRotation"));
    const outs = unwrapSecrets(rotation?.outputs ?? {}) as Record<string, { id: string; secret: string }>;
    const held = (["active", "previous", "pending"] as const).flatMap((k) => (outs[k] ? [outs[k]] : []));
    const dump = await dumpNow();
    const live = (dump.api_keys ?? []).filter((k) => k.owner_id === owner).map((k) => String(k.id));
    return { live, held };
  }

  beforeAll(async () => {
    const first = await up(rotationProgram, statePath(), [], at(t0));
    expect(first.result?.errors).toEqual([]);
  });

  it.each(rotationInstants.map((inst, i) => [i + 1, inst.lines, inst.delayMs] as const))(
    "rotation %i: killed after %i lines + %i ms; at most 2 live keys, none outside the state, every key in the state authenticates",
    async (n, lines, delayMs) => {
      // A period and more later: the rotation is due, and the previous key's overlap has ended.
      const when = at(t0 + n * 31 * DAY);
      await up(rotationProgram, statePath(), [], when, { lines, delayMs });
      await settleAfterKill();
      expect((await keysNow()).live.length).toBeLessThanOrEqual(2);
      const second = await up(rotationProgram, statePath(), [], when);
      expect(second.result?.errors).toEqual([]);
      const { live, held } = await keysNow();
      expect(live.length).toBeLessThanOrEqual(2);
      expect([...live].sort()).toEqual(held.map((k) => k.id).sort());
      const statuses = await Promise.all(
        held.map(async (k) => `${k.id} ${await authenticates(k.id, k.secret)}`),
      );
      expect(statuses.filter((s) => !s.endsWith(" 200"))).toEqual([]);
    },
  );
});
