// The audit's read on a small organization (the benchmark's shape, bench/audit.ts): the exact list calls of
// each kind, ⌈objects / page size⌉ per scope, the scope discovery, no write, and the progress it reports.
// Counts only; the benchmark measures the time (`npm run bench -- --only audit`).
import { AUDIT_ORG, seedAuditOrg } from "../../bench/audit";
import { BenchEmulator } from "../../bench/support";
import { kindOfPath, readLiveOrganization } from "../../runner/audit/read";
import { EXPORT_KINDS } from "../../runner/export/kinds";

jest.setTimeout(300_000);

let emu: BenchEmulator;
beforeAll(async () => {
  emu = await BenchEmulator.start();
  await seedAuditOrg(emu, { serviceAccounts: 150, apiKeys: 150, roleBindings: 1100, environments: 2 });
});
afterAll(async () => {
  await emu.close();
});

it("reads 150 service accounts, 150 keys and 1,100 role bindings over 2 environments in ⌈n / page⌉ list calls per kind and scope", async () => {
  await emu.clearLog();
  const lines: string[] = [];
  const org = await readLiveOrganization({
    credentials: { endpoint: emu.url, apiKey: emu.emu.apiKey, apiSecret: emu.emu.apiSecret },
    kinds: EXPORT_KINDS,
    environments: [],
    progress: (l) => lines.push(l),
    progressEveryMs: 0,
  });
  const log = await emu.log();
  expect(log.filter((c) => c.method !== "GET")).toEqual([]);
  const calls: Record<string, number> = {};
  for (const c of log) calls[kindOfPath(c.path)] = (calls[kindOfPath(c.path)] ?? 0) + 1;
  expect(calls).toEqual({
    ServiceAccount: 2, // ⌈150 / 100⌉
    ApiKey: 2, // ⌈150 / 100⌉
    User: 1,
    IdentityProvider: 1,
    GroupMapping: 1,
    IpGroup: 1,
    IpFilter: 1,
    Invitation: 1,
    ByokKey: 1,
    ProviderIntegration: 2, // one per environment
    ProviderIntegrationSetup: 2, // pim/v2, one per environment
    CertificateAuthority: 1,
    // The organization's scope lists every binding (crn_pattern is a partial match): ⌈1100 / 1000⌉ = 2;
    // each environment (550) and each cluster (275) fits in one page.
    RoleBinding: 6,
    scopes: 6, // organizations, environments, then clusters and registries of each environment
  });
  const rb = log.filter((c) => c.path === "/iam/v2/role-bindings").map((c) => c.query.crn_pattern);
  const orgCrn = `crn://confluent.cloud/organization=${AUDIT_ORG}`;
  expect(rb).toEqual([
    orgCrn,
    orgCrn,
    `${orgCrn}/environment=env-a001`,
    `${orgCrn}/environment=env-a001/cloud-cluster=lkc-a1`,
    `${orgCrn}/environment=env-a002`,
    `${orgCrn}/environment=env-a002/cloud-cluster=lkc-a2`,
  ]);
  expect(org.objects.filter((o) => o.kind === "RoleBinding")).toHaveLength(1100);
  expect(org.stats.calls).toBe(log.length);
  expect(org.stats.waits).toBe(0);
  expect(org.createdAt.size).toBeGreaterThanOrEqual(150 + 150 + 1100);
  expect(lines.at(-1)).toMatch(
    new RegExp(
      `^audit: read 150 ServiceAccount, 1 User, 150 ApiKey, \\d+ RoleBinding; ${log.length} calls, 0 rate-limit waits, [\\d.]+ s$`,
    ),
  );
});

it("under a tight limit (4/s), the read waits instead of walking into 429s, and counts and shows each wait", async () => {
  await emu.setFaults({ rate_limit: 4 });
  try {
    await emu.clearLog();
    const lines: string[] = [];
    const org = await readLiveOrganization({
      credentials: { endpoint: emu.url, apiKey: emu.emu.apiKey, apiSecret: emu.emu.apiSecret },
      kinds: ["ServiceAccount", "ApiKey", "RoleBinding"],
      environments: [],
      progress: (l) => lines.push(l),
      progressEveryMs: 0,
    });
    const log = await emu.log();
    // 2 + 2 + 6 list calls and the 6 scope calls, each served once.
    expect(log.filter((c) => c.status !== 429)).toHaveLength(16);
    const waits = lines.filter((l) => / waiting in \d+ ms/.test(l));
    expect(waits.length).toBeGreaterThan(0);
    expect(org.stats.waits).toBe(waits.length);
    expect(lines.at(-1)).toContain(`${org.stats.waits} rate-limit wait`);
    // A 429 is only ever followed by a wait of the whole origin, never by a request sent on at once.
    log.forEach((c, i) => {
      const next = log[i + 1];
      if (c.status === 429 && next)
        expect(Date.parse(next.time)).toBeGreaterThanOrEqual(Date.parse(c.time) + 200);
    });
  } finally {
    await emu.setFaults({ rate_limit: 0 });
  }
});
