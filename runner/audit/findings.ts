/**
 * The findings only the live organization shows, as pure functions of what was read: objects no stack
 * manages, API keys whose owner is gone or that are too old, service accounts with neither keys nor role
 * bindings, principals holding admin roles, identity pools whose filter lets every token in and that are
 * bound to a role. Also the access map (principal → role → scope) the outputs draw.
 */
import type { ReadObject } from "../export/kinds";
import type { AccessRow, Finding, ObjectRef, RuleInfo, Severity } from "./report";

/** The audit's own rules, with their default levels. */
export const ORGANIZATION_RULES = [
  {
    name: "unmanaged-object",
    description: "Every object is managed by a stack (given with --state).",
    level: "advisory",
  },
  {
    name: "api-key-orphaned",
    description: "Every API key's owner (service account or user) still exists.",
    level: "mandatory",
  },
  {
    name: "api-key-too-old",
    description: "No API key is older than --max-key-age (default 90d); rotate older keys.",
    level: "advisory",
  },
  {
    name: "service-account-idle",
    description: "Every service account has an API key or a role binding; delete those with neither.",
    level: "advisory",
  },
  {
    name: "admin-role-holder",
    description:
      "Principals holding OrganizationAdmin, EnvironmentAdmin, CloudClusterAdmin or AccountAdmin, with the bindings that grant them.",
    level: "advisory",
  },
  {
    name: "identity-pool-matches-every-token",
    description: "No identity pool bound to a role has a filter that every token of its provider passes.",
    level: "mandatory",
  },
] as const satisfies readonly (Omit<RuleInfo, "source" | "level"> & { level: Severity })[];

export type OrganizationRule = (typeof ORGANIZATION_RULES)[number]["name"];

/** The roles the audit lists holders of. */
export const ADMIN_ROLES: readonly string[] = [
  "OrganizationAdmin",
  "EnvironmentAdmin",
  "CloudClusterAdmin",
  "AccountAdmin",
];

/** What the findings are computed from. */
export interface FindingInput {
  organizationId: string;
  objects: readonly ReadObject[];
  /** `metadata.created_at` by `<kind>/<id>`. */
  createdAt: ReadonlyMap<string, string>;
  /** `<kind>/<id>` of every object the given stacks manage; undefined when no state was given. */
  managed?: ReadonlySet<string>;
  /** Kinds read; a rule that needs a kind not read is not judged. */
  kinds: readonly string[];
  now: Date;
  maxKeyAgeMs: number;
  /** Level of each rule (after configuration). */
  levels: Readonly<Record<string, Severity | "disabled">>;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const idAt = (v: unknown): string | undefined => str((v as { id?: unknown } | undefined)?.id);

/** A display name for an object, from its inputs. */
export function nameOf(o: ReadObject): string | undefined {
  const i = o.inputs;
  if (o.kind === "RoleBinding")
    return `${String(i.principal)} ${String(i.roleName)} on ${scopeOf(String(i.crnPattern))}`;
  return (
    str(i.displayName) ?? str(i.fullName) ?? str(i.groupName) ?? str(i.filterName) ?? str(i.email) ?? o.label
  );
}

export function refOf(o: ReadObject): ObjectRef {
  const name = nameOf(o);
  return name === undefined ? { kind: o.kind, id: o.id } : { kind: o.kind, id: o.id, name };
}

/** A CRN pattern below the organization: `environment=env-1/cloud-cluster=lkc-1`, or `organization`. */
export function scopeOf(crn: string): string {
  let decoded = crn;
  try {
    decoded = decodeURIComponent(crn);
  } catch {
    // keep it as it is
  }
  const m = /^crn:\/\/confluent\.cloud\/organization=[^/]+(?:\/(.*))?$/.exec(decoded);
  if (!m) return decoded;
  return m[1] ?? "organization";
}

/** Parses `90d`, `12h`, `30m`, `2w` into ms; throws naming the flag and the accepted forms. */
export function parseAge(text: string): number {
  const m = /^(\d+)(m|h|d|w)$/.exec(text.trim());
  if (!m)
    throw new Error(
      `--max-key-age expects a number and a unit (m, h, d or w) such as 90d, got ${JSON.stringify(text)}`,
    );
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as "m" | "h" | "d" | "w"];
  return Number(m[1]) * unit;
}

