/**
 * Benchmark 4: fault soak. The emulator answers 10 % of API calls with a 5xx, 5 % with a 429, resets 1 % of
 * connections, and hides new objects from GET by id for 300 ms. A mixed program is applied (`up`), edited so
 * that some objects update and some are replaced (`up` again), then destroyed. Counted: failed operations,
 * objects in the emulator that the stack does not know (duplicates, orphans) after each `up`, and objects
 * left after `destroy`.
 */
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { ActedFaultProxy } from "./acted-proxy";
import { ANCHOR_ENV, ANCHOR_SETTINGS } from "./anchor";
import { mixedProgram, type MixOptions } from "./programs";
import {
  BenchEmulator,
  BenchProgram,
  CREATED_TABLES,
  failedOperations,
  firstErrors,
  seconds,
  type DumpRecord,
  type LoggedCall,
  type Row,
} from "./support";

/** Options of {@link runSoak}. */
export interface SoakOptions {
  /** Objects in the program. @default 300 */
  objects?: number;
  /** Runner parallelism. @default 16 */
  parallel?: number;
  /** Fault rates and read lag. @default 10 % 5xx, 5 % 429, 1 % resets, 300 ms read lag */
  faults?: { "5xx": number; "429": number; reset: number; readLagMs: number };
  /** Seed of the emulator's fault sequence. @default 7 */
  faultSeed?: number;
  /** Extra environment of the runner (the provider's tuning knobs, see provider/runtime.ts). */
  env?: Record<string, string>;
  /** Kinds left out of the mixed program. @default every kind in */
  mix?: MixOptions;
  /**
   * The client policy: ours, or the model of the anchor's (bench/anchor.ts, installed in the runner's
   * processes by bench/anchor-preload.ts). @default "ours"
   */
  policy?: SoakPolicy;
  /** With the anchor's policy: factor on its fixed post-create sleeps (1 = 90 s per role binding). @default 1 */
  anchorSleepScale?: number;
  /**
   * Share of POSTs answered 502 after the emulator made the object (bench/acted-proxy.ts, seeded with the
   * fault seed), on top of the emulator's own faults, which all come before it acts. @default 0
   */
  actedPost502?: number;
}

/** Which client policy a soak runs with. */
export type SoakPolicy = "ours" | "anchor";

/** One step of the soak. */
export interface SoakStep {
  /** `up`, `edit` (the second up) or `destroy`. */
  step: "up" | "edit" | "destroy";
  /** Failed operations the runner reported. */
  failed: number;
  /** Failed operations by kind (SDK class name). */
  failedByKind: Record<string, number>;
  /** Objects in the emulator the stack does not record (duplicates or orphans); after `up` and `edit`. */
  extras: number;
  /** Of the extras, those with the same name (or principal, role and CRN) as an object the stack records. */
  duplicates: number;
  /** Of the extras, the others: made by a create the stack does not know succeeded. */
  orphans: number;
  /** Objects in the emulator after the step, of the kinds a program creates. */
  objects: number;
  /** Steps done by kind of operation. */
  summary: Record<string, number>;
  /** API calls, and how many the emulator answered with a fault. */
  calls: number;
  /** 5xx answers. */
  serverErrors: number;
  /** 429 answers. */
  tooMany: number;
  /** Connections reset. */
  resets: number;
  /** Wall time of the command. */
  wallMs: number;
  /** First errors, when any. */
  errors: string[];
  /** A few of the extra objects, for the report. */
  extraSamples: string[];
}

/** The benchmark's result. */
export interface SoakResult {
  /** Objects in the program. */
  objects: number;
  /** The three steps. */
  steps: SoakStep[];
  /** Failed operations over all steps. */
  failed: number;
  /** Duplicates or orphans seen after `up` (the issue's figure) and after the edit. */
  duplicates: number;
  /** Distinct objects the stack does not record, after `up` or the edit: duplicates of one it records, and orphans. */
  duplicateObjects: number;
  orphanObjects: number;
  /** API calls over the three steps, and their wall time. */
  calls: number;
  wallMs: number;
  /** The client policy, and the factor on the anchor's post-create sleeps. */
  policy: SoakPolicy;
  anchorSleepScale: number;
  /** Objects left after `destroy`. */
  leftovers: number;
  /** API keys were left out of the program. */
  withoutApiKeys: boolean;
  /** The faults in force. */
  faults: { "5xx": number; "429": number; reset: number; readLagMs: number };
  /** Share of POSTs answered 502 after acting, and how many were. */
  actedPost502: number;
  actedFaulted: number;
}

