/**
 * Export, small (the organization of tests/runner/export.test.ts, about 300 objects): each kind is listed in
 * the fewest calls, ⌈objects / page size⌉ per scope, and nothing is written.
 */
import { runExportBench } from "../../bench/export";

test("an export of about 300 objects lists each kind in the fewest calls and writes nothing", async () => {
  const r = await runExportBench({ objects: 300 });
  expect(r.writes).toBe(0);
  expect(r.kinds.map((k) => [k.kind, k.objects, k.scopes, k.calls])).toEqual([
    ["ServiceAccount", 60, 1, 1],
    ["User", 27, 1, 1],
    ["IdentityProvider", 6, 1, 1],
    ["IdentityPool", 12, 6, 6],
    ["GroupMapping", 6, 1, 1],
    ["IpGroup", 15, 1, 1],
    ["IpFilter", 9, 1, 1],
    ["ApiKey", 60, 1, 1],
    ["CertificateAuthority", 0, 1, 1],
    ["CertificatePool", 0, 0, 0],
    ["RoleBinding", 103, 10, 10],
    ["Invitation", 9, 1, 1],
    ["ProviderIntegration", 6, 3, 3],
    ["ProviderIntegrationSetup", 0, 3, 3],
    ["ProviderIntegrationAuthorization", 0, 0, 0],
    ["ByokKey", 6, 1, 1],
    ["scopes", 10, 8, 8],
  ]);
  expect(r.kinds.every((k) => k.calls <= k.bound)).toBe(true);
  expect(r.written).toBe(r.objects - 3);
}, 120_000);