/** `User:sa-1` → `sa-1`; undefined for a principal that does not name an object id. */
function principalId(principal: string): string | undefined {
  const at = principal.indexOf(":");
  return at > 0 ? principal.slice(at + 1) : undefined;
}

/**
 * Whether a CEL filter lets every token through: `true`, `has(claims.sub)` (every token has a subject), or
 * a `||` whose branch is empty or one of those. Parentheses around the whole filter or a branch are ignored.
 */
export function matchesEveryToken(filter: string): boolean {
  const unwrap = (s: string): string => {
    let t = s.trim();
    while (t.startsWith("(") && t.endsWith(")") && balanced(t.slice(1, -1))) t = t.slice(1, -1).trim();
    return t;
  };
  const branches = splitTopLevelOr(unwrap(filter));
  return branches.some((b) => {
    const t = unwrap(b);
    return t === "" || t === "true" || /^has\(\s*claims\.sub\s*\)$/.test(t);
  });
}

function balanced(s: string): boolean {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote !== undefined) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "(") depth++;
    else if (c === ")" && --depth < 0) return false;
  }
  return depth === 0;
}

/** Splits on `||` outside parentheses and string literals. */
function splitTopLevelOr(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote !== undefined) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && s[i + 1] === "|" && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 2;
      i++;
    }
  }
  out.push(s.slice(start));
  return out;
}

/** Principals by id: service accounts, users, identity pools, group mappings. */
function principalsOf(objects: readonly ReadObject[]): Map<string, ReadObject> {
  const out = new Map<string, ReadObject>();
  for (const o of objects)
    if (["ServiceAccount", "User", "IdentityPool", "GroupMapping"].includes(o.kind)) out.set(o.id, o);
  return out;
}

