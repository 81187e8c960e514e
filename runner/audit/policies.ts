/**
 * Runs a policy pack over the live organization's objects, the way `preview --policy-pack` runs it over a
 * program's resources: the pack starts as the Pulumi CLI starts it (runner/analyzer.ts), each object is
 * analyzed with the inputs `read` would give it (Analyze), then all of them together (AnalyzeStack).
 */
import * as fs from "fs";
import * as path from "path";
import { typeTokenOf } from "../../protocol";
import type { ReadObject } from "../export/kinds";
import {
  startPolicyPack,
  type AnalyzerResource,
  type AnalyzerViolation,
  type EnforcementLevel,
  type PolicyPackConfig,
} from "../analyzer";
import { BATCH_DONE, BATCH_TYPE } from "./batch-hook";
import { refOf } from "./findings";
import type { Finding, ObjectRef, RuleInfo, Severity } from "./report";

/** The package's root (the folder of its package.json), from the sources or from dist/. */
function packageRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "policy-pack")))
      return dir;
    dir = path.dirname(dir);
  }
  return path.resolve(__dirname, "..", "..");
}

/**
 * The shipped pack: `policy-pack/` (compiled policies in dist/) when the package is built or installed, its
 * source `policy/` when running from this repository without a build.
 */
export function shippedPolicyPack(): string {
  const root = packageRoot();
  return fs.existsSync(path.join(root, "dist", "policy", "policies.js"))
    ? path.join(root, "policy-pack")
    : path.join(root, "policy");
}

/** Reads a `--policy-pack-config` file (the Pulumi CLI's format: policy → level, or settings object). */
export function readPolicyConfig(file: string): PolicyPackConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new Error(
      err.code === "ENOENT"
        ? `--policy-pack-config ${file}: no such file`
        : `--policy-pack-config ${file}: not JSON (${err.message})`,
    );
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw new Error(
      `--policy-pack-config ${file}: expected an object of policy names, got ${JSON.stringify(raw)}`,
    );
  const levels = ["advisory", "mandatory", "disabled", "remediate"];
  for (const [name, v] of Object.entries(raw)) {
    const level = typeof v === "string" ? v : (v as { enforcementLevel?: unknown } | null)?.enforcementLevel;
    const ok =
      (typeof v === "string" || (v !== null && typeof v === "object" && !Array.isArray(v))) &&
      (level === undefined || (typeof level === "string" && levels.includes(level)));
    if (!ok)
      throw new Error(
        `--policy-pack-config ${file}: "${name}" must be one of ${levels.join(", ")} or an object of settings ` +
          `with an optional enforcementLevel, got ${JSON.stringify(v)}`,
      );
  }
  return raw as PolicyPackConfig;
}

/** The level a config gives a rule, else its default. */
export function levelOf(
  config: PolicyPackConfig,
  name: string,
  fallback: EnforcementLevel,
): EnforcementLevel {
  const v = config[name];
  if (typeof v === "string") return v;
  return v?.enforcementLevel ?? fallback;
}

/** `remediate` has nothing to change in a live organization: it reports as mandatory. */
export function severityOf(level: EnforcementLevel): Severity | "disabled" {
  return level === "disabled" ? "disabled" : level === "advisory" ? "advisory" : "mandatory";
}

/** The URN an object is analyzed under: its kind and id, in a stack named after the organization. */
export function urnOf(organizationId: string, o: Pick<ReadObject, "kind" | "id">): string {
  return `urn:pulumi:audit::${organizationId}::${typeTokenOf(o.kind)}::${o.id}`;
}

/** What the pack said. */
export interface PackResult {
  pack: { name: string; version: string; dir: string };
  rules: RuleInfo[];
  findings: Finding[];
}

