/**
 * What `confluent-iam audit` reports: findings (from the policy pack and from the live organization), the
 * access map (who holds which role where), and the organization's counts. Every output (text, JSON, SARIF,
 * HTML) is rendered from this one value.
 */

/** How a finding gates CI: `mandatory` fails `--fail-on mandatory`, `advisory` only `--fail-on advisory`. */
export type Severity = "mandatory" | "advisory";

/** An object of the organization that a finding names. */
export interface ObjectRef {
  /** SDK class (`ServiceAccount`, `RoleBinding`, …). */
  kind: string;
  /** API id (`sa-…`, `rb-…`, `pool-…`, a key id). */
  id: string;
  /** Display name (or the binding's principal, role and scope), when it has one. */
  name?: string;
}

/** One thing that breaks a rule. */
export interface Finding {
  /** The policy's name, or the audit's own rule (`unmanaged-object`, `api-key-orphaned`, …). */
  rule: string;
  /** `policy`: a policy of the pack; `organization`: a finding only the live organization shows. */
  source: "policy" | "organization";
  severity: Severity;
  /** What is wrong and how to fix it. */
  message: string;
  /** The objects it names (none for a policy that judged the whole organization without naming one). */
  objects: ObjectRef[];
}

/** A rule the audit ran: a policy, or one of the audit's own. */
export interface RuleInfo {
  name: string;
  source: Finding["source"];
  description: string;
  /** Its level after configuration (`disabled` rules are listed but report nothing). */
  level: Severity | "disabled";
}

/** One role binding of the access map. */
export interface AccessRow {
  /** `User:sa-…`, `User:pool-…`, `Group:…`. */
  principal: string;
  /** The principal's display name (service account, user, identity pool, group mapping), when known. */
  principalName?: string;
  /** `ServiceAccount`, `User`, `IdentityPool`, `GroupMapping`, or `unknown` (no such principal was read). */
  principalKind: string;
  role: string;
  /** The CRN pattern below the organization (`environment=env-…/cloud-cluster=lkc-…`), `organization` for the organization itself. */
  scope: string;
  crnPattern: string;
  bindingId: string;
}

/** The whole report. */
export interface AuditReport {
  organizationId: string;
  /** When the audit ran (ISO). */
  generatedAt: string;
  /** The policy pack that ran: its name, version and folder. */
  policyPack: { name: string; version: string; dir: string };
  /** Objects per kind, and the scopes role bindings were read from. */
  counts: Record<string, number>;
  /** Environments read. */
  environments: { id: string; displayName: string }[];
  /** Kinds not read (--exclude), so the findings that need them were not judged. */
  excluded: string[];
  /** Objects no `--state` file manages, when state files were given; undefined otherwise. */
  unmanaged?: number;
  rules: RuleInfo[];
  findings: Finding[];
  access: AccessRow[];
  /** Objects read, by `<kind>/<id>`, for the outputs that link findings to objects. */
  objects: ObjectRef[];
  /** What the read cost. */
  read: { calls: number; waits: number; ms: number };
}

/** `--fail-on`. */
export type FailOn = "mandatory" | "advisory" | "never";

/** The exit code: 1 when a finding at or above `failOn` exists, else 0. */
export function exitCodeOf(report: Pick<AuditReport, "findings">, failOn: FailOn): number {
  if (failOn === "never") return 0;
  const failing = report.findings.some(
    (f) => f.severity === "mandatory" || (failOn === "advisory" && f.severity === "advisory"),
  );
  return failing ? 1 : 0;
}

/** Findings per rule, in rule order. */
export function countsPerRule(report: Pick<AuditReport, "rules" | "findings">): Map<string, number> {
  const out = new Map<string, number>(report.rules.map((r) => [r.name, 0]));
  for (const f of report.findings) out.set(f.rule, (out.get(f.rule) ?? 0) + 1);
  return out;
}
