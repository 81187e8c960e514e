// `confluent-iam audit` against the emulator: the demo organization with each finding made by hand
// (examples/audit/organization.ts), every finding kind, every output (text, JSON, SARIF validated against the
// SARIF 2.1.0 schema, a self-contained HTML page), --state, --policy-pack and its config, --fail-on, progress
// on stderr, and the messages of what a user can get wrong.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  startDemoOrganization,
  OLD_KEY_CREATED_AT,
  type DemoOrganization,
} from "../../examples/audit/organization";
import { auditCommand, type AuditReport } from "../../runner/audit";
import { runPolicyPack, shippedPolicyPack } from "../../runner/audit/policies";
import { SARIF_ID, SARIF_SCHEMA_FILE, SchemaSet } from "./support/json-schema";

jest.setTimeout(300_000);

let org: DemoOrganization;
let tmp: string;
beforeAll(async () => {
  org = await startDemoOrganization();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "audit-test-"));
});
afterAll(async () => {
  await org.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Run {
  code: number;
  out: string;
  err: string;
}

async function audit(args: string[], now?: Date): Promise<Run> {
  let out = "";
  let err = "";
  const code = await auditCommand([...args, ...org.configArgs], {
    out: (s) => (out += s),
    err: (s) => (err += s),
    ...(now ? { now } : {}),
  });
  return { code, out, err };
}

/** `rule objectKind/objectId` of each finding, sorted. */
const findingKeys = (r: AuditReport, source?: string): string[] =>
  r.findings
    .filter((f) => source === undefined || f.source === source)
    .map((f) => `${f.rule} ${f.objects.map((o) => `${o.kind}/${o.id}`).join(",")}`)
    .sort();

describe("audit of the demo organization, with --state", () => {
  let run: Run;
  let report: AuditReport;
  const sarifFile = (): string => path.join(tmp, "audit.sarif");
  const htmlFile = (): string => path.join(tmp, "report", "audit.html");
  beforeAll(async () => {
    run = await audit(["--state", org.statePath, "--json", "--sarif", sarifFile(), "--html", htmlFile()]);
    report = JSON.parse(run.out) as AuditReport;
  });

  it("exits 1: mandatory findings fail the default --fail-on mandatory", () => {
    expect(run.code).toBe(1);
  });

  it("reports each finding only the live organization shows, naming the objects", () => {
    const i = org.ids;
    const unmanaged = report.findings
      .filter((f) => f.rule === "unmanaged-object")
      .map((f) => f.objects[0]?.id)
      .sort();
    // The stack manages the app's account, its two keys and its binding; everything else was made outside.
    expect(unmanaged).toEqual(
      [
        i.idleSa,
        i.adminSa,
        "u-demo01",
        "u-demo02",
        i.provider,
        i.openPool,
        i.subPool,
        i.orPool,
        i.orphanKey,
        i.adminBinding,
        i.openPoolBinding,
        i.orPoolBinding,
        i.userEnvAdminBinding,
        ...report.objects
          .filter((o) => o.kind === "ApiKey" && o.name === "console-admin-key")
          .map((o) => o.id),
      ].sort(),
    );
    expect(findingKeys(report, "organization").filter((k) => !k.startsWith("unmanaged-object"))).toEqual(
      [
        `admin-role-holder ServiceAccount/${i.adminSa},RoleBinding/${i.adminBinding}`,
        `admin-role-holder User/u-demo02,RoleBinding/${i.userEnvAdminBinding}`,
        `api-key-orphaned ApiKey/${i.orphanKey}`,
        `api-key-too-old ApiKey/${i.oldKey}`,
        `identity-pool-matches-every-token IdentityPool/${i.openPool},RoleBinding/${i.openPoolBinding}`,
        `identity-pool-matches-every-token IdentityPool/${i.orPool},RoleBinding/${i.orPoolBinding}`,
        `service-account-idle ServiceAccount/${i.idleSa}`,
      ].sort(),
    );
  });

  it("says why each finding is one and what to do, in exact words", () => {
    const msg = (rule: string, id: string): string | undefined =>
      report.findings.find((f) => f.rule === rule && f.objects[0]?.id === id)?.message;
    const i = org.ids;
    expect(msg("api-key-orphaned", i.orphanKey)).toBe(
      `API key ${i.orphanKey} is owned by ${i.leaverSa}, which no longer exists (no such service account or user). ` +
        "Nobody answers for the key: delete it, after moving whatever still uses it to a key of an existing owner.",
    );
    expect(msg("api-key-too-old", i.oldKey)).toMatch(
      new RegExp(
        `^API key ${i.oldKey} was created ${OLD_KEY_CREATED_AT.replace(/\./g, "\\.")} \\(\\d+ days ago\\), more than --max-key-age \\(90 days\\)\\. Rotate it`,
      ),
    );
    expect(msg("service-account-idle", i.idleSa)).toBe(
      `Service account ${i.idleSa} (forgotten-sa) has neither API keys nor role bindings: nothing uses it. ` +
        "Delete it, or record in its description why it is kept.",
    );
    expect(msg("admin-role-holder", i.adminSa)).toBe(
      `User:${i.adminSa} (console-admin) holds OrganizationAdmin on organization (${i.adminBinding}). Check that ` +
        "it still needs this role; grant narrower roles where it does not.",
    );
    expect(msg("identity-pool-matches-every-token", i.orPool)).toContain(
      `has the filter "claims.aud == \\"orders\\" || ", which every token of its identity provider passes, and holds ` +
        `MetricsViewer on organization (${i.orPoolBinding})`,
    );
    expect(msg("unmanaged-object", i.idleSa)).toBe(
      `ServiceAccount ${i.idleSa} (forgotten-sa) is managed by none of the stacks given with --state: it was made ` +
        "in the console, the CLI or another tool. Adopt it into a stack (confluent-iam export writes the program), or delete it.",
    );
  });

  it("a pool whose filter passes every token but that holds no role is not reported (has(claims.sub))", () => {
    expect(
      report.findings.some(
        (f) => f.rule === "identity-pool-matches-every-token" && f.objects[0]?.id === org.ids.subPool,
      ),
    ).toBe(false);
  });

  it("runs every policy of the pack against every object, managed or not", () => {
    expect(report.rules.filter((r) => r.source === "policy").map((r) => r.name)).toContain(
      "role-binding-no-org-admin",
    );
    expect(findingKeys(report, "policy")).toEqual(
      [
        `role-binding-no-org-admin RoleBinding/${org.ids.adminBinding}`,
        `role-binding-no-privileged-role RoleBinding/${org.ids.userEnvAdminBinding}`,
      ].sort(),
    );
    const orgAdmin = report.findings.find((f) => f.rule === "role-binding-no-org-admin");
    expect(orgAdmin?.severity).toBe("mandatory");
    // The pack's wire prefix (its description and a newline) is taken off.
    expect(orgAdmin?.message).toBe(
      `OrganizationAdmin gives "User:${org.ids.adminSa}" full control of the whole organization, and ` +
        `"User:${org.ids.adminSa}" is not in allowedPrincipals; grant a narrower role (EnvironmentAdmin, ` +
        "CloudClusterAdmin, ...) or, if this principal must administer the organization, add it to this policy's " +
        "allowedPrincipals config.",
    );
  });

  it("holds the access map and the organization's counts", () => {
    expect(report.access).toContainEqual({
      principal: `User:${org.ids.adminSa}`,
      principalName: "console-admin",
      principalKind: "ServiceAccount",
      role: "OrganizationAdmin",
      scope: "organization",
      crnPattern: "crn://confluent.cloud/organization=b0b0cafe-0000-4000-8000-000000000001",
      bindingId: org.ids.adminBinding,
    });
    expect(report.access).toHaveLength(5);
    expect(report.counts).toMatchObject({
      ServiceAccount: 3,
      User: 2,
      ApiKey: 4,
      RoleBinding: 5,
      IdentityPool: 3,
      IdentityProvider: 1,
      Environment: 2,
    });
  });

  it("writes SARIF 2.1.0 that the SARIF schema accepts, one result per finding", () => {
    const sarif = JSON.parse(fs.readFileSync(sarifFile(), "utf8")) as {
      version: string;
      runs: {
        results: { ruleId: string; level: string; locations: unknown[] }[];
        tool: { driver: { rules: { id: string }[] } };
      }[];
    };
    const schemas = new SchemaSet();
    schemas.add(JSON.parse(fs.readFileSync(SARIF_SCHEMA_FILE, "utf8")) as Record<string, unknown>);
    expect(schemas.validate(SARIF_ID, sarif)).toEqual([]);
    expect(sarif.version).toBe("2.1.0");
    const results = sarif.runs[0]?.results ?? [];
    expect(results).toHaveLength(report.findings.length);
    expect(results.filter((r) => r.level === "error")).toHaveLength(
      report.findings.filter((f) => f.severity === "mandatory").length,
    );
    expect(sarif.runs[0]?.tool.driver.rules.map((r) => r.id)).toEqual(report.rules.map((r) => r.name));
    // A result the schema would refuse is refused: the validator checks.
    expect(schemas.validate(SARIF_ID, { ...sarif, version: "2.0.0" })).toEqual([
      '$.version: expected one of ["2.1.0"]',
    ]);
  });

  it("writes one self-contained HTML page: no URL, no external resource, a CSP that forbids fetching", () => {
    const html = fs.readFileSync(htmlFile(), "utf8");
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/\ssrc=/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect([...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]).filter((h) => !h?.startsWith("#"))).toEqual(
      [],
    );
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    );
    // Every finding links to each object it names, and the object's row exists.
    for (const [i, f] of report.findings.entries()) {
      const item = new RegExp(`<li id="finding-${i}"[^]*?</li>`).exec(html)?.[0] ?? "";
      expect(item).not.toBe("");
      for (const o of f.objects) {
        const at = report.objects.findIndex((x) => x.kind === o.kind && x.id === o.id);
        expect(item).toContain(`href="#obj-${at}"`);
        expect(html).toContain(`<tr id="obj-${at}"`);
      }
    }
    expect((html.match(/<tr data-principal=/g) ?? []).length).toBe(report.access.length);
    expect((html.match(/<path class="edge"/g) ?? []).length).toBe(report.access.length);
  });

  it("shows progress on stderr (objects per kind, calls, rate-limit waits) and keeps stdout for the report", () => {
    expect(run.err).toMatch(
      /^confluent-iam: audit: read 3 ServiceAccount, 2 User, 1 IdentityProvider, 3 IdentityPool, 4 ApiKey, \d+ RoleBinding; \d+ calls, 0 rate-limit waits, [\d.]+ s$/m,
    );
    expect(run.out.startsWith("{")).toBe(true);
    expect(run.out).not.toContain("confluent-iam:");
  });
});

