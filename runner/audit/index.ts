/**
 * `confluent-iam audit`: the policy pack run against the live organization. Reads every object through
 * export's reader, runs every policy of the pack over every object (managed by a program or not), adds the
 * findings only the live organization shows (runner/audit/findings.ts), and reports them as text (stdout),
 * JSON, SARIF 2.1.0 and a self-contained HTML page with the access map. The exit code gates CI (`--fail-on`).
 */
import * as fs from "fs";
import * as path from "path";
import { flagArgs, readSharedFlag } from "../args";
import { resolveCredentials } from "../../provider/runtime";
import type { PolicyPackConfig } from "../analyzer";
import { EXPORT_KINDS, type ExportKind } from "../export/kinds";
import { readProject, readStackConfig } from "../project";
import { accessMap, ORGANIZATION_RULES, organizationFindings, parseAge, refOf } from "./findings";
import { managedObjects, stateFiles } from "./managed";
import { levelOf, readPolicyConfig, runPolicyPack, severityOf, shippedPolicyPack } from "./policies";
import { readLiveOrganization, type AuditCredentials } from "./read";
import { exitCodeOf, type AuditReport, type FailOn, type RuleInfo } from "./report";
import { renderHtml } from "./html";
import { renderSarif } from "./sarif";
import { renderText } from "./text";

export type { AuditReport, Finding, FailOn } from "./report";

/** Options of {@link auditOrganization}. */
export interface AuditOptions {
  credentials: AuditCredentials;
  /** Only these environments' scopes (all when empty). */
  environments?: readonly string[];
  /** Kinds not to read. */
  exclude?: readonly ExportKind[];
  /** State files (or folders of them) of the stacks that manage the organization. */
  statePaths?: readonly string[];
  /** @default the shipped pack */
  policyPack?: string;
  policyPackConfig?: PolicyPackConfig;
  /** @default 90 days */
  maxKeyAgeMs?: number;
  /** @default the current time */
  now?: Date;
  /** Progress lines (stderr in the CLI). */
  progress?: (line: string) => void;
}

/** Reads the organization, runs the pack and the audit's own rules. */
export async function auditOrganization(opts: AuditOptions): Promise<AuditReport> {
  const now = opts.now ?? new Date();
  const exclude = new Set(opts.exclude ?? []);
  const kinds = EXPORT_KINDS.filter((k) => !exclude.has(k));
  const managed =
    opts.statePaths && opts.statePaths.length > 0 ? managedObjects(stateFiles(opts.statePaths)) : undefined;
  const config = opts.policyPackConfig ?? {};
  const packDir = opts.policyPack ?? shippedPolicyPack();
  const org = await readLiveOrganization({
    credentials: opts.credentials,
    kinds,
    environments: opts.environments ?? [],
    ...(opts.progress ? { progress: opts.progress } : {}),
  });
  opts.progress?.(`audit: running policy pack ${packDir} over ${org.objects.length} objects`);
  const pack = await runPolicyPack({
    packDir,
    config,
    organizationId: org.id,
    objects: org.objects,
    ...(opts.progress
      ? { onStderr: (t: string) => opts.progress?.(t.trimEnd()), progress: opts.progress }
      : {}),
  });
  const orgRules: RuleInfo[] = ORGANIZATION_RULES.map((r) => ({
    name: r.name,
    source: "organization",
    description: r.description,
    level: severityOf(levelOf(config, r.name, r.level)),
  }));
  const findings = organizationFindings({
    organizationId: org.id,
    objects: org.objects,
    createdAt: org.createdAt,
    ...(managed ? { managed } : {}),
    kinds,
    now,
    maxKeyAgeMs: opts.maxKeyAgeMs ?? 90 * 86_400_000,
    levels: Object.fromEntries(orgRules.map((r) => [r.name, r.level])),
  });
  const counts: Record<string, number> = {};
  for (const o of org.objects) if (o.skip === undefined) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
  counts.Environment = org.environments.length;
  counts.Scope = org.scopes.length;
  const live = org.objects.filter((o) => o.skip === undefined);
  return {
    organizationId: org.id,
    generatedAt: now.toISOString(),
    policyPack: pack.pack,
    counts,
    environments: org.environments,
    excluded: [...exclude],
    ...(managed ? { unmanaged: findings.filter((f) => f.rule === "unmanaged-object").length } : {}),
    rules: [...pack.rules, ...orgRules],
    findings: [...pack.findings, ...findings],
    access: accessMap(live),
    objects: live.map(refOf),
    read: { calls: org.stats.calls, waits: org.stats.waits, ms: org.stats.ms },
  };
}

