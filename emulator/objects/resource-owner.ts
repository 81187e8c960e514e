/**
 * `?assigned_resource_owner=` on create (service accounts: iam_v2.yaml; identity pools:
 * identity-provider_v2.yaml): "the resource_id of the principal who will be assigned resource owner on the
 * created" object, a group mapping (group-…), user (u-…), service account (sa-…) or identity pool (pool-…).
 * Modelled as the role binding the API makes in the same call: `User:<principal>` ResourceOwner on the new
 * object's CRN, listed by GET /iam/v2/role-bindings like any other. The create needs no more permission than
 * creating the object (terraform-provider-confluent #1036: a RoleBinding would need AlterAccess).
 */
import { crn, newBase, type Ctx } from "../context";
import { invalidParam } from "../errors";
import { groupMappingsTable } from "./group-mappings";
import { identityPoolsTable } from "./identity-providers";
import { roleBindingsTable } from "./role-bindings";
import { serviceAccountsTable } from "./service-accounts";
import { usersTable } from "./users";

const PARAM = "assigned_resource_owner";
const PRINCIPAL = /^(u|sa|pool|group)-[A-Za-z0-9]+$/;

/**
 * The principal the create names, checked before anything is created: undefined when the parameter is not
 * given; 400 (a query-parameter failure) when it is not a principal id or names no existing principal.
 */
export function assignedResourceOwner(ctx: Ctx): string | undefined {
  const owner = ctx.query.get(PARAM);
  if (owner === null) return undefined;
  if (!PRINCIPAL.test(owner)) {
    throw invalidParam(
      PARAM,
      `${PARAM} must be the id of a user (u-…), service account (sa-…), identity pool (pool-…) or group mapping (group-…)`,
    );
  }
  const rows = {
    u: () => ctx.env.db.rows(usersTable),
    sa: () => ctx.env.db.rows(serviceAccountsTable),
    pool: () => ctx.env.db.rows(identityPoolsTable),
    group: () => ctx.env.db.rows(groupMappingsTable),
  }[owner.slice(0, owner.indexOf("-")) as "u" | "sa" | "pool" | "group"];
  if (!rows().has(owner)) throw invalidParam(PARAM, `Principal ${owner} does not exist`);
  return owner;
}

/** Binds `User:<owner>` ResourceOwner on the created object (`path`: the CRN below the organization). */
export function grantResourceOwner(ctx: Ctx, owner: string | undefined, path: string): void {
  if (owner === undefined) return;
  const rb = {
    ...newBase(ctx, ctx.env.db.nextId("rb-", 5)),
    principal: `User:${owner}`,
    role_name: "ResourceOwner",
    crn_pattern: crn(ctx, path),
  };
  ctx.env.db.rows(roleBindingsTable).set(rb.id, rb);
}
