// Emulator throughput: simple keep-alive GETs of one service account, a few connections in parallel.
// Prints figures only (no pass/fail). Run: node -r ./scripts/ts-register.js bench/emulator.ts [--in-process]
//   [--requests N] [--seconds S] [--connections C]
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { Pool } from "undici";
import { startEmulator } from "../emulator";

const AUTH =
  "Basic " + Buffer.from("EMULATORDEMOKEY1:emulator-demo-secret-not-a-real-secret").toString("base64");

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

async function startChild(): Promise<{ url: string; stop: () => Promise<void> }> {
  const root = resolve(__dirname, "..");
  const child: ChildProcess = spawn(
    process.execPath,
    ["-r", "./scripts/ts-register.js", "emulator/cli.ts", "--port", "0"],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error("emulator did not start within 20 s")), 20_000);
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once("line", (line) => {
      clearTimeout(timer);
      const m = /^listening on (\S+)$/.exec(line);
      if (m?.[1]) ok(m[1]);
      else fail(new Error(`unexpected first line: ${line}`));
    });
  });
  return {
    url,
    stop: () =>
      new Promise((done) => {
        child.once("exit", () => done());
        child.kill("SIGTERM");
      }),
  };
}

async function main(): Promise<void> {
  const inProcess = process.argv.includes("--in-process");
  const total = flag("--requests", 20_000);
  const seconds = flag("--seconds", 10);
  const connections = flag("--connections", 4);

  const server = inProcess
    ? await startEmulator({ port: 0 }).then((e) => ({ url: e.url, stop: () => e.close() }))
    : await startChild();
  const pool = new Pool(server.url, { connections, pipelining: 1 });
  const headers = { authorization: AUTH, "content-type": "application/json" };
  try {
    const created = await pool.request({
      path: "/iam/v2/service-accounts",
      method: "POST",
      headers,
      body: JSON.stringify({ display_name: "bench" }),
    });
    const id = ((await created.body.json()) as { id: string }).id;
    const path = `/iam/v2/service-accounts/${id}`;

    // Warm-up (JIT, connections), not counted.
    for (let i = 0; i < 500; i++) await (await pool.request({ path, method: "GET", headers })).body.dump();

    let sent = 0;
    let failed = 0;
    const latencies: number[] = [];
    const deadline = Date.now() + seconds * 1000;
    const started = process.hrtime.bigint();
    const worker = async (): Promise<void> => {
      while (sent < total && Date.now() < deadline) {
        sent++;
        const t = process.hrtime.bigint();
        const res = await pool.request({ path, method: "GET", headers });
        await res.body.dump();
        if (res.statusCode !== 200) failed++;
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    };
    await Promise.all(Array.from({ length: connections * 2 }, () => worker()));
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      (latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0).toFixed(2);
    console.log(
      `emulator (${inProcess ? "in-process" : "child process"}), GET ${"/iam/v2/service-accounts/{id}"}`,
    );
    console.log(
      `requests: ${latencies.length} (non-200: ${failed}) in ${elapsed.toFixed(2)} s over ${connections} keep-alive connections`,
    );
    console.log(`throughput: ${Math.round(latencies.length / elapsed)} requests/s`);
    console.log(`latency ms: p50 ${pct(0.5)}  p99 ${pct(0.99)}  max ${pct(1)}`);
  } finally {
    await pool.close();
    await server.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
