/**
 * `npm run bench`: runs every benchmark and prints one table. `-- --only <name>` (repeatable, or a
 * comma-separated list) runs some; `-- --quick` uses small sizes. Names: calls, throughput, refresh, state,
 * soak, acted (the soak's 502-after-acting row, our policy only), scale, export, audit, emulator, rotation. Figures only: nothing here passes or fails a build (the exit code is 0 unless a
 * benchmark could not run at all).
 */
import { spawn } from "child_process";
import * as os from "os";
import * as path from "path";
import { callsRows, runCallsPerOperation } from "./calls";
import { auditRows, runAuditBench } from "./audit";
import { exportRows, runExportBench } from "./export";
import { runScale, scaleRows } from "./scale";
import { adversarialRows, runAdversarial } from "./adversarial";
import { refreshRows, runRefresh } from "./refresh";
import { rotationRows, runRotation } from "./rotation";
import { actedRows, anchorComparisonRows, runSoak, soakRows } from "./soak";
import { runStateSize, stateSizeRows } from "./state-size";
import { renderTable, seconds, type Row } from "./support";
import { runThroughput, throughputRows } from "./throughput";

/** A benchmark as the aggregate runs it. */
interface Benchmark {
  name: string;
  run(quick: boolean): Promise<Row[]>;
}

/**
 * bench/emulator.ts belongs to the emulator's owner and is a script (it prints and exits), so it runs as a
 * child process and its throughput line is read back.
 */