/** The faults the issue names. */
export const SOAK_FAULTS = { "5xx": 0.1, "429": 0.05, reset: 0.01, readLagMs: 300 };

const stateIds = z.object({ resources: z.array(z.object({ id: z.string() }).passthrough()) });

function idsInState(file: string): Set<string> {
  if (!fs.existsSync(file)) return new Set();
  return new Set(stateIds.parse(JSON.parse(fs.readFileSync(file, "utf8"))).resources.map((r) => r.id));
}

function created(dump: Record<string, DumpRecord[]>): { table: string; rec: DumpRecord }[] {
  return CREATED_TABLES.flatMap((table) => (dump[table] ?? []).map((rec) => ({ table, rec })));
}

/** What makes an object the same as another of its table, for telling duplicates from orphans. */
function identityOf(table: string, r: DumpRecord): string {
  const name = r.display_name ?? r.group_name ?? r.filter_name ?? r.email;
  return `${table}|${typeof name === "string" ? name : `${String(r.principal)}|${String(r.role_name)}|${String(r.crn_pattern)}`}`;
}

function describeRecord(table: string, r: DumpRecord): string {
  const name = r.display_name ?? r.group_name ?? r.filter_name ?? r.email ?? r.role_name ?? "";
  return `${table}/${r.id}${name ? ` (${String(name)})` : ""}`;
}

function faultCounts(
  log: readonly LoggedCall[],
): Pick<SoakStep, "calls" | "serverErrors" | "tooMany" | "resets"> {
  return {
    calls: log.length,
    serverErrors: log.filter((c) => c.status >= 500).length,
    tooMany: log.filter((c) => c.status === 429).length,
    resets: log.filter((c) => c.status === 0).length,
  };
}

/** Runs the soak against a fresh emulator. */
export async function runSoak(options: SoakOptions = {}): Promise<SoakResult> {
  const objects = options.objects ?? 300;
  const parallel = options.parallel ?? 16;
  const f = options.faults ?? SOAK_FAULTS;
  const emu = await BenchEmulator.start({
    faults: { "5xx": f["5xx"], "429": f["429"], reset: f.reset },
    readLagMs: f.readLagMs,
    faultSeed: options.faultSeed ?? 7,
  });
  const tag = Date.now().toString(36);
  const program = BenchProgram.create("soak", mixedProgram(objects, tag, { mix: options.mix }));
  const policy = options.policy ?? "ours";
  const anchorSleepScale = options.anchorSleepScale ?? 1;
  const markFile = path.join(program.dir, "anchor-model-clients");
  const acted = options.actedPost502 ?? 0;
  const proxy = acted > 0 ? await ActedFaultProxy.start(emu.url, acted, options.faultSeed ?? 7) : undefined;
  const env = emu.env({
    ...options.env,
    ...(proxy ? { CONFLUENT_CLOUD_ENDPOINT: proxy.url } : {}),
    ...(policy === "anchor" ? anchorEnv(anchorSleepScale, markFile) : {}),
  });
  const steps: SoakStep[] = [];
  /** Objects the stack does not record, by id: whether they duplicate one it does. */
  const strays = new Map<string, boolean>();
  try {
    for (const step of ["up", "edit", "destroy"] as const) {
      if (step === "edit") program.declare(mixedProgram(objects, tag, { edited: true, mix: options.mix }));
      await emu.clearLog();
      const { result, wallMs } = await program.run(step === "destroy" ? "destroy" : "up", env, { parallel });
      const log = await emu.log();
      const marks = fs.existsSync(markFile) ? fs.readFileSync(markFile, "utf8") : "";
      if (policy === "anchor" && !marks.includes("dynamic-provider")) {
        throw new Error("the anchor model was not installed in the provider host (bench/anchor-preload.ts)");
      }
      const inEmulator = created(await emu.dump());
      const known = idsInState(program.statePath);
      const extra = step === "destroy" ? [] : inEmulator.filter((o) => !known.has(o.rec.id));
      const recorded = new Set(
        inEmulator.filter((o) => known.has(o.rec.id)).map((o) => identityOf(o.table, o.rec)),
      );
      const duplicates = extra.filter((o) => recorded.has(identityOf(o.table, o.rec))).length;
      // Each stray object once, as it stands at its last check (a stray key whose create is redone by the
      // edit's `up` is an orphan after `up` and a duplicate after the edit).
      for (const o of extra) strays.set(o.rec.id, recorded.has(identityOf(o.table, o.rec)));
      const failedByKind: Record<string, number> = {};
      for (const s of result.steps.filter((x) => x.status === "failed")) {
        const kind = s.type.slice(s.type.lastIndexOf(":") + 1);
        failedByKind[kind] = (failedByKind[kind] ?? 0) + 1;
      }
      steps.push({
        step,
        failed: failedOperations(result),
        failedByKind,
        extras: extra.length,
        duplicates,
        orphans: extra.length - duplicates,
        objects: inEmulator.length,
        summary: Object.fromEntries(Object.entries(result.summary).filter(([, n]) => n > 0)),
        ...faultCounts(log),
        wallMs,
        errors: firstErrors(result),
        extraSamples: extra.slice(0, 5).map((o) => describeRecord(o.table, o.rec)),
      });
    }
  } finally {
    program.remove();
    await proxy?.close();
    await emu.close();
  }
  const last = steps[steps.length - 1];
  return {
    objects,
    steps,
    failed: steps.reduce((n, s) => n + s.failed, 0),
    duplicates: steps.filter((s) => s.step !== "destroy").reduce((n, s) => n + s.extras, 0),
    duplicateObjects: [...strays.values()].filter(Boolean).length,
    orphanObjects: [...strays.values()].filter((d) => !d).length,
    calls: steps.reduce((n, s) => n + s.calls, 0),
    wallMs: steps.reduce((n, s) => n + s.wallMs, 0),
    policy,
    anchorSleepScale,
    actedPost502: acted,
    actedFaulted: proxy?.faulted ?? 0,
    leftovers: last?.step === "destroy" ? last.objects : -1,
    withoutApiKeys: options.mix?.withoutApiKeys === true,
    faults: f,
  };
}

