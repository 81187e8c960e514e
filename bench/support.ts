/**
 * What every benchmark shares: the emulator it measures against (started in this process, so its request
 * log is the one place every API call is counted), the control API, generated Pulumi programs in temp
 * folders driven by the lifecycle runner, and the rows of the one table `npm run bench` prints.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { z } from "zod";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../emulator";
import { runLifecycle, type Command, type LifecycleResult } from "../runner";

/** One line of the printed table. */
export interface Row {
  /** Which benchmark. */
  benchmark: string;
  /** What is measured. */
  figure: string;
  /** The measurement. */
  value: string;
  /** The target or minimum, as text ("" when the figure has none). */
  target: string;
  /** Whether the target is met; undefined when the figure has no target. */
  met?: boolean;
}

/** A logged API call (`GET /_emulator/requests`). */
export interface LoggedCall {
  /** HTTP method. */
  method: string;
  /** Path without the query. */
  path: string;
  /** Query parameters. */
  query: Record<string, string>;
  /** Status answered; 0 = the connection was reset by a fault. */
  status: number;
  /** ISO time the request arrived. */
  time: string;
  /** How long the emulator took to answer. */
  duration_ms: number;
}

const logSchema = z.object({
  data: z.array(
    z.object({
      method: z.string(),
      path: z.string(),
      query: z.record(z.string()),
      status: z.number(),
      time: z.string(),
      duration_ms: z.number(),
    }),
  ),
});

/** An object in `GET /_emulator/dump` (only the fields the benchmarks compare). */
export type DumpRecord = Record<string, unknown> & { id: string };

const dumpSchema = z.record(z.unknown());

/** A started emulator plus its control API. */
export class BenchEmulator {
  private constructor(readonly emu: RunningEmulator) {}

  /** Starts an emulator on 127.0.0.1 with the given options. */
  static async start(options: EmulatorOptions = {}): Promise<BenchEmulator> {
    return new BenchEmulator(await startEmulator({ port: 0, ...options }));
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return this.emu.url;
  }

  private get auth(): string {
    return `Basic ${Buffer.from(`${this.emu.apiKey}:${this.emu.apiSecret}`).toString("base64")}`;
  }

