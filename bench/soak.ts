/**
 * Benchmark 4: fault soak. The emulator answers 10 % of API calls with a 5xx, 5 % with a 429, resets 1 % of
 * connections, and hides new objects from GET by id for 300 ms. A mixed program is applied (`up`), edited so
 * that some objects update and some are replaced (`up` again), then destroyed. Counted: failed operations,
 * objects in the emulator that the stack does not know (duplicates, orphans) after each `up`, and objects
 * left after `destroy`.
 */
import * as fs from "fs";
import { z } from "zod";
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
}

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
  /** Objects left after `destroy`. */
  leftovers: number;
  /** API keys were left out of the program. */
  withoutApiKeys: boolean;
  /** The faults in force. */
  faults: { "5xx": number; "429": number; reset: number; readLagMs: number };
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
  const env = emu.env(options.env);
  const steps: SoakStep[] = [];
  try {
    for (const step of ["up", "edit", "destroy"] as const) {
      if (step === "edit") program.declare(mixedProgram(objects, tag, { edited: true, mix: options.mix }));
      await emu.clearLog();
      const { result, wallMs } = await program.run(step === "destroy" ? "destroy" : "up", env, { parallel });
      const log = await emu.log();
      const inEmulator = created(await emu.dump());
      const known = idsInState(program.statePath);
      const extra = step === "destroy" ? [] : inEmulator.filter((o) => !known.has(o.rec.id));
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
    await emu.close();
  }
  const last = steps[steps.length - 1];
  return {
    objects,
    steps,
    failed: steps.reduce((n, s) => n + s.failed, 0),
    duplicates: steps.filter((s) => s.step !== "destroy").reduce((n, s) => n + s.extras, 0),
    leftovers: last?.step === "destroy" ? last.objects : -1,
    withoutApiKeys: options.mix?.withoutApiKeys === true,
    faults: f,
  };
}

/** An error cut to table size (the whole text is in the result). */
function short(e: string): string {
  const text = e.replace(/^urn:pulumi:[^:]+::[^:]+::[^:]+:[^:]+:/, "");
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** The table rows: the three targets, then one line per step. */
export function soakRows(r: SoakResult): Row[] {
  const benchmark = "soak";
  const pct = (p: number): string => `${Math.round(p * 1000) / 10}%`;
  const label =
    `${r.objects} mixed objects${r.withoutApiKeys ? " (no API keys)" : ""}, ${pct(r.faults["5xx"])} 5xx, ` +
    `${pct(r.faults["429"])} 429, ${pct(r.faults.reset)} resets, ${r.faults.readLagMs} ms lag`;
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
