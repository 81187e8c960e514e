import type { Ctx } from "../context";

/**
 * What goes with a deleted principal (service account, user, identity pool): the API keys it owns and
 * the role bindings naming it (`User:<id>`), as the API documents for owners of API keys.
 */
export function deleteOwnedBy(ctx: Ctx, principalId: string): void {
  const { api_keys, role_bindings } = ctx.env.db.tables;
  for (const key of [...api_keys.values()]) if (key.owner_id === principalId) api_keys.delete(key.id);
  const principal = `User:${principalId}`;
  for (const rb of [...role_bindings.values()]) if (rb.principal === principal) role_bindings.delete(rb.id);
}
