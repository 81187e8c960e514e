import { z } from "zod";
import { crn, find, findVisible, metadata, nowIso, type Ctx } from "../context";
import type { BaseRecord, Db } from "../db";
import { orgWide } from "../rbac";
import type { Seed } from "../seed";
import { apiError, type ApiError } from "../errors";
import { paginate } from "../pagination";
import type { Route } from "../router";
import { parseBody } from "../validate";
import { deleteOwnedBy } from "./cascade";
import { table, type EmulatorObject } from "./types";

/** A stored user: seeded, or created pending by an invitation. */
export interface UserRecord extends BaseRecord {
  email: string;
  full_name: string;
  auth_type: "AUTH_TYPE_LOCAL" | "AUTH_TYPE_SSO";
}

export const usersTable = table<UserRecord>("users");

const PATH = "/iam/v2/users";

const updateSchema = z.object({
  full_name: z.string().max(255, "full_name must be at most 255 characters").optional(),
});

function missing(): ApiError {
  return apiError(404, "user_not_found", "User Not Found");
}

/** The API's reference to a user (invitation `user` / `creator`, API-key owner). */
export function userRef(ctx: Ctx, id: string): Record<string, string> {
  return {
    api_version: "iam/v2",
    id,
    kind: "User",
    related: `${ctx.base}${PATH}/${id}`,
    resource_name: crn(ctx, `user=${id}`),
  };
}

function render(ctx: Ctx, u: UserRecord): unknown {
  return {
    api_version: "iam/v2",
    kind: "User",
    id: u.id,
    metadata: metadata(ctx, `${PATH}/${u.id}`, crn(ctx, `user=${u.id}`), u),
    email: u.email,
    full_name: u.full_name,
    auth_type: u.auth_type,
  };
}

const routes: Route[] = [
  {
    method: "GET",
    path: PATH,
    handler: (ctx) =>
      paginate(
        ctx,
        [...ctx.env.db.rows(usersTable).values()],
        { defaultSize: 10, maxSize: 100 },
        { apiVersion: "iam/v2", kind: "UserList" },
        (u) => render(ctx, u),
      ),
  },
  {
    method: "GET",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const u = findVisible(ctx, usersTable, ctx.params.id ?? "");
      if (!u) throw missing();
      return { status: 200, body: render(ctx, u) };
    },
  },
  {
    method: "PATCH",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const u = find(ctx, usersTable, ctx.params.id ?? "");
      if (!u) throw missing();
      const input = parseBody(updateSchema, ctx.body);
      if (input.full_name !== undefined) u.full_name = input.full_name;
      u.updated_at = nowIso(ctx);
      return { status: 200, body: render(ctx, u) };
    },
  },
  {
    method: "DELETE",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const u = find(ctx, usersTable, ctx.params.id ?? "");
      if (!u) throw missing();
      ctx.env.db.rows(usersTable).delete(u.id);
      deleteOwnedBy(ctx, u.id);
      return { status: 204 };
    },
  },
];

/** Puts the seed's users in the store (at start and on reset). */
function applySeed(db: Db, seed: Seed, now: number): void {
  const iso = new Date(now).toISOString();
  for (const u of seed.users) {
    db.rows(usersTable).set(u.id, { ...u, created_at: iso, updated_at: iso, visible_at_ms: 0 });
  }
}

/** Users: no POST (users are invited); PATCH full_name; DELETE removes their API keys and role bindings. */
export const users: EmulatorObject = {
  name: "users",
  tables: [usersTable],
  routes,
  access: (r) => orgWide(r.method, "users"),
  applySeed,
};