/** The access map: one row per role binding, sorted by principal, role, scope. */
export function accessMap(objects: readonly ReadObject[]): AccessRow[] {
  const principals = principalsOf(objects);
  const rows: AccessRow[] = [];
  for (const o of objects) {
    if (o.kind !== "RoleBinding") continue;
    const principal = String(o.inputs.principal);
    const p = principals.get(principalId(principal) ?? "");
    const name = p ? nameOf(p) : undefined;
    const crnPattern = String(o.inputs.crnPattern);
    rows.push({
      principal,
      ...(name !== undefined ? { principalName: name } : {}),
      principalKind: p?.kind ?? "unknown",
      role: String(o.inputs.roleName),
      scope: scopeOf(crnPattern),
      crnPattern,
      bindingId: o.id,
    });
  }
  const key = (r: AccessRow): string => `${r.principal}\u0000${r.role}\u0000${r.scope}\u0000${r.bindingId}`;
  return rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function days(ms: number): string {
  return `${Math.floor(ms / 86_400_000)} days`;
}

/** Every finding of the audit's own rules that is not disabled. */
export function organizationFindings(input: FindingInput): Finding[] {
  const out: Finding[] = [];
  const add = (rule: OrganizationRule, message: string, objects: ObjectRef[]): void => {
    const level = input.levels[rule];
    if (level === undefined || level === "disabled") return;
    out.push({ rule, source: "organization", severity: level, message, objects });
  };
  const read = new Set(input.kinds);
  const { objects } = input;
  const byKind = (kind: string): ReadObject[] => objects.filter((o) => o.kind === kind);
  const bindings = byKind("RoleBinding");
  const principals = principalsOf(objects);

  // Objects no stack manages. Accepted invitations and other objects export skips are not declarable.
  if (input.managed !== undefined) {
    for (const o of objects) {
      if (o.skip !== undefined || input.managed.has(`${o.kind}/${o.id}`)) continue;
      const name = nameOf(o);
      add(
        "unmanaged-object",
        `${o.kind} ${o.id}${name !== undefined ? ` (${name})` : ""} is managed by none of the stacks given ` +
          `with --state: it was made in the console, the CLI or another tool. Adopt it into a stack ` +
          `(confluent-iam export writes the program), or delete it.`,
        [refOf(o)],
      );
    }
  }

  // Keys whose owner is gone: only judged when both owner kinds were read.
  if (read.has("ApiKey") && read.has("ServiceAccount") && read.has("User")) {
    for (const key of byKind("ApiKey")) {
      const owner = idAt(key.inputs.owner);
      if (owner === undefined || principals.has(owner)) continue;
      add(
        "api-key-orphaned",
        `API key ${key.id} is owned by ${owner}, which no longer exists (no such service account or user). ` +
          `Nobody answers for the key: delete it, after moving whatever still uses it to a key of an existing owner.`,
        [refOf(key)],
      );
    }
  }

  for (const key of byKind("ApiKey")) {
    const at = input.createdAt.get(`ApiKey/${key.id}`);
    const t = at === undefined ? NaN : Date.parse(at);
    if (Number.isNaN(t)) continue;
    const age = input.now.getTime() - t;
    if (age <= input.maxKeyAgeMs) continue;
    add(
      "api-key-too-old",
      `API key ${key.id} was created ${at} (${days(age)} ago), more than --max-key-age ` +
        `(${days(input.maxKeyAgeMs)}). Rotate it (ApiKeyRotation does it on a schedule), then delete it.`,
      [refOf(key)],
    );
  }

  if (read.has("ApiKey") && read.has("RoleBinding")) {
    const owners = new Set(byKind("ApiKey").map((k) => idAt(k.inputs.owner)));
    const bound = new Set(bindings.map((b) => principalId(String(b.inputs.principal))));
    for (const sa of byKind("ServiceAccount")) {
      if (owners.has(sa.id) || bound.has(sa.id)) continue;
      add(
        "service-account-idle",
        `Service account ${sa.id}${nameOf(sa) !== undefined ? ` (${nameOf(sa) ?? ""})` : ""} has neither API ` +
          `keys nor role bindings: nothing uses it. Delete it, or record in its description why it is kept.`,
        [refOf(sa)],
      );
    }
  }

  // Admin roles, one finding per principal with every binding that grants one.
  const admins = new Map<string, ReadObject[]>();
  for (const b of bindings) {
    if (!ADMIN_ROLES.includes(String(b.inputs.roleName))) continue;
    const p = String(b.inputs.principal);
    admins.set(p, [...(admins.get(p) ?? []), b]);
  }
  for (const [principal, granting] of [...admins].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const p = principals.get(principalId(principal) ?? "");
    const name = p ? nameOf(p) : undefined;
    const list = granting
      .map((b) => `${String(b.inputs.roleName)} on ${scopeOf(String(b.inputs.crnPattern))} (${b.id})`)
      .join(", ");
    add(
      "admin-role-holder",
      `${principal}${name !== undefined ? ` (${name})` : ""} holds ${list}. Check that it still needs ` +
        `${granting.length === 1 ? "this role" : "these roles"}; grant narrower roles where it does not.`,
      [...(p ? [refOf(p)] : []), ...granting.map(refOf)],
    );
  }

  for (const pool of byKind("IdentityPool")) {
    const filter = str(pool.inputs.filter);
    if (filter === undefined || !matchesEveryToken(filter)) continue;
    const granting = bindings.filter((b) => principalId(String(b.inputs.principal)) === pool.id);
    if (granting.length === 0) continue;
    const roles = granting
      .map((b) => `${String(b.inputs.roleName)} on ${scopeOf(String(b.inputs.crnPattern))} (${b.id})`)
      .join(", ");
    add(
      "identity-pool-matches-every-token",
      `Identity pool ${pool.id}${nameOf(pool) !== undefined ? ` (${nameOf(pool) ?? ""})` : ""} has the filter ` +
        `${JSON.stringify(filter)}, which every token of its identity provider passes, and holds ${roles}: ` +
        `anyone the provider issues a token to gets these roles. Narrow the filter to the claims of the ` +
        `workloads meant to use the pool, e.g. claims.sub == "<client id>".`,
      [refOf(pool), ...granting.map(refOf)],
    );
  }
  return out;
}
