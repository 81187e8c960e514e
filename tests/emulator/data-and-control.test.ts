/**
 * The emulator never loses data and its control API refuses what it cannot honour (issue 10 items 13 and
 * 14): a data file is checked whole at start and never written over when it could not be read; a control
 * body over 1 MB answers 413; fault settings are bounded; HEAD answers wherever GET does.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../../emulator";
import { basic, pick, startTestEmulator, type TestEmulator } from "./helpers";

const ROOT = join(__dirname, "..", "..");

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "emulator-data-check-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A valid data file with one service account, made by a real emulator. */
async function validFile(name: string): Promise<{ path: string; json: Record<string, unknown> }> {
  const path = join(dir, name);
  const emu = await startEmulator({ port: 0, dataFile: path });
  await fetch(`${emu.url}/iam/v2/service-accounts`, {
    method: "POST",
    headers: { authorization: basic(emu.apiKey, emu.apiSecret), "content-type": "application/json" },
    body: JSON.stringify({ display_name: "kept" }),
  });
  await emu.close();
  return { path, json: JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown> };
}

/**
 * Runs the CLI until it exits; one that starts serving instead (the bug these tests catch) is killed after
 * 30 s, so that it fails the test instead of outliving it.
 */
async function runCli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ["-r", "./scripts/ts-register.js", "emulator/cli.ts", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
  clearTimeout(timer);
  return { code, stderr };
}

describe("the data file is checked whole at start", () => {
  it("a file without db.counters is refused, naming the file and the field, and left as it is", async () => {
    const { path, json } = await validFile("no-counters.json");
    delete (json.db as Record<string, unknown>).counters;
    const text = JSON.stringify(json);
    writeFileSync(path, text);
    await expect(startEmulator({ port: 0, dataFile: path })).rejects.toThrow(
      `the data file ${path} is not an emulator data file this version can read: db.counters: Required. ` +
        "It was left as it is; fix it, or start with another --data file.",
    );
    expect(readFileSync(path, "utf8")).toBe(text);
  });

  it("a misnamed table is refused, naming it", async () => {
    const { path, json } = await validFile("misnamed.json");
    const tables = (json.db as { tables: Record<string, unknown> }).tables;
    tables.service_acounts = tables.service_accounts;
    delete tables.service_accounts;
    writeFileSync(path, JSON.stringify(json));
    await expect(startEmulator({ port: 0, dataFile: path })).rejects.toThrow(
      `the data file ${path} is not an emulator data file this version can read: db.tables: Unrecognized ` +
        "key(s) in object: 'service_acounts'. It was left as it is; fix it, or start with another --data file.",
    );
  });

  it("a record without its id is refused, naming where it is", async () => {
    const { path, json } = await validFile("no-id.json");
    const sa = (json.db as { tables: { service_accounts: Record<string, unknown>[] } }).tables
      .service_accounts[0]!;
    delete sa.id;
    writeFileSync(path, JSON.stringify(json));
    await expect(startEmulator({ port: 0, dataFile: path })).rejects.toThrow(
      `the data file ${path} is not an emulator data file this version can read: ` +
        "db.tables.service_accounts.0.id: Required.",
    );
  });

  it("a truncated file is refused naming the file, and is not written over", async () => {
    const { path } = await validFile("truncated.json");
    const text = readFileSync(path, "utf8").slice(0, 40);
    writeFileSync(path, text);
    await expect(startEmulator({ port: 0, dataFile: path })).rejects.toThrow(
      `the data file ${path} is not valid JSON (truncated or damaged?): `,
    );
    expect(readFileSync(path, "utf8")).toBe(text);
  });

  it("a valid file loads with its objects and counters (the next id is new)", async () => {
    const { path } = await validFile("valid.json");
    const emu = await startEmulator({ port: 0, dataFile: path });
    try {
      const auth = basic(emu.apiKey, emu.apiSecret);
      const list = (await (
        await fetch(`${emu.url}/iam/v2/service-accounts`, { headers: { authorization: auth } })
      ).json()) as { data: { id: string; display_name: string }[] };
      expect(list.data.map((s) => s.display_name)).toEqual(["kept"]);
      const made = (await (
        await fetch(`${emu.url}/iam/v2/service-accounts`, {
          method: "POST",
          headers: { authorization: auth, "content-type": "application/json" },
          body: JSON.stringify({ display_name: "new" }),
        })
      ).json()) as { id: string };
      expect(made.id).not.toBe(list.data[0]!.id);
    } finally {
      await emu.close();
    }
  });

  it("the CLI exits non-zero with the message naming the file", async () => {
    const path = join(dir, "cli-bad.json");
    writeFileSync(path, '{"seed": {"organization_id": "x"}, "db": {"version": 1, "tables": {}}}');
    const { code, stderr } = await runCli(["--port", "0", "--data", path]);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      `confluent-emulator: the data file ${path} is not an emulator data file this version can read: ` +
        "db.counters: Required. It was left as it is; fix it, or start with another --data file.",
    );
  }, 60_000);
});

describe("the control API", () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(async () => {
    await emu.close();
  });

  it("a body over 1 MB answers 413, not a validation error", async () => {
    const big = JSON.stringify({ organization_id: "x", padding: "a".repeat(1024 * 1024) });
    const r = await emu.call("POST", "/_emulator/seed", undefined, { raw: big });
    expect(r.status).toBe(413);
    expect(pick(r.body, "errors.0.detail")).toBe("Request body too large (the limit is 1048576 bytes)");
  });

  it('PUT /_emulator/faults {"latency_ms": 1e12} is refused with 400 stating the bound, and nothing changes', async () => {
    const r = await emu.call("PUT", "/_emulator/faults", { latency_ms: 1e12 });
    expect(r.status).toBe(400);
    expect(pick(r.body, "errors.0.detail")).toBe("latency_ms: must be at most 60000 (one minute)");
    expect(pick((await emu.call("GET", "/_emulator/faults")).body, "latency_ms")).toBe(0);
    const lag = await emu.call("PUT", "/_emulator/faults", { key_propagation_ms: 3_600_001 });
    expect(pick(lag.body, "errors.0.detail")).toBe("key_propagation_ms: must be at most 3600000 (one hour)");
  });

  it("HEAD answers 200 without a body where GET exists, on the control API and the REST API", async () => {
    for (const path of ["/_emulator/faults", "/iam/v2/service-accounts", "/iam/v2/users/u-demo01"]) {
      const r = await fetch(`${emu.url}${path}`, { method: "HEAD", headers: { authorization: emu.auth } });
      expect([path, r.status, await r.text()]).toEqual([path, 200, ""]);
    }
  });

  it("HEAD where only other methods exist still answers 405, and Allow lists HEAD next to GET", async () => {
    const r = await fetch(`${emu.url}/_emulator/reset`, {
      method: "HEAD",
      headers: { authorization: emu.auth },
    });
    expect(r.status).toBe(405);
    expect(r.headers.get("allow")).toBe("POST");
    const put = await emu.call("POST", "/_emulator/faults", {});
    expect(put.headers.get("allow")).toBe("GET, PUT, HEAD");
  });
});

describe("the CLI bounds the same settings", () => {
  it("--latency 1000000000000 exits 2 naming the bound", async () => {
    const { code, stderr } = await runCli(["--latency", "1000000000000"]);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe("confluent-emulator: --latency must be at most 60000, got 1000000000000");
  }, 60_000);
});
