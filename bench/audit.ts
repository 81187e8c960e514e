/**
 * Benchmark: `confluent-iam audit` of an organization of 2,000 service accounts, 2,000 API keys and 10,000
 * role bindings over 20 environments (each with a Kafka cluster), under the emulator's 20 requests/s limit.
 * Prints the list calls of each kind against ⌈objects / page size⌉ + one call per scope, the scope discovery
 * calls, the time of the whole audit (read and the policy pack over every object) against 30 s, and the rate
 * the read kept: served calls per second over the API window as a fraction of the limit (≥ 0.95), with the
 * 429s the emulator answered (each one waited out by the client, never sent on at once).
 */
import { auditOrganization } from "../runner/audit";
import { kindOfPath } from "../runner/audit/read";
import { KINDS } from "../runner/export/kinds";
import { BenchEmulator, seconds, type LoggedCall, type Row } from "./support";
import { logWindowMs } from "./throughput";

/** The organization's size. */
export interface AuditOrgSize {
  serviceAccounts: number;
  apiKeys: number;
  roleBindings: number;
  environments: number;
}

export const AUDIT_FULL_SIZE: AuditOrgSize = {
  serviceAccounts: 2000,
  apiKeys: 2000,
  roleBindings: 10000,
  environments: 20,
};

export const AUDIT_ORG = "b0b0cafe-0000-4000-8000-0000000000a0";

/** Calls of one kind (or of scope discovery). */
export interface AuditKindCalls {
  kind: string;
  objects: number;
  pageSize: number;
  scopes: number;
  calls: number;
  /** ⌈objects / page size⌉ + one call per scope. */
  bound: number;
}

/** The benchmark's figures. */
export interface AuditBenchResult {
  size: AuditOrgSize;
  rateLimit: number;
  kinds: AuditKindCalls[];
  calls: number;
  tooMany: number;
  /** 429s after which the next request came sooner than the Retry-After the emulator sent. */
  unpaced: number;
  writes: number;
  /** The whole audit: read, policy pack, findings. */
  ms: number;
  readMs: number;
  windowMs: number;
  fractionOfLimit: number;
  findings: number;
  seedMs: number;
}