const HELP = `Usage: confluent-iam audit [options]

Reads a Confluent Cloud organization through the API and runs every policy of a policy pack against every
object (whether a program manages it or not), plus the findings only the live organization shows:
  unmanaged-object                    objects no stack manages (needs --state)
  api-key-orphaned                    API keys whose owner no longer exists
  api-key-too-old                     API keys older than --max-key-age
  service-account-idle                service accounts with neither API keys nor role bindings
  admin-role-holder                   principals holding OrganizationAdmin, EnvironmentAdmin,
                                      CloudClusterAdmin or AccountAdmin, with the bindings that grant them
  identity-pool-matches-every-token   identity pools bound to a role whose filter every token passes
Prints a summary to stdout (counts per rule, then the findings by severity); progress goes to stderr.

Options:
  --environment ENV_ID    read only this environment's scopes (repeatable; default: every environment)
  --exclude KIND[,KIND]   do not read these kinds (repeatable), e.g. one the credentials may not list
  --state FILE|DIR        a stack's state file, or a folder of them (repeatable): objects none of them
                          manages are reported
  --policy-pack DIR       the policy pack to run (default: the shipped pack)
  --policy-pack-config F  policy configuration, as pulumi's --policy-pack-config: { "<policy>": level |
                          { enforcementLevel?, ...settings } }; also sets the levels of the audit's own rules
  --max-key-age AGE       API keys older than this are reported (default 90d; units m, h, d, w)
  --fail-on LEVEL         exit 1 when a finding of this level or above exists: mandatory (default),
                          advisory, or never
  --json                  print the report as JSON instead of the summary
  --sarif FILE            also write the findings as SARIF 2.1.0 (GitHub code scanning)
  --html FILE             also write a self-contained HTML page: the access map (graph and table), every
                          finding linked to its objects, the organization's counts
  --cwd DIR, --stack NAME, --config key=value
                          credentials from a project's stack config, as the other commands
  --help                  show this help

Kinds: ${EXPORT_KINDS.join(", ")}.
Credentials: CONFLUENT_CLOUD_API_KEY, CONFLUENT_CLOUD_API_SECRET, CONFLUENT_CLOUD_ENDPOINT, or config
confluentcloud:cloudApiKey, confluentcloud:cloudApiSecret, confluentcloud:endpoint.
Exit codes: 0 no finding at --fail-on's level, 1 findings at that level or a failed read, 2 usage.
`;

/** Parsed `audit` command line. */
export interface AuditArgs {
  help: boolean;
  cwd: string;
  stack: string;
  config: string[];
  environments: string[];
  exclude: ExportKind[];
  statePaths: string[];
  policyPack?: string;
  policyPackConfig?: string;
  maxKeyAgeMs: number;
  failOn: FailOn;
  json: boolean;
  sarif?: string;
  html?: string;
}

