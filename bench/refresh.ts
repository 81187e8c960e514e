/**
 * Benchmark: refresh. The program of the throughput benchmark (50 service accounts, 50 API keys, 500 role
 * bindings) is applied, then refreshed with the runner at parallel 16 and at parallel 1, counting API calls
 * against the objects in state; then refreshed once more at parallel 16 under the soak's faults (5xx, 429,
 * connection resets, read lag), counting objects wrongly dropped from state (reported gone) and false drifts
 * (reported changed). Nothing changes the objects between the runs, so any drop or drift is wrong.
 */
import { SOAK_FAULTS } from "./soak";
import { iamProgram, type IamProgramSize } from "./programs";
import { BenchEmulator, BenchProgram, failedOperations, firstErrors, seconds, type Row } from "./support";
import { FULL_SIZE } from "./throughput";

/** Page sizes of the provider's coalesced list reads (provider/specs: 100, role bindings 1,000). */
const PAGE = { serviceAccounts: 100, apiKeys: 100, roleBindings: 1000 };

/** Options of {@link runRefresh}. */
export interface RefreshOptions {
  /** Program size. @default 50 service accounts, 50 API keys, 500 role bindings */
  size?: IamProgramSize;
  /** Fault seed of the faulted run. @default 7 */
  faultSeed?: number;
}

/** One refresh. */
export interface RefreshRun {
  label: string;
  parallel: number;
  /** Every API call the emulator saw. */
  calls: number;
  /** Of those, GETs of one object, and list pages. */
  gets: number;
  lists: number;
  /** Calls the emulator answered with an injected fault (5xx, 429, reset). */
  faulted: number;
  /** Objects the runner read unchanged. */
  unchanged: number;
  /** Objects the runner reported gone (dropped from state). */
  dropped: number;
  /** Objects the runner reported changed (drift). */
  drifted: number;
  failed: number;
  wallMs: number;
  errors: string[];
}

/** The benchmark's result. */
export interface RefreshResult {
  size: IamProgramSize;
  objects: number;
  /** Σ ⌈objects of a kind / page size⌉ + 5 % of objects: the target for parallel 16. */
  target: number;
  runs: RefreshRun[];
}

/** The target the issue sets for a refresh at parallel 16. */
function refreshTarget(size: IamProgramSize): number {
  const objects = size.serviceAccounts + size.apiKeys + size.roleBindings;
  const pages =
    Math.ceil(size.serviceAccounts / PAGE.serviceAccounts) +
    Math.ceil(size.apiKeys / PAGE.apiKeys) +
    Math.ceil(size.roleBindings / PAGE.roleBindings);
  return pages + Math.floor(objects * 0.05);
}

/** Applies the program, then refreshes it three times (parallel 16, parallel 1, parallel 16 with faults). */
export async function runRefresh(options: RefreshOptions = {}): Promise<RefreshResult> {
  const size = options.size ?? FULL_SIZE;
  const objects = size.serviceAccounts + size.apiKeys + size.roleBindings;
  const emu = await BenchEmulator.start({});
  const program = BenchProgram.create("refresh", iamProgram(size, `rf${Date.now().toString(36)}`));
  const env = emu.env();
  const runs: RefreshRun[] = [];
  try {
    const up = await program.run("up", env, { parallel: 16 });
    if (!up.result.ok) throw new Error(`up failed: ${firstErrors(up.result).join("; ")}`);
    const measure = async (label: string, { parallel }: { parallel: number }): Promise<void> => {
      await emu.clearLog();
      const { result, wallMs } = await program.run("refresh", env, { parallel });
      const log = await emu.log();
      const gets = log.filter(
        (c) => c.method === "GET" && /\/(service-accounts|api-keys|role-bindings)\/[^/]+$/.test(c.path),
      );
      runs.push({
        label,
        parallel,
        calls: log.length,
        gets: gets.length,
        lists: log.filter((c) => c.method === "GET").length - gets.length,
        faulted: log.filter((c) => c.status === 0 || c.status === 429 || c.status >= 500).length,
        unchanged: result.summary.same,
        dropped: result.summary.delete,
        drifted: result.summary.update + result.summary.replace,
        failed: failedOperations(result),
        wallMs,
        errors: firstErrors(result),
      });
    };
    await measure("refresh", { parallel: 16 });
    await measure("refresh", { parallel: 1 });
    await emu.setFaults({
      "5xx": SOAK_FAULTS["5xx"],
      "429": SOAK_FAULTS["429"],
      reset: SOAK_FAULTS.reset,
      read_lag_ms: SOAK_FAULTS.readLagMs,
      fault_seed: options.faultSeed ?? 7,
    });
    await measure("refresh under the soak's faults", { parallel: 16 });
  } finally {
    program.remove();
    await emu.close();
  }
  return { size, objects, target: refreshTarget(size), runs };
}

/** The table rows. */
export function refreshRows(r: RefreshResult): Row[] {
  return r.runs.map((run) => {
    const faulted = run.faulted > 0 || run.label !== "refresh";
    const value =
      `${run.calls} calls for ${r.objects} objects (${run.gets} GETs, ${run.lists} list pages` +
      (faulted ? `, ${run.faulted} faults injected` : "") +
      `), ${run.unchanged} unchanged, ${run.dropped} dropped, ${run.drifted} drifted, ${run.failed} failed, ${seconds(run.wallMs)}` +
      (run.errors.length > 0 ? ` [${run.errors[0] ?? ""}]` : "");
    const clean = run.dropped === 0 && run.drifted === 0 && run.failed === 0;
    if (faulted) {
      return {
        benchmark: "refresh",
        figure: `${run.label}, parallel ${run.parallel}: calls, dropped from state, false drifts, failed`,
        value,
        target: "0 dropped, 0 drifts",
        met: run.dropped === 0 && run.drifted === 0,
      };
    }
    return {
      benchmark: "refresh",
      figure: `refresh ${r.objects} objects, parallel ${run.parallel}: API calls against objects, changes`,
      value,
      target: run.parallel > 1 ? `<= ${r.target} calls, 0 changes` : `<= ${r.objects} calls (one per object)`,
      met: clean && (run.parallel > 1 ? run.calls <= r.target : run.calls <= r.objects),
    };
  });
}
