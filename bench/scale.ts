/**
 * Benchmark 5: scale. (a) `getRoleBindings` over many bindings on one CRN pattern: its time and its list
 * calls, against the fewest possible, ⌈bindings / the list's page maximum⌉. (b) A no-change `preview` of the
 * 600-object program after `up`: its time and its API calls (exactly one, preview's credential check
 * `GET /org/v2/environments?page_size=1`: diff is local).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { RoleBindingRecord } from "../emulator/objects/role-bindings";
import { readDataFile, writeDataFile } from "../emulator/persistence";
import { getRoleBindings } from "../sdk/lookups";
import { iamProgram, type IamProgramSize } from "./programs";
import {
  BenchEmulator,
  BenchProgram,
  CLUSTER_CRN,
  failedOperations,
  firstErrors,
  seconds,
  type Row,
} from "./support";
import { FULL_SIZE } from "./throughput";

/** Largest `page_size` of `GET /iam/v2/role-bindings` (OPERATIONS.md: max 1000). */
export const ROLE_BINDING_PAGE_MAX = 1000;

/** Options of {@link runScale}. */
export interface ScaleOptions {
  /** Role bindings to seed for the lookup. @default 10000 */
  bindings?: number;
  /** The program previewed. @default 50 service accounts, 50 API keys, 500 role bindings */
  program?: IamProgramSize;
  /** Skip the lookup part. */
  skipLookup?: boolean;
  /** Skip the preview part. */
  skipPreview?: boolean;
}

/** The lookup's figures. */
export interface LookupFigures {
  /** Bindings seeded on the pattern. */
  bindings: number;
  /** Bindings the lookup returned. */
  returned: number;
  /** List calls it made. */
  listCalls: number;
  /** Every other call it made. */
  otherCalls: number;
  /** The fewest list calls possible. */
  minimumListCalls: number;
  /** Time of the lookup. */
  ms: number;
  /** Time to seed the bindings (not part of the figure). */
  seedMs: number;
}

/** The preview's figures. */
export interface PreviewFigures {
  /** Objects in the program. */
  objects: number;
  /** API calls of the no-change preview. */
  calls: number;
  /** `METHOD path` of those calls (the credential check only). */
  callPaths: string[];
  /** Resources the preview found unchanged. */
  same: number;
  /** Steps the preview planned (should be none). */
  planned: number;
  /** Wall time of the preview command. */
  ms: number;
  /** Wall time of the `up` before it (for scale). */
  upMs: number;
  /** Failed operations of up, preview and destroy. */
  failed: number;
  /** First errors, when any. */
  errors: string[];
}

/** The benchmark's result. */
export interface ScaleResult {
  /** Absent when skipped. */
  lookup?: LookupFigures;
  /** Absent when skipped. */
  preview?: PreviewFigures;
}

/**
 * Starts an emulator that already holds `n` role bindings. Seeding through the API is O(n²) in the emulator
 * (each POST scans every binding for a duplicate: about two minutes for 10,000 here), and the control API's
 * seed document has no role bindings; so the bindings are written into the emulator's data file (its
 * documented persistence, typed by emulator/persistence.ts) and the emulator is started on that file.
 */
async function emulatorWithBindings(n: number, dir: string): Promise<BenchEmulator> {
  const dataFile = path.join(dir, "emulator-data.json");
  await (await BenchEmulator.start({ dataFile })).close();
  const data = readDataFile(dataFile);
  if (!data) throw new Error(`the emulator wrote no data file at ${dataFile}`);
  const at = new Date().toISOString();
  for (let i = 1; i <= n; i++) {
    const binding: RoleBindingRecord = {
      id: `rb-${i.toString(36).padStart(5, "0")}`,
      created_at: at,
      updated_at: at,
      visible_at_ms: 0,
      principal: "User:u-demo02",
      role_name: "DeveloperRead",
      crn_pattern: `${CLUSTER_CRN}/topic=scale-${i}`,
    };
    (data.db.tables.role_bindings ??= []).push(binding);
  }
  data.db.counters["rb-"] = Math.max(data.db.counters["rb-"] ?? 0, n);
  writeDataFile(dataFile, data);
  return BenchEmulator.start({ dataFile });
}

/**
 * Runs a lookup with the program's credentials taken from the environment, as a program would see them;
 * the variables are restored afterwards.
 */