async function emulatorRows(quick: boolean): Promise<Row[]> {
  let out: string;
  try {
    out = await runEmulatorScript(quick);
  } catch (e) {
    // Its child emulator must print its port within 20 s; on a busy machine that can miss once.
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}; trying once more\n`);
    out = await runEmulatorScript(quick);
  }
  const rate = /throughput: (\d+) requests\/s/.exec(out)?.[1];
  const latency = /latency ms: (.*)$/m.exec(out)?.[1];
  return [
    {
      benchmark: "emulator",
      figure: "GETs per second (bench/emulator.ts, emulator in a child process)",
      value:
        rate !== undefined
          ? `${rate}/s${latency ? `; latency ms ${latency.trim()}` : ""}`
          : `unreadable: ${out.trim()}`,
      target: "",
    },
  ];
}

function runEmulatorScript(quick: boolean): Promise<string> {
  const root = path.resolve(__dirname, "..");
  const args = ["-r", "./scripts/ts-register.js", "bench/emulator.ts", "--seconds", quick ? "2" : "5"];
  return new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (text += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    const timer = setTimeout(() => child.kill("SIGTERM"), 120_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(text);
      else reject(new Error(`bench/emulator.ts exited with ${String(code)}: ${err.trim().slice(0, 300)}`));
    });
  });
}

/** Factor on the anchor model's fixed post-create sleeps in `npm run bench` (bench/anchor.ts). */
const ANCHOR_SLEEP_SCALE = 1 / 30;
/** Share of POSTs the soak's second comparison answers 502 after the emulator acted. */
const ACTED_POST_502 = 0.05;

const QUICK_PROGRAM = { serviceAccounts: 5, apiKeys: 5, roleBindings: 50 };

const BENCHMARKS: Benchmark[] = [
  { name: "calls", run: async () => callsRows(await runCallsPerOperation()) },
  {
    name: "throughput",
    run: async (quick) => {
      if (quick) return throughputRows(await runThroughput({ size: QUICK_PROGRAM }));
      // The issue's run (loopback answers in about a millisecond), then the same `up` with the latency of
      // the real API, where parallelism, not the limit, decides the pace of a sequential run.
      const asked = throughputRows(await runThroughput());
      const slow = throughputRows(await runThroughput({ latencyMs: 100, commands: ["up"] }));
      return [...asked, ...slow];
    },
  },
  {
    name: "refresh",
    run: async (quick) => refreshRows(await runRefresh(quick ? { size: QUICK_PROGRAM } : {})),
  },
  { name: "state", run: async () => stateSizeRows(await runStateSize()) },
  {
    // The soak's 502-after-acting row for our client policy alone (100 objects; --quick 30).
    name: "acted",
    run: async (quick) =>
      actedRows(await runSoak({ objects: quick ? 30 : 100, actedPost502: ACTED_POST_502 })),
  },
  {
    name: "soak",
    run: async (quick) => {
      const size = quick ? { objects: 30 } : {};
      const ours = await runSoak(size);
      // The same soak (program, faults, fault seed, parallelism) with the model of the anchor's client
      // policy. Its 90 s sleep after each role-binding create runs at 1/30 (3 s), so that a run stays
      // affordable on a shared machine (120 role bindings at parallel 16 would sleep 12 minutes); the row says so.
      const anchor = await runSoak({ ...size, policy: "anchor", anchorSleepScale: ANCHOR_SLEEP_SCALE });
      // The emulator's faults all come before it acts, so a POST sent again cannot duplicate there; both
      // policies again with 5 % of POSTs answered 502 after the object was made (bench/acted-proxy.ts), on
      // 100 objects (30 with --quick) to keep the run's length down.
      let acted: Row[];
      try {
        const small = { objects: quick ? 30 : 100 };
        const actedOurs = await runSoak({ ...small, actedPost502: ACTED_POST_502 });
        const actedAnchor = await runSoak({
          ...small,
          actedPost502: ACTED_POST_502,
          policy: "anchor",
          anchorSleepScale: ANCHOR_SLEEP_SCALE,
        });
        acted = anchorComparisonRows(actedOurs, actedAnchor, { ourTarget: false });
      } catch (e) {
        acted = [
          { benchmark: "soak", figure: "502 after acting: could not run", value: String(e), target: "" },
        ];
      }
      return [
        ...soakRows(ours),
        ...anchorComparisonRows(ours, anchor),
        ...acted,
        ...adversarialRows(await runAdversarial()),
      ];
    },
  },
  {
    name: "scale",
    run: async (quick) => scaleRows(await runScale(quick ? { bindings: 1000, program: QUICK_PROGRAM } : {})),
  },
  { name: "export", run: async (quick) => exportRows(await runExportBench({ objects: quick ? 300 : 2000 })) },
  {
    name: "audit",
    run: async (quick) =>
      auditRows(
        await runAuditBench(
          quick ? { size: { serviceAccounts: 250, apiKeys: 250, roleBindings: 1200, environments: 3 } } : {},
        ),
      ),
  },
  { name: "emulator", run: emulatorRows },
  {
    name: "rotation",
    run: async (quick) => rotationRows(await runRotation(quick ? { rotations: 2 } : {})),
  },
];

function parseArgs(argv: readonly string[]): { only: string[]; quick: boolean } {
  const only: string[] = [];
  let quick = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (a === "--quick") quick = true;
    else if (a === "--only" || a.startsWith("--only=")) {
      const v = a === "--only" ? argv[++i] : a.slice("--only=".length);
      if (!v) throw new Error("--only needs a benchmark name");
      only.push(...v.split(",").filter(Boolean));
    } else {
      throw new Error(`unknown argument ${a}`);
    }
  }
  const names = BENCHMARKS.map((b) => b.name);
  const unknown = only.filter((n) => !names.includes(n));
  if (unknown.length > 0)
    throw new Error(`unknown benchmark ${unknown.join(", ")} (known: ${names.join(", ")})`);
  return { only, quick };
}

async function main(): Promise<void> {
  let args: { only: string[]; quick: boolean };
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 2;
    return;
  }
  const chosen = BENCHMARKS.filter((b) => args.only.length === 0 || args.only.includes(b.name));
  const rows: Row[] = [];
  let broken = 0;
  const started = performance.now();
  for (const b of chosen) {
    const t = performance.now();
    process.stderr.write(`bench: running ${b.name}${args.quick ? " (quick)" : ""}…\n`);
    try {
      rows.push(...(await b.run(args.quick)));
    } catch (e) {
      broken++;
      rows.push({
        benchmark: b.name,
        figure: "could not run",
        value: e instanceof Error ? e.message : String(e),
        target: "",
        met: false,
      });
    }
    process.stderr.write(`bench: ${b.name} took ${seconds(performance.now() - t)}\n`);
  }
  const cpus = os.cpus();
  console.log(
    `confluent-iam benchmarks, ${new Date().toISOString()}, node ${process.version}, ${cpus.length} cores ` +
      `(${cpus[0]?.model.trim() ?? "unknown cpu"}), ${args.quick ? "quick sizes" : "full sizes"}, ` +
      `total ${seconds(performance.now() - started)}`,
  );
  console.log("");
  console.log(renderTable(rows));
  process.exitCode = broken > 0 ? 1 : 0;
}

void main().then(() => {
  // The SDK's mocks (bench/capture.ts) leave timers behind; the table is printed, so leave.
  setTimeout(() => process.exit(), 100).unref();
});
