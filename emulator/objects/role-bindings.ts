import { z } from "zod";
import { crn, find, findVisible, metadata, newBase, type Ctx } from "../context";
import type { BaseRecord } from "../db";
import { conflict, flatError, invalidField, invalidParam, type ApiError } from "../errors";
import { paginate } from "../pagination";
import { bodyField, scopeOf } from "../rbac";
import type { Route } from "../router";
import { crnString, parseBody } from "../validate";
import { table, type Access, type EmulatorObject } from "./types";

/** A stored role binding. There is no update: every field is fixed at creation. */
export interface RoleBindingRecord extends BaseRecord {
  principal: string;
  role_name: string;
  crn_pattern: string;
}

export const roleBindingsTable = table<RoleBindingRecord>("role_bindings");

const PATH = "/iam/v2/role-bindings";

const createSchema = z.object({
  principal: z.string().regex(/(^User:.+$)|(^Group:.+$)/, "principal must match (^User:.+$)|(^Group:.+$)"),
  role_name: z.string().min(1, "role_name must not be empty"),
  crn_pattern: crnString,
});

/** The MDS backend answers a missing binding with 403 and its own flat body (recorded). */
function missing(): ApiError {
  return flatError(403, 40301, "Either unauthorized to access role binding or role binding does not exist");
}

/** CRN patterns are compared URL-decoded: `%2F` and `/` name the same pattern. */
function decoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** `s` URL-decoded until it no longer changes (at most 5 times): `%252e` → `%2e` → `.`. */
function decodedFully(s: string): string {
  let cur = s;
  for (let i = 0; i < 5; i++) {
    const next = decoded(cur);
    if (next === cur) break;
    cur = next;
  }
  return cur;
}

/**
 * Why the API refuses a CRN pattern the create schema let through, or undefined. The real API answers 400
 * for both; before, the emulator stored them (they granted nothing, since no scope matched):
 * - a dot segment: `environment=env-a/../environment=env-b`, also percent-encoded (`%2e%2e`, `%2E%2E`, encoded
 *   twice), or a segment whose value is `.` or `..`;
 * - a Kafka cluster or Schema Registry the seed places in another environment than the one the pattern
 *   names it under (`environment=env-a/cloud-cluster=<a cluster of env-b>`). One the seed does not know is
 *   left alone.
 */
