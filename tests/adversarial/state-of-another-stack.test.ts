/**
 * Issue 30, defects 2 and 6 (the state file's part): a `--state` file of another stack or project, one
 * edited to pass as another stack's, and one cut off mid-JSON. Every command refuses such a file before any
 * API call, naming the file's stack and project and the command's, and how to fix it. Before the fix,
 * `up --stack prod --state .state/dev.json` deleted dev's service account, key, IP group and role binding.
 *
 * Against the emulator: its request log must stay empty, and dev's objects must live on.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { runLifecycle, type Command, type LifecycleResult } from "../../runner";
import { accessCommand } from "../../runner/access";
import { stackCommand } from "../../runner/stack-command";

const repoRoot = path.resolve(__dirname, "..", "..");
const fixture = path.join(__dirname, "fixtures", "hostile-input");
const PROJECT = "adversarial-input";
const config = ["scenario=objects"];

let emulator: RunningEmulator;
/** The folder the commands run from: `.state/dev.json` in it is stack dev's state. */
let work: string;
let devState: string;
/** dev's state file as the first `up` wrote it. */
let devText: string;
/** Ids of every object dev's `up` made. */
let devIds: string[];

function env(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CONFLUENT_CLOUD_ENDPOINT: emulator.url,
    CONFLUENT_CLOUD_API_KEY: emulator.apiKey,
    CONFLUENT_CLOUD_API_SECRET: emulator.apiSecret,
  };
}

async function control(method: string, what: string): Promise<unknown> {
  const auth = Buffer.from(`${emulator.apiKey}:${emulator.apiSecret}`).toString("base64");
  const res = await fetch(`${emulator.url}/_emulator/${what}`, {
    method,
    headers: { authorization: `Basic ${auth}` },
  });
  const text = await res.text();
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/** `METHOD path` of every API request since the last clear. */
async function requests(): Promise<string[]> {
  const log = (await control("GET", "requests")) as { data: { method: string; path: string }[] };
  return log.data.map((r) => `${r.method} ${r.path}`);
}

/** Ids of the objects of the kinds the program makes. */
async function liveIds(): Promise<string[]> {
  const dump = (await control("GET", "dump")) as Record<string, { id: string }[]>;
  return ["service_accounts", "api_keys", "ip_groups", "role_bindings"]
    .flatMap((k) => (dump[k] ?? []).map((o) => o.id))
    .sort();
}

function run(command: Command, stack: string, statePath: string): Promise<LifecycleResult> {
  return runLifecycle(command, { cwd: fixture, stack, statePath, config, env: env() });
}

/** The runner's CLI, started from `work` as a user would type it. */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [
        "--require",
        path.join(repoRoot, "scripts", "ts-register.js"),
        path.join(repoRoot, "runner", "cli.ts"),
        ...args,
      ],
      { cwd: work, env: env(), timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const stackMismatch = (file: string, fileStack: string, stack: string): string =>
  `state file ${file} holds stack ${fileStack} of project ${PROJECT}, but this command runs stack ${stack}: ` +
  `nothing was done. Pass --stack ${fileStack} to work on stack ${fileStack}, or give stack ${stack} its own ` +
  `state file (without --state it is .state/${stack}.json in the project's folder)`;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  work = fs.mkdtempSync(path.join(os.tmpdir(), "adv-state-"));
  devState = path.join(work, ".state", "dev.json");
  const up = await run("up", "dev", devState);
  expect(up.errors).toEqual([]);
  devText = fs.readFileSync(devState, "utf8");
  devIds = await liveIds();
  expect(devIds).toHaveLength(4);
});

afterAll(async () => {
  await emulator.close();
  fs.rmSync(work, { recursive: true, force: true });
});

beforeEach(async () => {
  await control("DELETE", "requests");
});

/** After a refused command: no API call, dev's objects alive, dev's state untouched. */
async function nothingHappened(): Promise<void> {
  expect(await requests()).toEqual([]);
  expect(await liveIds()).toEqual(devIds);
  expect(fs.readFileSync(devState, "utf8")).toBe(devText);
}

