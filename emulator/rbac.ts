/**
 * Role-based access control: what each predefined role permits on each route the emulator serves, and at
 * which scope. The table is the emulator's own (it imports nothing from the policy pack or the provider), taken
 * from Confluent's public RBAC documentation; emulator/README.md "RBAC" cites the pages and names every place
 * where the documentation is silent and the stricter answer was chosen.
 *
 * Who asks: the admin (bootstrap) credentials act as OrganizationAdmin; a Cloud API key created through the
 * API acts as its owner (`User:<owner id>`, the principal role bindings name), with the owner's role bindings
 * as they stand at this request. A new binding counts once it is visible (`--read-lag`); a deleted one keeps
 * counting for `--read-lag` after its deletion.
 *
 * What each route needs is declared by its object (`access` in emulator/objects/<object>.ts, built with the
 * helpers at the end of this file); this file holds what is shared: the actions, the role table and the check.
 */
import type { Env } from "./context";
import { apiError, flatError, type ApiError } from "./errors";
import { roleBindingsTable } from "./objects/role-bindings";

/** A deleted binding that still counts until `until_ms` (`--read-lag`). */
export interface RevokedBinding {
  principal: string;
  role_name: string;
  crn_pattern: string;
  until_ms: number;
}

/** What a route asks permission for. */
export type Action =
  | "users:read"
  | "users:write"
  | "service-accounts:read"
  | "service-accounts:write"
  | "invitations:read"
  | "invitations:write"
  | "ip-filtering:read"
  | "ip-filtering:write"
  | "identity:read"
  | "identity:write"
  | "byok:read"
  | "byok:write"
  | "integrations:read"
  | "integrations:write"
  | "organization:read"
  | "environments:read"
  | "clusters:read"
  | "cloud-keys:manage"
  | "resource-keys:manage"
  | "role-bindings:read"
  | "role-bindings:write";

/** The scope levels a binding's CRN pattern can name, outermost first. */
export type Level = "organization" | "environment" | "cloud-cluster";

/** One permission of a role: an action, granted within the binding's scope or, with `anywhere`, org-wide. */
interface Grant {
  action: Action;
  /** Granted whatever the target's scope (reads a scoped admin needs to name principals). */
  anywhere?: boolean;
}

interface RoleEntry {
  /** Levels a binding of this role may name; a binding at another level grants nothing (stricter). */
  levels: Level[];
  grants: Grant[];
}

const ALL_ACTIONS: Action[] = [
  "users:read",
  "users:write",
  "service-accounts:read",
  "service-accounts:write",
  "invitations:read",
  "invitations:write",
  "ip-filtering:read",
  "ip-filtering:write",
  "identity:read",
  "identity:write",
  "byok:read",
  "byok:write",
  "integrations:read",
  "integrations:write",
  "organization:read",
  "environments:read",
  "clusters:read",
  "cloud-keys:manage",
  "resource-keys:manage",
  "role-bindings:read",
  "role-bindings:write",
];

const g = (...actions: Action[]): Grant[] => actions.map((action) => ({ action }));
const anywhere = (...actions: Action[]): Grant[] => actions.map((action) => ({ action, anywhere: true }));

/**
 * The table (emulator/README.md "RBAC" renders it). A role not listed here grants nothing on these routes,
 * as does a principal with no binding.
 */
const ROLE_TABLE: Readonly<Record<string, RoleEntry>> = {
  OrganizationAdmin: { levels: ["organization"], grants: g(...ALL_ACTIONS) },
  AccountAdmin: {
    levels: ["organization"],
    grants: g(
      "users:read",
      "users:write",
      "service-accounts:read",
      "service-accounts:write",
      "invitations:read",
      "invitations:write",
      "identity:read",
      "identity:write",
      "role-bindings:read",
      "role-bindings:write",
      "organization:read",
      "environments:read",
    ),
  },
  EnvironmentAdmin: {
    levels: ["environment"],
    grants: [
      ...g(
        "environments:read",
        "clusters:read",
        "integrations:read",
        "integrations:write",
        "resource-keys:manage",
        "role-bindings:read",
        "role-bindings:write",
      ),
      ...anywhere("users:read", "service-accounts:read"),
    ],
  },
  CloudClusterAdmin: {
    levels: ["cloud-cluster"],
    grants: [
      ...g(
        "environments:read",
        "clusters:read",
        "resource-keys:manage",
        "role-bindings:read",
        "role-bindings:write",
      ),
      ...anywhere("users:read", "service-accounts:read"),
    ],
  },
  ResourceKeyAdmin: { levels: ["organization"], grants: g("resource-keys:manage") },
  Operator: {
    levels: ["organization", "environment", "cloud-cluster"],
    grants: g("organization:read", "environments:read", "clusters:read"),
  },
};

/** Roles only an OrganizationAdmin may grant or revoke (stricter: the docs do not say AccountAdmin may). */
const ORG_ADMIN_ONLY_ROLES = new Set(["OrganizationAdmin"]);

/**
 * A scope: the CRN pattern's segments below the organization (`["environment=env-1", "cloud-cluster=lkc-1"]`),
 * or undefined for a pattern of another organization or one that is not a CRN.
 */