function refusedPattern(env: Ctx["env"], pattern: string): string | undefined {
  const segments = decodedFully(pattern)
    .replace(/^crn:\/\//, "")
    .split("/");
  const dot = (v: string): boolean => v === "." || v === "..";
  if (segments.some((s) => dot(s) || dot(s.slice(s.indexOf("=") + 1)))) {
    return (
      'crn_pattern: must not contain a "." or ".." segment (nor one percent-encoded, such as %2e%2e); ' +
      "name each scope once, from the organization down"
    );
  }
  const scope = scopeOf(env.seed.organization_id, pattern) ?? [];
  for (let i = 1; i < scope.length; i++) {
    const parent = /^environment=(.+)$/.exec(scope[i - 1] ?? "")?.[1];
    const child = /^(cloud-cluster|schema-registry)=(.+)$/.exec(scope[i] ?? "");
    if (parent === undefined || !child) continue;
    const [, type, id] = child;
    const seeded = [...env.seed.kafka_clusters, ...env.seed.schema_registries].find((c) => c.id === id);
    if (seeded && seeded.environment !== parent) {
      return (
        `crn_pattern: ${type}=${id} is not in environment=${parent} (it is in ${seeded.environment}); put it ` +
        `under environment=${seeded.environment}`
      );
    }
  }
  return undefined;
}

function render(ctx: Ctx, rb: RoleBindingRecord): unknown {
  return {
    api_version: "iam/v2",
    kind: "RoleBinding",
    id: rb.id,
    metadata: metadata(ctx, `${PATH}/${rb.id}`, crn(ctx, `role-binding=${rb.id}`), rb),
    principal: rb.principal,
    role_name: rb.role_name,
    crn_pattern: rb.crn_pattern,
  };
}

const routes: Route[] = [
  {
    method: "GET",
    path: PATH,
    handler: (ctx) => {
      const pattern = ctx.query.get("crn_pattern");
      if (!pattern) throw invalidParam("crn_pattern", "crn_pattern is required");
      const principal = ctx.query.get("principal");
      const role = ctx.query.get("role_name");
      const wanted = decoded(pattern);
      // "Filter the results by a partial search of crn_pattern" (spec).
      let items = [...ctx.env.db.rows(roleBindingsTable).values()].filter((rb) =>
        decoded(rb.crn_pattern).includes(wanted),
      );
      if (principal) items = items.filter((rb) => rb.principal === principal);
      if (role) items = items.filter((rb) => rb.role_name === role);
      return paginate(
        ctx,
        items,
        { defaultSize: 100, maxSize: 1000 },
        { apiVersion: "iam/v2", kind: "RoleBindingList" },
        (rb) => render(ctx, rb),
      );
    },
  },
  {
    method: "POST",
    path: PATH,
    handler: (ctx) => {
      // mds_v2.yaml lists no 422 for role bindings: their validation failures stay 400.
      const input = parseBody(createSchema, ctx.body, "", 400);
      const refused = refusedPattern(ctx.env, input.crn_pattern);
      if (refused !== undefined) throw invalidField("/crn_pattern", refused, 400);
      const pattern = decoded(input.crn_pattern);
      for (const rb of ctx.env.db.rows(roleBindingsTable).values()) {
        if (
          rb.principal === input.principal &&
          rb.role_name === input.role_name &&
          decoded(rb.crn_pattern) === pattern
        ) {
          throw conflict(
            `Role binding already exists: ${rb.principal} ${rb.role_name} ${rb.crn_pattern}`,
            `${ctx.base}${PATH}/${rb.id}`,
          );
        }
      }
      const rb: RoleBindingRecord = { ...newBase(ctx, ctx.env.db.nextId("rb-", 5)), ...input };
      ctx.env.db.rows(roleBindingsTable).set(rb.id, rb);
      return { status: 201, body: render(ctx, rb), headers: { Location: `${ctx.base}${PATH}/${rb.id}` } };
    },
  },
  {
    method: "GET",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const rb = findVisible(ctx, roleBindingsTable, ctx.params.id ?? "");
      if (!rb) throw missing();
      return { status: 200, body: render(ctx, rb) };
    },
  },
  {
    method: "DELETE",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const rb = find(ctx, roleBindingsTable, ctx.params.id ?? "");
      if (!rb) throw missing();
      ctx.env.db.rows(roleBindingsTable).delete(rb.id);
      // Under --read-lag a revoked grant keeps working for that long, as a cached authorization would.
      const lag = ctx.env.settings.readLagMs;
      const now = ctx.env.now();
      const revoked = ctx.env.revokedBindings;
      for (let i = revoked.length - 1; i >= 0; i--)
        if ((revoked[i]?.until_ms ?? 0) <= now) revoked.splice(i, 1);
      if (lag > 0) revoked.push({ ...rb, until_ms: now + lag });
      return { status: 200, body: render(ctx, rb) };
    },
  },
];

/**
 * `role-bindings:read` / `:write` at the binding's CRN scope; granting or revoking OrganizationAdmin needs an
 * OrganizationAdmin. Refusals answer the MDS flat body.
 */
const access: Access = ({ env, read, params, query, body }) => {
  if (params.id !== undefined) {
    const rb = env.db.rows(roleBindingsTable).get(params.id);
    if (!rb) return undefined; // the handler answers the same 403
    const scope = scopeOf(env.seed.organization_id, rb.crn_pattern) ?? [];
    return {
      anyOf: [read ? "role-bindings:read" : "role-bindings:write"],
      target: scope,
      grantsRole: read ? undefined : rb.role_name,
      flat: true,
    };
  }
  const pattern = read ? query.get("crn_pattern") : bodyField(body, "crn_pattern");
  if (!pattern) return undefined; // the handler answers 400
  const scope = scopeOf(env.seed.organization_id, pattern) ?? [];
  return {
    anyOf: [read ? "role-bindings:read" : "role-bindings:write"],
    target: scope,
    grantsRole: read ? undefined : bodyField(body, "role_name"),
    flat: true,
  };
};

/** Role bindings: no PATCH; LIST requires crn_pattern; DELETE answers 200 with the deleted binding. */
export const roleBindings: EmulatorObject = {
  name: "role bindings",
  tables: [roleBindingsTable],
  routes,
  access: access,
};