async function withCredentials<T>(emu: BenchEmulator, fn: () => Promise<T>): Promise<T> {
  const keys = ["CONFLUENT_CLOUD_API_KEY", "CONFLUENT_CLOUD_API_SECRET", "CONFLUENT_CLOUD_ENDPOINT"] as const;
  const saved = keys.map((k) => process.env[k]);
  const env = emu.env();
  for (const k of keys) process.env[k] = env[k];
  try {
    return await fn();
  } finally {
    keys.forEach((k, i) => {
      const v = saved[i];
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    });
  }
}

async function runLookup(bindings: number): Promise<LookupFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "confluent-iam-bench-scale-"));
  const seedStart = performance.now();
  const emu = await emulatorWithBindings(bindings, dir);
  const seedMs = performance.now() - seedStart;
  try {
    await emu.clearLog();
    const started = performance.now();
    const found = await withCredentials(emu, () => getRoleBindings({ crnPattern: CLUSTER_CRN }));
    const ms = performance.now() - started;
    const log = await emu.log();
    const listCalls = log.filter((c) => c.method === "GET" && c.path === "/iam/v2/role-bindings").length;
    return {
      bindings,
      returned: found.roleBindings.length,
      listCalls,
      otherCalls: log.length - listCalls,
      minimumListCalls: Math.ceil(bindings / ROLE_BINDING_PAGE_MAX),
      ms,
      seedMs,
    };
  } finally {
    await emu.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function runPreview(size: IamProgramSize): Promise<PreviewFigures> {
  const emu = await BenchEmulator.start();
  const program = BenchProgram.create("scale-preview", iamProgram(size, "scale"));
  const env = emu.env();
  try {
    const up = await program.run("up", env, { parallel: 16 });
    await emu.clearLog();
    const preview = await program.run("preview", env, { parallel: 16 });
    const log = await emu.log();
    const calls = log.length;
    const callPaths = log.map((c) => `${c.method} ${c.path}`);
    const destroy = await program.run("destroy", env, { parallel: 16 });
    return {
      objects: size.serviceAccounts + size.apiKeys + size.roleBindings,
      calls,
      callPaths,
      same: preview.result.summary.same,
      planned: preview.result.steps.length,
      ms: preview.wallMs,
      upMs: up.wallMs,
      failed:
        failedOperations(up.result) + failedOperations(preview.result) + failedOperations(destroy.result),
      errors: [...firstErrors(up.result), ...firstErrors(preview.result), ...firstErrors(destroy.result)],
    };
  } finally {
    program.remove();
    await emu.close();
  }
}

/** Runs the benchmark, each part against its own fresh emulator. */
export async function runScale(options: ScaleOptions = {}): Promise<ScaleResult> {
  const result: ScaleResult = {};
  if (!options.skipLookup) result.lookup = await runLookup(options.bindings ?? 10_000);
  if (!options.skipPreview) result.preview = await runPreview(options.program ?? FULL_SIZE);
  return result;
}

/** The table rows. */
export function scaleRows(r: ScaleResult): Row[] {
  const rows: Row[] = [];
  const l = r.lookup;
  if (l) {
    rows.push({
      benchmark: "scale",
      figure: `getRoleBindings over ${l.bindings} bindings: list calls (other calls), returned, time`,
      value: `${l.listCalls} (${l.otherCalls}), ${l.returned}, ${seconds(l.ms)}`,
      target: `${l.minimumListCalls} list calls (0), ${l.bindings}`,
      met: l.listCalls === l.minimumListCalls && l.otherCalls === 0 && l.returned === l.bindings,
    });
  }
  const p = r.preview;
  if (p) {
    rows.push({
      benchmark: "scale",
      figure: `no-change preview of ${p.objects} objects: API calls, planned changes, time (up took)`,
      value:
        `${p.calls}, ${p.planned}, ${seconds(p.ms)} (${seconds(p.upMs)})` +
        (p.failed > 0 ? `, ${p.failed} failed [${p.errors[0] ?? ""}]` : ""),
      target: "1 call (the credential check), 0 changes",
      met:
        p.calls === 1 &&
        p.callPaths[0] === "GET /org/v2/environments" &&
        p.planned === 0 &&
        p.same === p.objects &&
        p.failed === 0,
    });
  }
  return rows;
}