  /** One call with the admin credentials; fails unless 2xx. */
  async call(method: string, urlPath: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${this.emu.url}${urlPath}`, {
      method,
      headers: {
        authorization: this.auth,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status < 200 || res.status > 299) {
      throw new Error(`${method} ${urlPath} answered ${res.status}: ${text.slice(0, 300)}`);
    }
    return text === "" ? undefined : (JSON.parse(text) as unknown);
  }

  /** Creates an object through the API and returns its id. */
  async create(urlPath: string, body: unknown): Promise<string> {
    const made = z.object({ id: z.string() }).parse(await this.call("POST", urlPath, body));
    return made.id;
  }

  /** Empties the request log. */
  async clearLog(): Promise<void> {
    await this.call("DELETE", "/_emulator/requests");
  }

  /** Every API call logged since the last clear, in order. */
  async log(): Promise<LoggedCall[]> {
    return logSchema.parse(await this.call("GET", "/_emulator/requests")).data;
  }

  /** Changes faults, latency, read lag or the rate limit at runtime. */
  async setFaults(patch: Record<string, number>): Promise<void> {
    await this.call("PUT", "/_emulator/faults", patch);
  }

  /** Empties every store and re-applies the seed. */
  async reset(): Promise<void> {
    await this.call("POST", "/_emulator/reset");
  }

  /** Every object, by table (`service_accounts`, `api_keys`, `role_bindings`, …). */
  async dump(): Promise<Record<string, DumpRecord[]>> {
    const raw = dumpSchema.parse(await this.call("GET", "/_emulator/dump"));
    const out: Record<string, DumpRecord[]> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (Array.isArray(v)) out[k] = v.filter((r): r is DumpRecord => typeof r === "object" && r !== null);
    }
    return out;
  }

  /** Environment of a runner command or provider host pointed at this emulator (credentials via env). */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      CONFLUENT_CLOUD_API_KEY: this.emu.apiKey,
      CONFLUENT_CLOUD_API_SECRET: this.emu.apiSecret,
      CONFLUENT_CLOUD_ENDPOINT: this.emu.url,
      // State stores secrets encrypted with a passphrase: the bench's own (not a secret).
      PULUMI_CONFIG_PASSPHRASE: "bench-passphrase-not-a-secret",
      ...extra,
    };
  }

  /** Stops the emulator. */
  close(): Promise<void> {
    return this.emu.close();
  }
}

/** Tables of the emulator dump that hold objects a program creates (users and environments are seeded). */
export const CREATED_TABLES = [
  "service_accounts",
  "api_keys",
  "role_bindings",
  "ip_groups",
  "ip_filters",
  "invitations",
  "identity_providers",
  "identity_pools",
  "integrations",
  "byok_keys",
] as const;

/** The organization and cluster of the emulator's default seed. */
export const ORG = "b0b0cafe-0000-4000-8000-000000000001";
/** CRN of the seeded cluster lkc-demo01. */
export const CLUSTER_CRN = `crn://confluent.cloud/organization=${ORG}/environment=env-demo01/cloud-cluster=lkc-demo01`;

/**
 * One resource of a generated program. A string value `${ref:<name>}` (anywhere inside it) stands for the
 * id of the earlier resource `<name>`, so the runner sees a real dependency.
 */
export interface Declaration {
  /** SDK class name. */
  kind: string;
  /** Logical name (unique in the program). */
  name: string;
  /** Constructor arguments. */
  args: Record<string, unknown>;
  /** Resource options (plain JSON: `replaceOnChanges`, `protect`, …). */
  opts?: Record<string, unknown>;
}

/** Writes `${ref:name}`. */
export function ref(name: string): string {
  return `\${ref:${name}}`;
}

// The program reads its declarations from objects.json so an edit is a rewrite of that file, and imports
// nothing but the package (the temp folder has no node_modules; the runner resolves the package name).
const PROGRAM_TEXT = `import * as fs from "fs";
import * as path from "path";
import * as ci from "pulumi-confluent-iam";

interface Declaration { kind: string; name: string; args: Record<string, unknown>; opts?: object }
interface Made { id: { apply<U>(f: (id: string) => U): unknown } }
type Ctor = new (name: string, args: unknown, opts?: object) => Made;

const decls = JSON.parse(fs.readFileSync(path.join(__dirname, "objects.json"), "utf8")) as Declaration[];
const made = new Map<string, Made>();
const REF = /^(.*)\\$\\{ref:([^}]+)\\}(.*)$/s;

function resolve(v: unknown): unknown {
  if (typeof v === "string") {
    const m = REF.exec(v);
    if (!m) return v;
    const target = made.get(m[2]);
    if (!target) throw new Error("unknown reference " + m[2]);
    return target.id.apply((id) => m[1] + id + m[3]);
  }
  if (Array.isArray(v)) return v.map(resolve);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
  }
  return v;
}

const ctors = ci as unknown as Record<string, Ctor>;
for (const d of decls) made.set(d.name, new ctors[d.kind](d.name, resolve(d.args), d.opts));
`;

/** A generated Pulumi program in a temp folder, run with the lifecycle runner. */
export class BenchProgram {
  private constructor(readonly dir: string) {}

  /** Creates the folder with Pulumi.yaml, index.ts and the declarations. */
  static create(label: string, decls: readonly Declaration[]): BenchProgram {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `confluent-iam-bench-${label}-`));
    fs.writeFileSync(
      path.join(dir, "Pulumi.yaml"),
      `name: bench-${label}\nruntime: nodejs\nmain: index.ts\n`,
    );
    fs.writeFileSync(path.join(dir, "index.ts"), PROGRAM_TEXT);
    const p = new BenchProgram(dir);
    p.declare(decls);
    return p;
  }

  /** Rewrites the declarations (an edit of the program). */
  declare(decls: readonly Declaration[]): void {
    fs.writeFileSync(path.join(this.dir, "objects.json"), JSON.stringify(decls, null, 1));
  }

  /** The state file the runner writes. */
  get statePath(): string {
    return path.join(this.dir, ".state", "dev.json");
  }

  /** Runs one lifecycle command, timed, with at most `parallel` resource operations at once. */
  async run(
    command: Command,
    env: NodeJS.ProcessEnv,
    { parallel }: { parallel: number },
  ): Promise<{ result: LifecycleResult; wallMs: number }> {
    const started = performance.now();
    const result = await runLifecycle(command, { cwd: this.dir, env, parallel });
    return { result, wallMs: performance.now() - started };
  }

  /** Removes the folder. */
  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Failed operations of a runner command: failed steps, or 1 when the command failed without one. */
export function failedOperations(r: LifecycleResult): number {
  const failedSteps = r.steps.filter((s) => s.status === "failed").length;
  return failedSteps > 0 ? failedSteps : r.ok ? 0 : 1;
}

/** The first few error lines of a failed command, for a report. */
export function firstErrors(r: LifecycleResult, { max = 3 }: { max?: number } = {}): string[] {
  return r.errors.slice(0, max).map((e) => (e.length > 300 ? `${e.slice(0, 300)}…` : e));
}

/** Formats milliseconds as seconds with one decimal. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Renders rows as one fixed-width table. */
export function renderTable(rows: readonly Row[]): string {
  const head = ["benchmark", "figure", "value", "target", "met"];
  const cells = rows.map((r) => [
    r.benchmark,
    r.figure,
    r.value,
    r.target,
    r.met === undefined ? "" : r.met ? "yes" : "NO",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? "").length)));
  const line = (c: readonly string[]): string =>
    c
      .map((x, i) => x.padEnd(widths[i] ?? 0))
      .join(" | ")
      .trimEnd();
  return [line(head), widths.map((w) => "-".repeat(w)).join("-|-"), ...cells.map(line)].join("\n");
}