/** Parses `audit`'s arguments (without `audit`). Throws with a message fit for the user. */
export function parseAuditArgs(argv: readonly string[]): AuditArgs {
  const out: AuditArgs = {
    help: false,
    cwd: process.cwd(),
    stack: "dev",
    config: [],
    environments: [],
    exclude: [],
    statePaths: [],
    maxKeyAgeMs: 90 * 86_400_000,
    failOn: "mandatory",
    json: false,
  };
  for (const a of flagArgs(argv)) {
    const { arg, flag, value } = a;
    if (flag === "--state") {
      out.statePaths.push(path.resolve(value()));
      continue;
    }
    if (readSharedFlag(a, out)) continue;
    switch (flag) {
      case "--help":
      case "-h":
        out.help = true;
        break;
      case "--environment": {
        const v = value();
        if (!/^env-[A-Za-z0-9]+$/.test(v))
          throw new Error(
            `--environment expects an environment id such as env-abc123, got ${JSON.stringify(v)}`,
          );
        out.environments.push(v);
        break;
      }
      case "--exclude":
        for (const k of value()
          .split(",")
          .filter((x) => x !== "")) {
          if (!(EXPORT_KINDS as readonly string[]).includes(k))
            throw new Error(`--exclude ${k}: unknown kind; expected one of ${EXPORT_KINDS.join(", ")}`);
          out.exclude.push(k as ExportKind);
        }
        break;
      case "--policy-pack": {
        const dir = path.resolve(value());
        if (fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory() !== true)
          throw new Error(`--policy-pack ${dir}: no such folder`);
        out.policyPack = dir;
        break;
      }
      case "--policy-pack-config":
        out.policyPackConfig = path.resolve(value());
        break;
      case "--max-key-age":
        out.maxKeyAgeMs = parseAge(value());
        break;
      case "--fail-on": {
        const v = value();
        if (v !== "mandatory" && v !== "advisory" && v !== "never")
          throw new Error(`--fail-on expects mandatory, advisory or never, got ${JSON.stringify(v)}`);
        out.failOn = v;
        break;
      }
      case "--json":
        out.json = true;
        break;
      case "--sarif":
        out.sarif = path.resolve(value());
        break;
      case "--html":
        out.html = path.resolve(value());
        break;
      default:
        throw new Error(arg.startsWith("-") ? `unknown option ${arg}` : `unexpected argument ${arg}`);
    }
  }
  return out;
}

/** Credentials: `--config` and the stack config of `--cwd` (when it is a project), then the environment. */
function credentialsOf(args: AuditArgs): AuditCredentials {
  const hasProject = ["Pulumi.yaml", "Pulumi.yml"].some((f) => fs.existsSync(path.join(args.cwd, f)));
  const values = hasProject
    ? readStackConfig(readProject(args.cwd), args.stack, args.config).values
    : Object.fromEntries(
        args.config.map((c) => {
          const at = c.indexOf("=");
          if (at <= 0) throw new Error(`--config expects key=value, got ${JSON.stringify(c)}`);
          return [c.slice(0, at), c.slice(at + 1)];
        }),
      );
  return resolveCredentials({ get: (key) => values[key] });
}

/** Writes `text` to `file` (its folder made if missing). */
function writeOutput(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** `confluent-iam audit …`; returns the exit code (0 passed, 1 findings at --fail-on or failed, 2 usage). */
export async function auditCommand(
  argv: readonly string[],
  io: { out: (s: string) => void; err: (s: string) => void; now?: Date } = {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  },
): Promise<number> {
  let args: AuditArgs;
  let config: PolicyPackConfig = {};
  try {
    args = parseAuditArgs(argv);
    if (!args.help && args.policyPackConfig !== undefined) config = readPolicyConfig(args.policyPackConfig);
  } catch (e) {
    io.err(`confluent-iam: audit: ${(e as Error).message}\nRun confluent-iam audit --help for usage.\n`);
    return 2;
  }
  if (args.help) {
    io.out(HELP);
    return 0;
  }
  try {
    const report = await auditOrganization({
      credentials: credentialsOf(args),
      environments: args.environments,
      exclude: args.exclude,
      statePaths: args.statePaths,
      ...(args.policyPack !== undefined ? { policyPack: args.policyPack } : {}),
      policyPackConfig: config,
      maxKeyAgeMs: args.maxKeyAgeMs,
      ...(io.now ? { now: io.now } : {}),
      progress: (line) => io.err(`confluent-iam: ${line}\n`),
    });
    const code = exitCodeOf(report, args.failOn);
    if (args.sarif !== undefined) writeOutput(args.sarif, renderSarif(report));
    if (args.html !== undefined) writeOutput(args.html, renderHtml(report));
    io.out(args.json ? JSON.stringify(report, null, 2) + "\n" : renderText(report, args.failOn, code));
    return code;
  } catch (e) {
    io.err(`confluent-iam: audit: ${(e as Error).message}\n`);
    return 1;
  }
}