/** Runs `pool` over `items` with at most `n` at once, in order of results. */
async function mapLimit<T, R>(items: readonly T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

/**
 * Every violation of the pack over `resources`: its resource policies over each one, then its stack policies
 * over all. Through the batch hook (batch-hook.ts), when the pack's process took it: the resource policies in
 * batches of {@link BATCH} (one AnalyzeStack call each, the hook keeping the resources), then the stack
 * policies over what the hook kept (one call, nothing sent again). Otherwise (a pack that loads gRPC some
 * other way): one Analyze call per resource, 32 in flight, then one AnalyzeStack over every resource.
 */
async function analyzeAll(
  pack: Awaited<ReturnType<typeof startPolicyPack>>,
  resources: AnalyzerResource[],
  progress?: (line: string) => void,
): Promise<AnalyzerViolation[]> {
  const marker = (name: string): AnalyzerResource => ({
    type: BATCH_TYPE,
    name,
    urn: `urn:pulumi:audit::${name}`,
    properties: {},
  });
  const out: AnalyzerViolation[] = [];
  for (let i = 0; i < resources.length || i === 0; i += BATCH) {
    const answer = await pack.analyzeStack([...resources.slice(i, i + BATCH), marker("resources")]);
    if (!answer.some((v) => v.policyName === BATCH_DONE)) {
      const perResource = await mapLimit(resources, 32, (r) => pack.analyze(r));
      return [...perResource.flat(), ...(await pack.analyzeStack(resources))];
    }
    out.push(...answer.filter((v) => v.policyName !== BATCH_DONE));
    if (i + BATCH < resources.length)
      progress?.(`audit: policy pack: ${i + BATCH} of ${resources.length} objects analyzed`);
  }
  const stack = await pack.analyzeStack([marker("stack")]);
  out.push(...stack.filter((v) => v.policyName !== BATCH_DONE));
  return out;
}

/** Objects per batch: an answer holds every violation of its objects, and gRPC answers stop at 4 MB. */
const BATCH = 500;

/** Starts the pack, analyzes every object, and turns its violations into findings. */
export async function runPolicyPack(opts: {
  packDir: string;
  config: PolicyPackConfig;
  organizationId: string;
  objects: readonly ReadObject[];
  onStderr?: (text: string) => void;
  progress?: (line: string) => void;
}): Promise<PackResult> {
  const dir = path.resolve(opts.packDir);
  // The batch hook (batch-hook.ts) runs from this folder: as .js when built, as .ts (with the repository's
  // ts-register hook) from the sources.
  const hook = path.join(__dirname, `batch-hook${path.extname(__filename)}`);
  const fromSource = __filename.endsWith(".ts");
  // From the sources, the TypeScript hook needs the repository's ts-register loaded before it.
  const register = fromSource
    ? [`--require ${JSON.stringify(path.join(packageRoot(), "scripts", "ts-register.js"))}`]
    : [];
  const pack = await startPolicyPack(dir, {
    ...(opts.onStderr ? { onStderr: opts.onStderr } : {}),
    callTimeoutMs: 300_000,
    env: {
      NODE_OPTIONS: [process.env.NODE_OPTIONS, ...register, `--require ${JSON.stringify(hook)}`]
        .filter(Boolean)
        .join(" "),
    },
    ...(fromSource ? { tsRegister: true } : {}),
  });
  try {
    const info = await pack.info();
    if (Object.keys(opts.config).length > 0) {
      const known = new Set(info.policies.map((p) => p.name));
      const config: PolicyPackConfig = Object.fromEntries(
        Object.entries(opts.config).filter(([name]) => known.has(name)),
      );
      await pack.configure(config);
    }
    const byUrn = new Map<string, ObjectRef>();
    const resources: AnalyzerResource[] = [];
    for (const o of opts.objects) {
      if (o.skip !== undefined) continue;
      const urn = urnOf(opts.organizationId, o);
      byUrn.set(urn, refOf(o));
      resources.push({ type: typeTokenOf(o.kind), name: o.id, urn, properties: o.inputs });
    }
    const violations = await analyzeAll(pack, resources, opts.progress);
    const findings: Finding[] = [];
    for (const v of violations) {
      const severity = severityOf(v.enforcementLevel);
      if (severity === "disabled") continue;
      const prefix = `${v.description}\n`;
      const message = v.message.startsWith(prefix) ? v.message.slice(prefix.length) : v.message;
      const ref = v.urn !== undefined ? byUrn.get(v.urn) : undefined;
      findings.push({ rule: v.policyName, source: "policy", severity, message, objects: ref ? [ref] : [] });
    }
    const rules: RuleInfo[] = info.policies.map((p) => ({
      name: p.name,
      source: "policy",
      description: p.description,
      level: severityOf(levelOf(opts.config, p.name, p.enforcementLevel)),
    }));
    return { pack: { name: info.name, version: info.version, dir }, rules, findings };
  } finally {
    await pack.close();
  }
}
