import type { Ctx } from "../context";
import { apiKeysTable } from "./api-keys";
import { roleBindingsTable } from "./role-bindings";

/**
 * What goes with a deleted principal (service account, user, identity pool): the API keys it owns and
 * the role bindings naming it (`User:<id>`), as the API documents for owners of API keys.
 */
export function deleteOwnedBy(ctx: Ctx, principalId: string): void {
  const apiKeys = ctx.env.db.rows(apiKeysTable);
  for (const key of [...apiKeys.values()]) if (key.owner_id === principalId) apiKeys.delete(key.id);
  const roleBindings = ctx.env.db.rows(roleBindingsTable);
  const principal = `User:${principalId}`;
  for (const rb of [...roleBindings.values()]) if (rb.principal === principal) roleBindings.delete(rb.id);
}
