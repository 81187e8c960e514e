import { z } from "zod";
import { crn, find, findVisible, metadata, newBase, type Ctx } from "../context";
import type { BaseRecord } from "../db";
import { conflict, flatError, invalidParam, type ApiError } from "../errors";
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
