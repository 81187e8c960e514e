// examples/audit: the audit of the demo organization with an outside binding, an orphaned key and an
// unmanaged service account made by hand shows each of them (and exits 1: mandatory findings).
import { runDemoAudit } from "../../examples/audit/run";

jest.setTimeout(180_000);

it("examples/audit/run.ts shows the outside binding, the orphaned key and the unmanaged service account", async () => {
  let out = "";
  let err = "";
  const code = await runDemoAudit([], { out: (s) => (out += s), err: (s) => (err += s) });
  expect(code).toBe(1);
  const lines = out.split("\n");
  const has = (re: RegExp): void => expect(lines.filter((l) => re.test(l))).toHaveLength(1);
  // The outside binding: OrganizationAdmin to a service account made in the console.
  has(
    /^ {2}\[role-binding-no-org-admin\] RoleBinding rb-\d+ \(User:sa-\d+ OrganizationAdmin on organization\): /,
  );
  has(
    /^ {2}\[unmanaged-object\] RoleBinding rb-\d+ \(User:sa-\d+ OrganizationAdmin on organization\) is managed by none/,
  );
  has(/^ {2}\[admin-role-holder\] User:sa-\d+ \(console-admin\) holds OrganizationAdmin on organization/);
  // The orphaned key.
  has(/^ {2}\[api-key-orphaned\] API key EMU\d+ is owned by sa-\d+, which no longer exists/);
  // The unmanaged service account, which nothing uses either.
  has(/^ {2}\[unmanaged-object\] ServiceAccount sa-\d+ \(forgotten-sa\) is managed by none of the stacks/);
  has(
    /^ {2}\[service-account-idle\] Service account sa-\d+ \(forgotten-sa\) has neither API keys nor role bindings/,
  );
  // And the rest of what the example makes.
  has(/^ {2}\[api-key-too-old\] API key EMU\d+ was created 2020-01-15T08:00:00.000Z/);
  expect(lines.filter((l) => l.startsWith("  [identity-pool-matches-every-token]"))).toHaveLength(2);
  expect(lines.at(-2)).toBe("4 mandatory, 19 advisory; --fail-on mandatory: exit 1");
  expect(err).toMatch(/^confluent-iam: audit: read /m);
});
