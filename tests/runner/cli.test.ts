import { execFile } from "child_process";
import * as path from "path";
import { parseArgs } from "../../runner/cli";

const repoRoot = path.resolve(__dirname, "..", "..");

function npmRun(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      "npm",
      ["run", "--silent", ...args],
      { cwd: repoRoot, timeout: 90_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe("confluent-iam argument parsing", () => {
  it("reads every option, repeatable --config included", () => {
    const a = parseArgs([
      "up",
      "--cwd",
      "examples/org-iam",
      "--stack=prod",
      "--config",
      "a=1",
      "--config=b=2",
      "--policy-pack",
      "policy",
      "--state",
      "/tmp/s.json",
      "--parallel",
      "3",
    ]);
    expect(a).toEqual({
      command: "up",
      cwd: path.resolve("examples/org-iam"),
      stack: "prod",
      config: ["a=1", "b=2"],
      policyPack: path.resolve("policy"),
      statePath: "/tmp/s.json",
      parallel: 3,
      help: false,
    });
  });

  it("defaults: stack dev, the current folder, ten at once", () => {
    expect(parseArgs(["preview"])).toMatchObject({
      command: "preview",
      stack: "dev",
      cwd: process.cwd(),
      parallel: 10,
    });
  });

  it.each([
    [["deploy"], "unknown command deploy; expected one of preview, up, refresh, destroy"],
    [[], "a command is required: preview, up, refresh, destroy"],
    [["up", "--parallel", "0"], '--parallel expects a positive integer, got "0"'],
    [["up", "--stack"], "--stack needs a value"],
    [["up", "--yes"], "unknown option --yes"],
    [["up", "--cwd", "/nonexistent/confluent-iam"], "--cwd /nonexistent/confluent-iam: no such folder"],
    [["preview", "--policy-pack", "/nonexistent/pack"], "--policy-pack /nonexistent/pack: no such folder"],
  ])("rejects %j with %s", (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe("confluent-iam and the demo, run as a user would", () => {
  it("--help says to use pulumi where the CLI is installed", async () => {
    const r = await npmRun(["confluent-iam", "--", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("With the Pulumi CLI installed, use `pulumi preview`, `pulumi up`");
    expect(r.stdout).toContain("this runner exists for machines without it");
  });

  it("a bad option exits 2 with the reason on stderr", async () => {
    const r = await npmRun(["confluent-iam", "--", "up", "--parallel", "x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('confluent-iam: --parallel expects a positive integer, got "x"');
  });

  it("npm run demo creates the quickstart, finds nothing to change the second time and masks the secret", async () => {
    const r = await npmRun(["demo"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Started the Confluent Cloud emulator at http:\/\/127\.0\.0\.1:\d+/);
    expect(r.stdout).toContain("+  3 created");
    expect(r.stdout).toContain("The second up changed nothing.");
    expect(r.stdout).toContain("  apiKeySecret = [secret]");
    expect(r.stdout).toMatch(/ {2}serviceAccountId = "sa-\w+"/);
    expect(r.stdout).toContain("Stopped the emulator.");
    expect(r.stdout).not.toContain("emulator-demo-secret-not-a-real-secret");
  });
});
