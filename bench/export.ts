/**
 * Benchmark: `confluent-iam export` of an organization of every kind (2,000 objects; `--quick`: 300). Prints
 * the API calls of each kind against the fewest a lister can make, ⌈objects / page size⌉ for each scope it
 * must list (one scope for organization-wide kinds, one per environment for provider integrations, one per
 * identity provider for pools, one per CRN scope for role bindings), plus the scope discovery calls, and the
 * time of the export.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { seedExportOrg } from "./export-org";
import { exportOrganization, type ExportKind } from "../runner/export";
import { KINDS } from "../runner/export/kinds";
import { BenchEmulator, seconds, type LoggedCall, type Row } from "./support";

/** Options of {@link runExportBench}. */
export interface ExportBenchOptions {
  /** Objects in the organization (about). @default 2000 */
  objects?: number;
}

/** Calls of one kind. */
export interface KindCalls {
  kind: ExportKind | "scopes";
  /** Objects of the kind in the organization (listed, before anything is left out). */
  objects: number;
  pageSize: number;
  /** Scopes the kind is listed in. */
  scopes: number;
  calls: number;
  /** ⌈objects / page size⌉ + one call per scope. */
  bound: number;
}

/** The benchmark's figures. */
export interface ExportBenchResult {
  objects: number;
  written: number;
  ms: number;
  seedMs: number;
  kinds: KindCalls[];
  /** Calls that were not GETs (none expected). */
  writes: number;
}

/** Which kind a list call belongs to. */
function kindOfCall(call: LoggedCall): ExportKind | "scopes" | undefined {
  if (/^\/(org\/v2|cmk\/v2|srcm\/v3)\//.test(call.path)) return "scopes";
  if (/^\/iam\/v2\/identity-providers\/[^/]+\/identity-pools$/.test(call.path)) return "IdentityPool";
  if (/^\/iam\/v2\/certificate-authorities\/[^/]+\/identity-pools$/.test(call.path)) return "CertificatePool";
  return KINDS.find((k) => k.path === call.path)?.kind;
}

/** Seeds the organization, exports it, and counts the calls. */
export async function runExportBench(opts: ExportBenchOptions = {}): Promise<ExportBenchResult> {
  const size = opts.objects ?? 2000;
  const emu = await BenchEmulator.start();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-export-"));
  try {
    const seedStart = performance.now();
    await seedExportOrg(async (m, p, b) => ({ status: 200, body: await emu.call(m, p, b) }), size);
    const seedMs = performance.now() - seedStart;
    const dump = await emu.dump();
    const count = (table: string): number => dump[table]?.length ?? 0;
    await emu.clearLog();
    const started = performance.now();
    const result = await exportOrganization({
      out: path.join(dir, "org"),
      credentials: { endpoint: emu.url, apiKey: emu.emu.apiKey, apiSecret: emu.emu.apiSecret },
    });
    const ms = performance.now() - started;
    const log = await emu.log();
    const envCount = log.filter((c) => c.path === "/cmk/v2/clusters").length;
    const scopesOf: Record<string, number> = {
      ProviderIntegration: envCount,
      // pim/v2 setups and authorizations are one list, read once per environment (counted as the setups').
      ProviderIntegrationSetup: envCount,
      ProviderIntegrationAuthorization: 0,
      IdentityPool: count("identity_providers"),
      CertificatePool: count("certificate_authorities"),
      RoleBinding: 1 + 3 * envCount,
    };
    const objectsOf: Record<string, number> = {
      ServiceAccount: count("service_accounts"),
      User: count("users"),
      IdentityProvider: count("identity_providers"),
      IdentityPool: count("identity_pools"),
      GroupMapping: count("group_mappings"),
      IpGroup: count("ip_groups"),
      IpFilter: count("ip_filters"),
      ApiKey: count("api_keys"),
      RoleBinding: count("role_bindings"),
      Invitation: count("invitations"),
      ProviderIntegration: count("integrations"),
      ByokKey: count("byok_keys"),
      CertificateAuthority: count("certificate_authorities"),
      CertificatePool: count("certificate_pools"),
      ProviderIntegrationSetup: count("integrations_v2"),
      ProviderIntegrationAuthorization: (
        (dump.integrations_v2 ?? []) as unknown as { customer_identity?: string }[]
      ).filter((i) => i.customer_identity !== undefined).length,
    };
    const kinds: KindCalls[] = KINDS.map((k) => {
      const scopes = scopesOf[k.kind] ?? 1;
      const objects = objectsOf[k.kind] ?? 0;
      return {
        kind: k.kind,
        objects,
        pageSize: k.pageSize,
        scopes,
        calls: log.filter((c) => kindOfCall(c) === k.kind).length,
        bound: Math.ceil(objects / k.pageSize) + scopes,
      };
    });
    // Scope discovery: organizations, environments, then clusters and registries per environment.
    kinds.push({
      kind: "scopes",
      objects: 1 + envCount + 2 * envCount,
      pageSize: 100,
      scopes: 2 + 2 * envCount,
      calls: log.filter((c) => kindOfCall(c) === "scopes").length,
      bound: 2 + 2 * envCount + Math.ceil(envCount / 100),
    });
    const written = Object.values(result.counts).reduce<number>((a, b) => a + (b ?? 0), 0);
    return {
      objects: Object.values(objectsOf).reduce((a, b) => a + b, 0),
      written,
      ms,
      seedMs,
      kinds,
      writes: log.filter((c) => c.method !== "GET").length,
    };
  } finally {
    await emu.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Rows of the printed table. */
export function exportRows(r: ExportBenchResult): Row[] {
  const rows: Row[] = r.kinds.map((k) => ({
    benchmark: "export",
    figure:
      k.kind === "scopes"
        ? `calls to find the scopes (organization, environments, Kafka clusters, Schema Registries)`
        : `list calls, ${k.kind} (${k.objects} objects, page ${k.pageSize}, ${k.scopes} scope${k.scopes === 1 ? "" : "s"})`,
    value: String(k.calls),
    target: `≤ ${k.bound} (⌈objects / page⌉ + 1 per scope)`,
    met: k.calls <= k.bound,
  }));
  const calls = r.kinds.reduce((a, k) => a + k.calls, 0);
  rows.push(
    {
      benchmark: "export",
      figure: `export of ${r.objects} objects: objects written, API calls, writes`,
      value: `${r.written} written, ${calls} calls, ${r.writes} writes`,
      target: "0 writes",
      met: r.writes === 0,
    },
    {
      benchmark: "export",
      figure: `export of ${r.objects} objects: time (seeding took ${seconds(r.seedMs)})`,
      value: seconds(r.ms),
      target: "",
    },
  );
  return rows;
}

if (require.main === module) {
  const quick = process.argv.includes("--quick");
  void runExportBench({ objects: quick ? 300 : 2000 }).then((r) => {
    for (const row of exportRows(r)) console.log(`${row.figure}: ${row.value} (${row.target})`);
  });
}
