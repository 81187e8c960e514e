// Shared by the example tests: a started emulator, the runner pointed at it, and the emulator's request log.
import { readProject } from "../../runner/project";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { runLifecycle, type Command, type LifecycleResult } from "../../runner";
import { isSecretWire } from "../../protocol";
import { loadState, type StackState } from "../../runner/state";

export const repoRoot = path.resolve(__dirname, "..", "..");

/** One logged API request. */
export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
}

/** An example under test against its own emulator. */
export interface ExampleRun {
  emulator: RunningEmulator;
  statePath: string;
  run(command: Command, config?: string[], policyPack?: string): Promise<LifecycleResult>;
  /** Requests since the last clear. */
  requests(): Promise<LoggedRequest[]>;
  /** Requests that change something (anything but GET). */
  writes(): Promise<string[]>;
  clearRequests(): Promise<void>;
  /** Every object in the emulator, by kind. */
  dump(): Promise<Record<string, unknown>>;
  /** A call to the emulator's API as an out-of-band user would make it. */
  api(method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  state(): StackState;
  close(): Promise<void>;
}

/** Starts an emulator and returns helpers for running the example in `exampleDir` against it. */
export async function startExample(exampleDir: string, project: string): Promise<ExampleRun> {
  const emulator = await startEmulator({ port: 0 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "example-"));
  const statePath = path.join(dir, "dev.json");
  const auth = `Basic ${Buffer.from(`${emulator.apiKey}:${emulator.apiSecret}`).toString("base64")}`;
  const api = async (
    method: string,
    apiPath: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(`${emulator.url}${apiPath}`, {
      method,
      headers: { authorization: auth, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  const requests = async (): Promise<LoggedRequest[]> =>
    ((await api("GET", "/_emulator/requests")).body as { data: LoggedRequest[] }).data;
  return {
    emulator,
    statePath,
    run: async (command, config = [], policyPack) => {
      const result = await runLifecycle(command, {
        cwd: exampleDir,
        statePath,
        config,
        policyPack,
        env: {
          ...process.env,
          CONFLUENT_CLOUD_ENDPOINT: emulator.url,
          CONFLUENT_CLOUD_API_KEY: emulator.apiKey,
          CONFLUENT_CLOUD_API_SECRET: emulator.apiSecret,
          AZURE_ACCESS_TOKEN: emulator.azureToken,
          AZURE_RESOURCE_MANAGER_ENDPOINT: emulator.url,
        },
      });
      // After every command of every example: the state file holds no secret value in plain text.
      if (fs.existsSync(statePath)) {
        const text = fs.readFileSync(statePath, "utf8");
        const secrets = [
          ...secretTexts(loadState(statePath, project, "dev")),
          emulator.apiSecret,
          emulator.azureToken,
        ];
        const leaked = secrets.filter((v) => v.length >= 8 && text.includes(v));
        if (leaked.length > 0)
          throw new Error(`${statePath} holds ${leaked.length} secret value(s) in plain text`);
      }
      return result;
    },
    requests,
    writes: async () =>
      (await requests()).filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`),
    clearRequests: async () => {
      await api("DELETE", "/_emulator/requests");
    },
    dump: async () => (await api("GET", "/_emulator/dump")).body as Record<string, unknown>,
    api,
    state: () => loadState(statePath, project, "dev"),
    close: async () => {
      await emulator.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every string inside a secret of the (decrypted) state. */
function secretTexts(state: StackState): string[] {
  const out: string[] = [];
  const strings = (v: unknown): void => {
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) v.forEach(strings);
    else if (typeof v === "object" && v !== null) Object.values(v).forEach(strings);
  };
  const walk = (v: unknown): void => {
    if (isSecretWire(v)) strings(v.value);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === "object" && v !== null) Object.values(v).forEach(walk);
  };
  walk(state.outputs);
  for (const r of state.resources) {
    walk(r.inputs);
    walk(r.outputs);
  }
  return out;
}

/** `op name` of each step, sorted, for comparing plans. */
export const plan = (r: LifecycleResult): string[] => r.steps.map((s) => `${s.op} ${s.name}`).sort();

/** Ids of every object of the dump (any kind). */
export function idsIn(dump: Record<string, unknown>): Set<string> {
  const ids = new Set<string>();
  for (const [kind, v] of Object.entries(dump)) {
    if (kind === "seed" || !Array.isArray(v)) continue;
    for (const o of v)
      if (typeof o === "object" && o !== null && typeof (o as { id?: unknown }).id === "string")
        ids.add((o as { id: string }).id);
  }
  return ids;
}

/** What a lifecycle suite checks for one example. */
export interface ExampleSpec {
  /** Folder name under examples/. */
  folder: string;
  /** Project name in its Pulumi.yaml. */
  project: string;
  /** Config every command gets. */
  config?: string[];
  /** `create <name>` of everything the example declares, sorted. */
  creates: string[];
  /** More checks of the state after the first `up`. */
  afterUp?: (state: StackState) => void;
  /** The edited program: its config, expected plan, and the write calls it makes (given the state before). */
  variant: {
    config: string[];
    plan: string[];
    writes: (state: StackState) => string[];
  };
}

/** preview (no writes), up, up again (zero writes), the edited program, destroy (nothing left). */
export function describeExampleLifecycle(spec: ExampleSpec): void {
  let ex: ExampleRun;
  const base = spec.config ?? [];
  beforeAll(async () => {
    ex = await startExample(path.join(repoRoot, "examples", spec.folder), spec.project);
  });
  afterAll(async () => {
    await ex.close();
  });

  it("preview plans every object and sends no writes", async () => {
    await ex.clearRequests();
    const r = await ex.run("preview", base);
    expect(r.exitCode).toBe(0);
    expect(plan(r)).toEqual(spec.creates);
    expect(await ex.writes()).toEqual([]);
  });

  it("up creates every object", async () => {
    const r = await ex.run("up", base);
    expect(r.errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(plan(r)).toEqual(spec.creates);
    spec.afterUp?.(ex.state());
  });

  it("a second up is a no-op with zero write calls", async () => {
    await ex.clearRequests();
    const r = await ex.run("up", base);
    expect(r.exitCode).toBe(0);
    expect(r.steps).toEqual([]);
    expect(await ex.writes()).toEqual([]);
  });

  it("the edited program gives the expected plan and calls", async () => {
    const before = ex.state();
    await ex.clearRequests();
    const preview = await ex.run("preview", [...base, ...spec.variant.config]);
    expect(plan(preview)).toEqual(spec.variant.plan);
    expect(await ex.writes()).toEqual([]);
    const r = await ex.run("up", [...base, ...spec.variant.config]);
    expect(r.errors).toEqual([]);
    expect(plan(r)).toEqual(spec.variant.plan);
    expect(await ex.writes()).toEqual(spec.variant.writes(before));
  });

  it("destroy leaves none of the example's objects", async () => {
    const ids = ex.state().resources.map((x) => x.id);
    const r = await ex.run("destroy", base);
    expect(r.exitCode).toBe(0);
    expect(r.summary.delete).toBe(ids.length);
    const left = idsIn(await ex.dump());
    expect(ids.filter((id) => left.has(id))).toEqual([]);
    expect(ex.state().resources).toEqual([]);
  });
}

/** Id of the resource named `name` in `state`. */
export const idOf = (state: StackState, name: string): string =>
  state.resources.find((x) => x.name === name)?.id ?? `<no ${name}>`;

/** What a user needs in an example folder: the project name and main file from Pulumi.yaml, and a README. */
export function exampleFolder(folder: string): { project: string; main: string; readme: boolean } {
  const dir = path.join(repoRoot, "examples", folder);
  const info = readProject(dir);
  return {
    project: info.name,
    main: fs.existsSync(info.main)
      ? path.relative(dir, info.main)
      : `missing: ${path.relative(dir, info.main)}`,
    readme: /^# /.test(fs.readFileSync(path.join(dir, "README.md"), "utf8")),
  };
}