export function scopeOf(orgId: string, crnPattern: string): string[] | undefined {
  let text = crnPattern;
  try {
    text = decodeURIComponent(crnPattern);
  } catch {
    // keep as is
  }
  const m = /^crn:\/\/confluent\.cloud\/organization=([^/]+)((?:\/[^/]+)*)$/.exec(text);
  if (!m || m[1] !== orgId) return undefined;
  return (m[2] ?? "").split("/").filter(Boolean);
}

function levelOf(scope: string[]): Level | undefined {
  if (scope.length === 0) return "organization";
  if (scope.length === 1 && scope[0]?.startsWith("environment=")) return "environment";
  if (scope.length === 2 && scope[0]?.startsWith("environment=") && scope[1]?.startsWith("cloud-cluster="))
    return "cloud-cluster";
  return undefined;
}

function isPrefix(a: string[], b: string[]): boolean {
  return a.length <= b.length && a.every((s, i) => b[i] === s);
}

/** What a request asks: any one of the actions, on the target scope. */
export interface Requirement {
  anyOf: Action[];
  target: string[];
  /** Visible from below: a binding inside the target also covers it (reading the environment of one's cluster). */
  fromBelow?: boolean;
  /** A User may manage the API keys it owns itself ("any user can create API keys for their own account"). */
  keyOwner?: string;
  /** The role a role-binding write grants or revokes. */
  grantsRole?: string;
  /** Refusals on role-binding routes answer the MDS flat body. */
  flat?: boolean;
}

/** A binding that counts for authorization now. */
interface Held {
  role: string;
  scope: string[];
}

/** The principal's bindings as they stand now (visible ones, plus deleted ones still within `--read-lag`). */
export function heldBindings(env: Env, principal: string): Held[] {
  const now = env.now();
  const out: Held[] = [];
  const add = (role: string, pattern: string): void => {
    const scope = scopeOf(env.seed.organization_id, pattern);
    if (scope) out.push({ role, scope });
  };
  for (const rb of env.db.rows(roleBindingsTable).values()) {
    if (rb.principal === principal && rb.visible_at_ms <= now) add(rb.role_name, rb.crn_pattern);
  }
  for (const rb of env.revokedBindings) {
    if (rb.principal === principal && rb.until_ms > now) add(rb.role_name, rb.crn_pattern);
  }
  return out;
}

function grantsAction(held: Held, action: Action, target: string[], fromBelow: boolean): boolean {
  const entry = ROLE_TABLE[held.role];
  if (!entry) return false;
  const level = levelOf(held.scope);
  if (level === undefined || !entry.levels.includes(level)) return false;
  for (const grant of entry.grants) {
    if (grant.action !== action) continue;
    if (grant.anywhere) return true;
    if (isPrefix(held.scope, target) || (fromBelow && isPrefix(target, held.scope))) return true;
  }
  return false;
}

/** True when the bindings permit the requirement. */
export function permits(held: Held[], req: Requirement, principal: string): boolean {
  if (req.keyOwner !== undefined && req.keyOwner.startsWith("u-") && principal === `User:${req.keyOwner}`)
    return true;
  if (req.grantsRole !== undefined && ORG_ADMIN_ONLY_ROLES.has(req.grantsRole)) {
    return held.some((h) => h.role === "OrganizationAdmin" && levelOf(h.scope) === "organization");
  }
  return held.some((h) => req.anyOf.some((a) => grantsAction(h, a, req.target, req.fromBelow === true)));
}

/** True when the principal may read environment `id` (list answers are filtered with it). */
export function seesEnvironment(held: Held[], id: string): boolean {
  return held.some((h) => grantsAction(h, "environments:read", [`environment=${id}`], true));
}

/** The refusal: the recorded 403 bodies (standard `forbidden_access`, or the MDS flat 40301). */
export function forbidden(req: Requirement): ApiError {
  return req.flat
    ? flatError(403, 40301, "Either unauthorized to access role binding or role binding does not exist")
    : apiError(403, "forbidden_access", "Forbidden Access");
}

const READ = new Set(["GET", "HEAD"]);

/** An object family whose actions come in pairs: `<noun>:read` and `<noun>:write`. */
export type ReadWriteNoun = Extract<Action, `${string}:write`> extends `${infer N}:write` ? N : never;

/** Reads need `<noun>:read`, writes `<noun>:write`, at organization scope. */
export function orgWide(method: string, noun: ReadWriteNoun, flat = false): Requirement {
  return { anyOf: [`${noun}:${READ.has(method) ? "read" : "write"}`], target: [], flat };
}

/** The string at a path of a JSON body, or undefined. */
export function bodyField(body: unknown, ...path: string[]): string | undefined {
  let cur = body;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return typeof cur === "string" ? cur : undefined;
}

/** The scope of a seeded Kafka cluster or Schema Registry, or undefined. */
export function resourceScope(env: Env, id: string): string[] | undefined {
  const kafka = env.seed.kafka_clusters.find((c) => c.id === id);
  if (kafka) return [`environment=${kafka.environment}`, `cloud-cluster=${id}`];
  const sr = env.seed.schema_registries.find((c) => c.id === id);
  if (sr) return [`environment=${sr.environment}`, `schema-registry=${id}`];
  return undefined;
}