describe("a state file of another stack", () => {
  it("up --stack prod --state .state/dev.json (the issue's reproduction, through the CLI) is refused before any API call; dev's objects live on", async () => {
    const r = await cli([
      "up",
      "--cwd",
      fixture,
      "--stack",
      "prod",
      "--state",
      ".state/dev.json",
      "--config",
      config[0] ?? "",
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`error: ${stackMismatch(devState, "dev", "prod")}\n`);
    await nothingHappened();
  });

  it.each<Command>(["preview", "refresh", "destroy"])(
    "%s --stack prod with dev's state is refused before any API call (a preview before even its credential check)",
    async (command) => {
      const r = await run(command, "prod", devState);
      expect(r.exitCode).toBe(1);
      expect(r.errors).toEqual([stackMismatch(devState, "dev", "prod")]);
      expect(r.steps).toEqual([]);
      await nothingHappened();
    },
  );

  it("access and stack export refuse it too, with the same message", async () => {
    const lines: string[] = [];
    const cwdArgs = ["--cwd", fixture, "--stack", "prod", "--state", devState];
    expect(
      accessCommand(
        cwdArgs,
        () => undefined,
        (s) => void lines.push(s),
      ),
    ).toBe(1);
    expect(
      stackCommand(
        ["export", ...cwdArgs],
        () => undefined,
        (s) => void lines.push(s),
      ),
    ).toBe(1);
    expect(lines).toEqual([
      `confluent-iam: access: ${stackMismatch(devState, "dev", "prod")}\n`,
      `confluent-iam: stack export: ${stackMismatch(devState, "dev", "prod")}\n`,
    ]);
    await nothingHappened();
  });

  it("a copy of dev's file with its stack field edited to prod is refused by its resources' URNs", async () => {
    const edited = path.join(work, "edited-prod.json");
    const raw = JSON.parse(devText) as { stack: string; resources: { urn: string }[] };
    fs.writeFileSync(edited, JSON.stringify({ ...raw, stack: "prod" }, null, 2));
    const first = raw.resources[0]?.urn ?? "";
    expect(first).toMatch(/^urn:pulumi:dev::adversarial-input::/);
    const r = await run("up", "prod", edited);
    expect(r.exitCode).toBe(1);
    expect(r.errors).toEqual([
      `state file ${edited} holds stack prod of project ${PROJECT}, but its resource ${first} is of stack dev ` +
        `of project ${PROJECT} (a file copied from another stack and edited?): nothing was done. Pass --stack dev ` +
        `to work on stack dev, or restore stack prod's own state file`,
    ]);
    await nothingHappened();
  });
});

describe("a state file of another project", () => {
  it("up of stack dev with project other-team's dev state is refused before any API call, naming both projects", async () => {
    const other = path.join(work, "other-team-dev.json");
    fs.writeFileSync(
      other,
      devText
        .replaceAll(`::${PROJECT}::`, "::other-team::")
        .replace(`"project": "${PROJECT}"`, '"project": "other-team"'),
    );
    const r = await run("up", "dev", other);
    expect(r.exitCode).toBe(1);
    expect(r.errors).toEqual([
      `state file ${other} holds stack dev of project other-team, but this command runs stack dev of project ` +
        `${PROJECT}: nothing was done. Run the command in project other-team's folder (--cwd), or give project ` +
        `${PROJECT} its own state file (without --state it is .state/dev.json in the project's folder)`,
    ]);
    await nothingHappened();
  });
});

describe("a state file cut off mid-JSON (defect 6)", () => {
  const cut = (): string => {
    const file = path.join(work, "cut", "dev.json");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, devText.slice(0, 5000));
    return file;
  };
  const message = (file: string): string =>
    `state file ${file} is not valid JSON (it breaks off at character 5000 of 5000): it was cut off or ` +
    `damaged, and nothing was done. Restore it from a backup, or import a \`confluent-iam stack export\` of ` +
    `stack dev: confluent-iam stack import --stack dev --state ${file} --file <export.json> --force`;

  it.each<Command>(["up", "preview", "destroy"])(
    "%s names the file, says it is not valid JSON and how to restore it; no API call",
    async (command) => {
      expect(devText.length).toBeGreaterThan(5000);
      const file = cut();
      const r = await run(command, "dev", file);
      expect(r.exitCode).toBe(1);
      expect(r.errors).toEqual([message(file)]);
      await nothingHappened();
    },
  );

  it("stack export says the same; no secret or state text is quoted", () => {
    const file = cut();
    const lines: string[] = [];
    expect(
      stackCommand(
        ["export", "--cwd", fixture, "--state", file],
        () => undefined,
        (s) => void lines.push(s),
      ),
    ).toBe(1);
    expect(lines).toEqual([`confluent-iam: stack export: ${message(file)}\n`]);
  });
});