/** Runs `fn` over `n` indexes, `width` at a time. */
async function inParallel(n: number, width: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

/**
 * Seeds the organization through the API (no rate limit while seeding): keys are owned by the service accounts in
 * turn, the bindings are spread over the environments, half on the environment and half on its cluster.
 */
export async function seedAuditOrg(emu: BenchEmulator, size: AuditOrgSize): Promise<void> {
  const envs = Array.from({ length: size.environments }, (_, i) => `env-a${String(i + 1).padStart(3, "0")}`);
  await emu.call("POST", "/_emulator/seed", {
    organization_id: AUDIT_ORG,
    users: [{ id: "u-a0001", email: "owner@example.com", full_name: "Owner" }],
    environments: envs.map((id) => ({ id, display_name: id })),
    kafka_clusters: envs.map((e, i) => ({ id: `lkc-a${i + 1}`, environment: e })),
    schema_registries: [],
  });
  const sas: string[] = new Array<string>(size.serviceAccounts);
  await inParallel(size.serviceAccounts, 8, async (i) => {
    sas[i] = await emu.create("/iam/v2/service-accounts", {
      display_name: `app-${i}`,
      description: `app ${i}`,
    });
  });
  await inParallel(size.apiKeys, 8, async (i) => {
    await emu.create("/iam/v2/api-keys", {
      spec: { display_name: `key-${i}`, description: `key of app ${i}`, owner: { id: sas[i % sas.length] } },
    });
  });
  const org = `crn://confluent.cloud/organization=${AUDIT_ORG}`;
  // Binding i: environment i mod E, on the environment or its cluster, one of three roles there, then the
  // principal; no two bindings are the same (principal, role, CRN) while i < 6 × E × service accounts.
  const envRoles = ["EnvironmentAdmin", "Operator", "DataDiscovery"];
  const clusterRoles = ["CloudClusterAdmin", "Operator", "MetricsViewer"];
  const e = envs.length;
  await inParallel(size.roleBindings, 8, async (i) => {
    const env = i % e;
    const envCrn = `${org}/environment=${envs[env] ?? ""}`;
    const onCluster = Math.floor(i / e) % 2 === 1;
    const role = Math.floor(i / (2 * e)) % 3;
    await emu.create("/iam/v2/role-bindings", {
      principal: `User:${sas[Math.floor(i / (6 * e)) % sas.length] ?? ""}`,
      role_name: (onCluster ? clusterRoles : envRoles)[role],
      crn_pattern: onCluster ? `${envCrn}/cloud-cluster=lkc-a${env + 1}` : envCrn,
    });
  });
}

/** 429s the client did not wait out: the same credential's next request came before Retry-After had passed. */
function unpaced429s(log: readonly LoggedCall[], retryAfterMs: number): number {
  let count = 0;
  log.forEach((c, i) => {
    if (c.status !== 429) return;
    const next = log[i + 1];
    if (next !== undefined && Date.parse(next.time) < Date.parse(c.time) + c.duration_ms + retryAfterMs - 50)
      count++;
  });
  return count;
}

/** Seeds, then audits under the rate limit and counts the calls. */
export async function runAuditBench(
  opts: { size?: AuditOrgSize; rateLimit?: number } = {},
): Promise<AuditBenchResult> {
  const size = opts.size ?? AUDIT_FULL_SIZE;
  const rateLimit = opts.rateLimit ?? 20;
  const emu = await BenchEmulator.start();
  try {
    const seedStart = performance.now();
    await seedAuditOrg(emu, size);
    const seedMs = performance.now() - seedStart;
    await emu.setFaults({ rate_limit: rateLimit });
    await emu.clearLog();
    const started = performance.now();
    const report = await auditOrganization({
      credentials: { endpoint: emu.url, apiKey: emu.emu.apiKey, apiSecret: emu.emu.apiSecret },
      progress: (line) => process.stderr.write(`bench: ${line}\n`),
    });
    const ms = performance.now() - started;
    const log = await emu.log();
    const lists = log.filter((c) => c.method === "GET");
    const byKind = (kind: string): number => lists.filter((c) => kindOfPath(c.path) === kind).length;
    const scopes = 1 + 2 * size.environments;
    const objectsOf: Record<string, number> = {
      ServiceAccount: size.serviceAccounts,
      ApiKey: size.apiKeys,
      RoleBinding: size.roleBindings,
      User: 1,
    };
    const scopesOf: Record<string, number> = {
      RoleBinding: scopes,
      ProviderIntegration: size.environments,
      IdentityPool: 0,
    };
    const kinds: AuditKindCalls[] = KINDS.map((k) => {
      const objects = objectsOf[k.kind] ?? 0;
      const kindScopes = scopesOf[k.kind] ?? 1;
      return {
        kind: k.kind,
        objects,
        pageSize: k.pageSize,
        scopes: kindScopes,
        calls: byKind(k.kind),
        bound: Math.ceil(objects / k.pageSize) + kindScopes,
      };
    });
    // Scope discovery: organizations, environments, then clusters and registries per environment.
    kinds.push({
      kind: "scopes",
      objects: 1 + size.environments * 2,
      pageSize: 100,
      scopes: 2 + 2 * size.environments,
      calls: byKind("scopes"),
      bound: 2 + 2 * size.environments + Math.ceil(size.environments / 100),
    });
    const tooMany = log.filter((c) => c.status === 429).length;
    const windowMs = logWindowMs(log);
    return {
      size,
      rateLimit,
      kinds,
      calls: log.length,
      tooMany,
      unpaced: unpaced429s(log, 1000),
      writes: log.filter((c) => c.method !== "GET").length,
      ms,
      readMs: report.read.ms,
      windowMs,
      fractionOfLimit: (log.length - tooMany) / (windowMs / 1000) / rateLimit,
      findings: report.findings.length,
      seedMs,
    };
  } finally {
    await emu.close();
  }
}

/** Rows of the printed table. */
export function auditRows(r: AuditBenchResult): Row[] {
  const org = `${r.size.serviceAccounts} service accounts, ${r.size.apiKeys} keys, ${r.size.roleBindings} bindings, ${r.size.environments} environments`;
  const rows: Row[] = r.kinds
    .filter((k) => k.calls > 0 || k.objects > 0)
    .map((k) => ({
      benchmark: "audit",
      figure:
        k.kind === "scopes"
          ? "calls to find the scopes (organization, environments, Kafka clusters, Schema Registries)"
          : `list calls, ${k.kind} (${k.objects} objects, page ${k.pageSize}, ${k.scopes} scope${k.scopes === 1 ? "" : "s"})`,
      value: String(k.calls),
      target: `≤ ${k.bound} (⌈objects / page⌉ + 1 per scope)`,
      met: k.calls <= k.bound,
    }));
  rows.push(
    {
      benchmark: "audit",
      figure: `audit of ${org} (seeding took ${seconds(r.seedMs)}): time, read, findings`,
      value: `${seconds(r.ms)} (read ${seconds(r.readMs)}), ${r.findings} findings, ${r.writes} writes`,
      target: "≤ 30 s, 0 writes",
      met: r.ms <= 30_000 && r.writes === 0,
    },
    {
      benchmark: "audit",
      figure: `audit read under a ${r.rateLimit}/s limit: calls, 429s (unpaced), rate/limit over the API window`,
      value: `${r.calls} calls, ${r.tooMany} x 429 (${r.unpaced} unpaced), ${r.fractionOfLimit.toFixed(2)}`,
      target: ">= 0.95 of limit, 0 unpaced 429s",
      met: r.fractionOfLimit >= 0.95 && r.unpaced === 0,
    },
  );
  return rows;
}

if (require.main === module) {
  const quick = process.argv.includes("--quick");
  void runAuditBench(
    quick ? { size: { serviceAccounts: 250, apiKeys: 250, roleBindings: 1200, environments: 3 } } : {},
  ).then((r) => {
    for (const row of auditRows(r))
      console.log(`${row.figure}: ${row.value} (${row.target})${row.met === false ? " NOT MET" : ""}`);
  });
}