describe("text summary and --fail-on", () => {
  it("prints counts per rule, then the findings by severity; --fail-on never exits 0", async () => {
    const r = await audit(["--state", org.statePath, "--fail-on", "never"]);
    expect(r.code).toBe(0);
    const lines = r.out.split("\n");
    expect(lines[0]).toBe(
      "audit of organization b0b0cafe-0000-4000-8000-000000000001: 3 ServiceAccount, 2 User, 1 IdentityProvider, " +
        "3 IdentityPool, 4 ApiKey, 5 RoleBinding, 2 Environment, 6 Scope",
    );
    expect(lines).toContain("api-key-orphaned                   mandatory  organization  1");
    expect(lines).toContain("unmanaged-object                   advisory   organization  14");
    const mandatory = lines.indexOf("mandatory (4)");
    const advisory = lines.indexOf("advisory (19)");
    expect(mandatory).toBeGreaterThan(0);
    expect(advisory).toBeGreaterThan(mandatory);
    expect(lines.slice(mandatory + 1, advisory - 1).every((l) => l.startsWith("  ["))).toBe(true);
    expect(lines).toContain(
      `  [role-binding-no-org-admin] RoleBinding ${org.ids.adminBinding} (User:${org.ids.adminSa} OrganizationAdmin on organization): ` +
        `OrganizationAdmin gives "User:${org.ids.adminSa}" full control of the whole organization, and "User:${org.ids.adminSa}" ` +
        "is not in allowedPrincipals; grant a narrower role (EnvironmentAdmin, CloudClusterAdmin, ...) or, if this " +
        "principal must administer the organization, add it to this policy's allowedPrincipals config.",
    );
    expect(lines.at(-2)).toBe("4 mandatory, 19 advisory; --fail-on never: exit 0");
  });

  it("--policy-pack-config sets the pack's settings and the audit's own levels; --fail-on advisory then fails on advisories", async () => {
    const config = path.join(tmp, "policy-config.json");
    fs.writeFileSync(
      config,
      JSON.stringify({
        "role-binding-no-org-admin": { allowedPrincipals: [`User:${org.ids.adminSa}`] },
        "role-binding-no-privileged-role": "disabled",
        "api-key-orphaned": "advisory",
        "identity-pool-matches-every-token": "disabled",
        "api-key-too-old": "disabled",
      }),
    );
    const r = await audit([
      "--policy-pack-config",
      config,
      "--json",
      "--fail-on",
      "advisory",
      "--max-key-age",
      "30d",
    ]);
    const report = JSON.parse(r.out) as AuditReport;
    expect(r.code).toBe(1);
    expect(report.findings.filter((f) => f.severity === "mandatory")).toEqual([]);
    expect(findingKeys(report)).toEqual(
      [
        `admin-role-holder ServiceAccount/${org.ids.adminSa},RoleBinding/${org.ids.adminBinding}`,
        `admin-role-holder User/u-demo02,RoleBinding/${org.ids.userEnvAdminBinding}`,
        `api-key-orphaned ApiKey/${org.ids.orphanKey}`,
        `service-account-idle ServiceAccount/${org.ids.idleSa}`,
      ].sort(),
    );
    // Without --state, objects no stack manages are not judged, and the summary says so.
    expect(report.unmanaged).toBeUndefined();
    const text = await audit(["--policy-pack-config", config, "--fail-on", "mandatory"]);
    expect(text.code).toBe(0);
    expect(text.out).toContain(
      "objects no stack manages: not judged (give the stacks' state files with --state)",
    );
  });

  it("--max-key-age judges each key's age from created_at against the clock", async () => {
    const later = new Date(Date.now() + 40 * 86_400_000);
    const r = await audit(["--json", "--max-key-age", "30d", "--fail-on", "never"], later);
    const old = (JSON.parse(r.out) as AuditReport).findings.filter((f) => f.rule === "api-key-too-old");
    // Every key is 40 days old by then; the 2020 key too.
    expect(old.map((f) => f.objects[0]?.id).sort()).toHaveLength(4);
  });
});

