import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { basic, pick, str } from "./helpers";

const ROOT = resolve(__dirname, "../..");

interface Cli {
  child: ChildProcess;
  url: string;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the CLI as a child process and waits (at most 20 s) for its first line. */
function startCli(args: string[], env: Record<string, string> = {}): Promise<Cli> {
  const child = spawn(process.execPath, ["-r", "./scripts/ts-register.js", "emulator/cli.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on("exit", (code, signal) => r({ code, signal })),
  );
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`CLI did not start: ${lines.join("\n")}`));
    }, 20_000);
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      lines.push(line);
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(lines[0] ?? "");
      if (lines.length === 1) {
        clearTimeout(timer);
        if (m?.[1]) resolvePromise({ child, url: m[1], lines, exited });
        else reject(new Error(`unexpected first line: ${line}`));
      }
    });
    child.on("exit", () => {
      clearTimeout(timer);
      reject(new Error(`CLI exited before listening: ${lines.join("\n")}`));
    });
  });
}

const ADMIN = basic("EMULATORDEMOKEY1", "emulator-demo-secret-not-a-real-secret");

async function call(url: string, method: string, path: string, body?: unknown, auth = ADMIN) {
  const res = await fetch(url + path, {
    method,
    headers: { authorization: auth, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

async function stop(cli: Cli): Promise<void> {
  if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill("SIGKILL");
  await cli.exited;
}

describe("CLI", () => {
  test("--port 0: the first line is exactly 'listening on http://127.0.0.1:<port>', then the demo credentials; SIGTERM exits 0", async () => {
    const cli = await startCli(["--port", "0"]);
    try {
      expect((await call(cli.url, "GET", "/iam/v2/users")).status).toBe(200);
      await new Promise((r) => setTimeout(r, 100));
      expect(cli.lines).toContain("api key: EMULATORDEMOKEY1");
      expect(cli.lines).toContain(
        "api secret: emulator-demo-secret-not-a-real-secret (built-in demo default)",
      );
      cli.child.kill("SIGTERM");
      expect(await cli.exited).toEqual({ code: 0, signal: null });
    } finally {
      await stop(cli);
    }
  });

  test("a user-supplied secret is never printed; flags also come from CONFLUENT_EMULATOR_* variables", async () => {
    const secret = "user-supplied-fake-secret-123";
    const cli = await startCli(["--port", "0", "--api-key", "MYKEY"], {
      CONFLUENT_EMULATOR_API_SECRET: secret,
      CONFLUENT_EMULATOR_READ_LAG: "250",
    });
    try {
      const faults = await call(cli.url, "GET", "/_emulator/faults", undefined, basic("MYKEY", secret));
      expect(pick(faults.body, "read_lag_ms")).toBe(250);
      cli.child.kill("SIGINT");
      expect((await cli.exited).code).toBe(0);
      expect(cli.lines.join("\n")).not.toContain(secret);
      expect(cli.lines).toContain("api key: MYKEY");
    } finally {
      await stop(cli);
    }
  });

  test("an unknown flag exits with status 2 and says which flag", async () => {
    const child = spawn(
      process.execPath,
      ["-r", "./scripts/ts-register.js", "emulator/cli.ts", "--frobnicate"],
      {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    expect(code).toBe(2);
    expect(stderr).toContain("confluent-emulator: unknown flag --frobnicate");
  });

  test("with --data, objects, id counters and invitations survive kill -9 and a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emulator-data-"));
    const data = join(dir, "state.json");
    try {
      const first = await startCli(["--port", "0", "--data", data]);
      let saId: string, keyId: string, secret: string, rbId: string, invId: string;
      try {
        const sa = await call(first.url, "POST", "/iam/v2/service-accounts", { display_name: "durable" });
        saId = str(sa.body, "id");
        const key = await call(first.url, "POST", "/iam/v2/api-keys", { spec: { owner: { id: saId } } });
        keyId = str(key.body, "id");
        secret = str(key.body, "spec.secret");
        const rb = await call(first.url, "POST", "/iam/v2/role-bindings", {
          principal: `User:${saId}`,
          // AccountAdmin: the key below reads users after the restart (RBAC is on).
          role_name: "AccountAdmin",
          crn_pattern: "crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001",
        });
        rbId = str(rb.body, "id");
        invId = str(
          (await call(first.url, "POST", "/iam/v2/invitations", { email: "kept@example.com" })).body,
          "id",
        );
        expect((await call(first.url, "POST", `/_emulator/invitations/${invId}/accept`)).status).toBe(200);
        first.child.kill("SIGKILL");
        expect((await first.exited).signal).toBe("SIGKILL");
      } finally {
        await stop(first);
      }

      const second = await startCli(["--port", "0", "--data", data]);
      try {
        expect(
          pick((await call(second.url, "GET", `/iam/v2/service-accounts/${saId}`)).body, "display_name"),
        ).toBe("durable");
        expect((await call(second.url, "GET", `/iam/v2/api-keys/${keyId}`)).status).toBe(200);
        expect((await call(second.url, "GET", `/iam/v2/role-bindings/${rbId}`)).status).toBe(200);
        expect(pick((await call(second.url, "GET", `/iam/v2/invitations/${invId}`)).body, "status")).toBe(
          "INVITE_STATUS_ACCEPTED",
        );
        // The key still authenticates (its secret's hash was persisted, not the secret).
        expect((await call(second.url, "GET", "/iam/v2/users", undefined, basic(keyId, secret))).status).toBe(
          200,
        );
        const next = await call(second.url, "POST", "/iam/v2/service-accounts", {
          display_name: "after restart",
        });
        expect(str(next.body, "id")).not.toBe(saId);
        expect(str(next.body, "id") > saId).toBe(true);
      } finally {
        await stop(second);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