/**
 * The environment that makes a runner command use the anchor's model: bench/anchor-preload.ts loaded into
 * every process (after the TypeScript hook, which it needs), with the model's options.
 */
function anchorEnv(sleepScale: number, markFile: string): Record<string, string> {
  const root = path.resolve(__dirname, "..");
  const tsRegister = path.join(root, "scripts", "ts-register.js");
  const preload = path.join(__dirname, `anchor-preload${path.extname(__filename)}`);
  const requires = [...(path.extname(__filename) === ".ts" ? [tsRegister] : []), preload];
  const existing = process.env.NODE_OPTIONS ?? "";
  return {
    NODE_OPTIONS: `${requires.map((r) => `--require ${JSON.stringify(r)}`).join(" ")} ${existing}`.trim(),
    [ANCHOR_ENV]: JSON.stringify({ sleepScale, markFile }),
  };
}

/** An error cut to table size (the whole text is in the result). */
function short(e: string): string {
  const text = e.replace(/^urn:pulumi:[^:]+::[^:]+::[^:]+:[^:]+:/, "");
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function soakLabel(r: SoakResult): string {
  const pct = (p: number): string => `${Math.round(p * 1000) / 10}%`;
  return (
    `${r.objects} mixed objects${r.withoutApiKeys ? " (no API keys)" : ""}, ${pct(r.faults["5xx"])} 5xx, ` +
    `${pct(r.faults["429"])} 429, ${pct(r.faults.reset)} resets, ${r.faults.readLagMs} ms lag` +
    (r.actedPost502 > 0 ? `, ${pct(r.actedPost502)} of POSTs 502 after acting` : "")
  );
}

/** The table rows: the three targets, then one line per step. */
export function soakRows(r: SoakResult): Row[] {
  const benchmark = "soak";
  const label = soakLabel(r);
  const rows: Row[] = [
    {
      benchmark,
      figure: `${label}: failed operations`,
      value: String(r.failed),
      target: "0",
      met: r.failed === 0,
    },
    {
      benchmark,
      figure: `${label}: duplicate or orphaned objects after up (and after the edit)`,
      value: String(r.duplicates),
      target: "0",
      met: r.duplicates === 0,
    },
    {
      benchmark,
      figure: `${label}: objects left after destroy`,
      value: String(r.leftovers),
      target: "0",
      met: r.leftovers === 0,
    },
  ];
  return [...rows, ...stepRows(r, label)];
}

/** One row per step: steps done, calls with the faults among them, wall time. */
function stepRows(r: SoakResult, label: string): Row[] {
  const benchmark = "soak";
  const rows: Row[] = [];
  for (const s of r.steps) {
    const done = Object.entries(s.summary)
      .map(([k, n]) => `${n} ${k}`)
      .join(", ");
    const failedKinds = Object.entries(s.failedByKind)
      .map(([k, n]) => `${n} ${k}`)
      .join(", ");
    rows.push({
      benchmark,
      figure: `${label}, ${s.step}: steps; calls (5xx / 429 / resets); wall`,
      value:
        `${done}${failedKinds ? ` (failed: ${failedKinds})` : ""}; ` +
        `${s.calls} (${s.serverErrors} / ${s.tooMany} / ${s.resets}); ${seconds(s.wallMs)}` +
        (s.errors.length > 0 ? ` [first error: ${short(s.errors[0] ?? "")}]` : "") +
        (s.extraSamples.length > 0 ? ` [extra: ${s.extraSamples.join(", ")}]` : ""),
      target: "",
    });
  }
  return rows;
}

/**
 * Our client policy alone behind the 502-after-acting proxy (`npm run bench -- --only acted`): the row of
 * the comparison that issue 30 asks to read 0 / 0 / 0 / 0, with its steps.
 */
export function actedRows(ours: SoakResult): Row[] {
  const label = soakLabel(ours);
  return [
    {
      benchmark: "soak",
      figure:
        `${label}, our client policy: duplicates / orphans / failed operations / left after destroy / calls / ` +
        "wall (up + edit + destroy)",
      value:
        `${ours.duplicateObjects} / ${ours.orphanObjects} / ${ours.failed} / ${ours.leftovers} / ${ours.calls} / ` +
        `${seconds(ours.wallMs)} (${ours.actedFaulted} POSTs answered 502 after acting)`,
      target: "0 / 0 / 0 / 0",
      met:
        ours.duplicateObjects === 0 && ours.orphanObjects === 0 && ours.failed === 0 && ours.leftovers === 0,
    },
    ...stepRows(ours, `${label}, our client policy`),
  ];
}

/** How the anchor model's runs are labelled: a model, and how its sleeps were run. */
function anchorLabel(r: SoakResult): string {
  const sleep = ANCHOR_SETTINGS.roleBindingSleepMs;
  const ran = Math.round(sleep * r.anchorSleepScale);
  return (
    "anchor MODEL (terraform-provider-confluent's client policy, bench/anchor.ts; " +
    (ran === sleep
      ? `role-binding sleep ${seconds(sleep)})`
      : `role-binding sleep ${seconds(sleep)} run as ${seconds(ran)})`)
  );
}

/**
 * The issue's side-by-side rows: the same soak (program, faults, fault seed, parallelism) with our client
 * policy and with the model of the anchor's, then the model's steps.
 */
export function anchorComparisonRows(
  ours: SoakResult,
  anchor: SoakResult,
  { ourTarget = true }: { ourTarget?: boolean } = {},
): Row[] {
  const benchmark = "soak";
  const label = soakLabel(ours);
  const figures = (r: SoakResult): string =>
    `${r.duplicateObjects} / ${r.orphanObjects} / ${r.failed} / ${r.leftovers} / ${r.calls} / ${seconds(r.wallMs)}` +
    (r.actedPost502 > 0 ? ` (${r.actedFaulted} POSTs answered 502 after acting)` : "");
  const what =
    "duplicates / orphans / failed operations / left after destroy / calls / wall (up + edit + destroy)";
  return [
    {
      benchmark,
      figure: `${label}, our client policy: ${what}`,
      value: figures(ours),
      ...(ourTarget
        ? {
            target: "0 / 0 / 0 / 0",
            met:
              ours.duplicateObjects === 0 &&
              ours.orphanObjects === 0 &&
              ours.failed === 0 &&
              ours.leftovers === 0,
          }
        : { target: "shown" }),
    },
    ...(ourTarget ? [] : stepRows(ours, `${label}, our client policy`)),
    {
      benchmark,
      figure: `${label}, ${anchorLabel(anchor)}: ${what}`,
      value: figures(anchor),
      target: "shown",
    },
    ...stepRows(anchor, `${label}, anchor MODEL`),
  ];
}