describe("what is read", () => {
  it("--exclude leaves a kind unread and says which rules could not judge", async () => {
    const r = await audit(["--exclude", "User", "--json", "--fail-on", "never"]);
    const report = JSON.parse(r.out) as AuditReport;
    expect(report.excluded).toEqual(["User"]);
    // Without users, an owner cannot be told gone: no orphan is reported rather than a false one.
    expect(report.findings.filter((f) => f.rule === "api-key-orphaned")).toEqual([]);
    expect(report.counts.User).toBeUndefined();
  });

  it("--state takes a folder of state files", async () => {
    const folder = path.join(tmp, "states");
    fs.mkdirSync(folder);
    fs.copyFileSync(org.statePath, path.join(folder, "orders.json"));
    const r = await audit(["--state", folder, "--json", "--fail-on", "never"]);
    expect((JSON.parse(r.out) as AuditReport).unmanaged).toBe(14);
  });

  it("--policy-pack runs another pack against every object", async () => {
    const pack = path.join(tmp, "pack");
    fs.mkdirSync(pack);
    fs.writeFileSync(path.join(pack, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    fs.writeFileSync(path.join(pack, "package.json"), JSON.stringify({ name: "naming", version: "1.2.3" }));
    fs.writeFileSync(
      path.join(pack, "index.js"),
      `const { PolicyPack } = require(${JSON.stringify(require.resolve("@pulumi/policy"))});
new PolicyPack("naming", { policies: [{
  name: "service-account-named-app",
  description: "Service account names end in -app.",
  enforcementLevel: "advisory",
  validateResource: (args, report) => {
    if (args.type !== "pulumi-nodejs:dynamic/confluent:ServiceAccount") return;
    if (!String(args.props.displayName).endsWith("-app")) report("name " + args.props.displayName + " does not end in -app");
  },
}] });
`,
    );
    const r = await audit(["--policy-pack", pack, "--json", "--fail-on", "never"]);
    const report = JSON.parse(r.out) as AuditReport;
    expect(report.policyPack).toEqual({ name: "naming", version: "1.2.3", dir: pack });
    expect(findingKeys(report, "policy")).toEqual(
      [
        `service-account-named-app ServiceAccount/${org.ids.adminSa}`,
        `service-account-named-app ServiceAccount/${org.ids.idleSa}`,
      ].sort(),
    );
    expect(
      report.findings.find((f) => f.objects[0]?.id === org.ids.idleSa && f.source === "policy")?.message,
    ).toBe("name forgotten-sa does not end in -app");
  });
});

describe("what a user can get wrong", () => {
  const usage = async (args: string[]): Promise<string> => {
    const r = await audit(args);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    return r.err;
  };
  it.each([
    [
      ["--fail-on", "error"],
      'confluent-iam: audit: --fail-on expects mandatory, advisory or never, got "error"',
    ],
    [
      ["--max-key-age", "3 months"],
      'confluent-iam: audit: --max-key-age expects a number and a unit (m, h, d or w) such as 90d, got "3 months"',
    ],
    [
      ["--exclude", "Topic"],
      "confluent-iam: audit: --exclude Topic: unknown kind; expected one of ServiceAccount, User, IdentityProvider, IdentityPool, GroupMapping, IpGroup, IpFilter, ApiKey, CertificateAuthority, CertificatePool, RoleBinding, Invitation, ProviderIntegration, ProviderIntegrationSetup, ProviderIntegrationAuthorization, ByokKey",
    ],
    [
      ["--environment", "prod"],
      'confluent-iam: audit: --environment expects an environment id such as env-abc123, got "prod"',
    ],
    [
      ["--policy-pack", "/nonexistent/pack"],
      "confluent-iam: audit: --policy-pack /nonexistent/pack: no such folder",
    ],
    [
      ["--policy-pack-config", "/nonexistent/config.json"],
      "confluent-iam: audit: --policy-pack-config /nonexistent/config.json: no such file",
    ],
    [["--bogus"], "confluent-iam: audit: unknown option --bogus"],
  ])("%j is a usage error naming the fix", async (args, message) => {
    expect(await usage(args)).toBe(`${message}\nRun confluent-iam audit --help for usage.\n`);
  });

  it("a --policy-pack-config entry that is not a level or settings is refused before any call", async () => {
    const config = path.join(tmp, "bad-config.json");
    fs.writeFileSync(config, JSON.stringify({ "api-key-orphaned": "fatal" }));
    expect(await usage(["--policy-pack-config", config])).toBe(
      `confluent-iam: audit: --policy-pack-config ${config}: "api-key-orphaned" must be one of advisory, mandatory, ` +
        `disabled, remediate or an object of settings with an optional enforcementLevel, got "fatal"\n` +
        "Run confluent-iam audit --help for usage.\n",
    );
  });

  it("a missing --state file fails naming it, with exit 1", async () => {
    const r = await audit(["--state", "/nonexistent/dev.json"]);
    expect(r.code).toBe(1);
    expect(r.err).toBe("confluent-iam: audit: --state /nonexistent/dev.json: no such file or folder\n");
  });

  it("--environment of another organization's environment fails naming the ones there are", async () => {
    const r = await audit(["--environment", "env-nope01"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      "confluent-iam: audit: --environment env-nope01: no such environment in organization b0b0cafe-0000-4000-8000-000000000001 (it has env-demo01, env-prod01)\n",
    );
  });

  it("--help lists every option and finding", async () => {
    const r = await audit(["--help"]);
    expect(r.code).toBe(0);
    for (const word of [
      "--state",
      "--policy-pack",
      "--policy-pack-config",
      "--max-key-age",
      "--fail-on",
      "--json",
      "--sarif",
      "--html",
      "--environment",
      "--exclude",
      "api-key-orphaned",
      "identity-pool-matches-every-token",
    ])
      expect(r.out).toContain(word);
  });
});

describe("the pack over many objects", () => {
  it("runs the resource policies in batches of 500 through one AnalyzeStack each (batch-hook.ts), each violation on its object", async () => {
    const objects = Array.from({ length: 501 }, (_, i) => ({
      kind: "RoleBinding" as const,
      id: `rb-${i}`,
      importId: `rb-${i}`,
      inputs: {
        principal: `User:sa-${i}`,
        roleName: "OrganizationAdmin",
        crnPattern: "crn://confluent.cloud/organization=o-1",
      },
    }));
    const lines: string[] = [];
    const r = await runPolicyPack({
      packDir: shippedPolicyPack(),
      config: {},
      organizationId: "o-1",
      objects,
      progress: (l) => lines.push(l),
    });
    // Only the batch form reports batches; one Analyze call per object would not.
    expect(lines).toEqual(["audit: policy pack: 500 of 501 objects analyzed"]);
    const orgAdmin = r.findings.filter((f) => f.rule === "role-binding-no-org-admin");
    expect(orgAdmin.map((f) => f.objects[0]?.id).sort()).toEqual(objects.map((o) => o.id).sort());
    expect(orgAdmin[7]?.message).toMatch(
      /^OrganizationAdmin gives "User:sa-\d+" full control of the whole organization/,
    );
    expect(r.findings.some((f) => f.rule === "confluent-iam-audit-batch")).toBe(false);
  });
});
