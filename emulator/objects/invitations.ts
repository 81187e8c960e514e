import { z } from "zod";
import { crn, find, findVisible, metadata, newBase, nowIso, type Ctx } from "../context";
import type { BaseRecord } from "../db";
import { apiError, conflict, type ApiError } from "../errors";
import { paginate } from "../pagination";
import { orgWide } from "../rbac";
import type { Route } from "../router";
import { parseBody } from "../validate";
import { deleteOwnedBy } from "./cascade";
import { table, type EmulatorObject } from "./types";
import { userRef, usersTable } from "./users";

/** Invitation states the emulator produces (the spec lists more). */
export type InvitationStatus = "INVITE_STATUS_SENT" | "INVITE_STATUS_ACCEPTED";

/** A stored invitation. */
export interface InvitationRecord extends BaseRecord {
  email: string;
  auth_type: "AUTH_TYPE_LOCAL" | "AUTH_TYPE_SSO";
  status: InvitationStatus;
  expires_at: string;
  accepted_at: string | null;
  /** The pending user created with the invitation. */
  user_id: string;
  creator_id: string;
}

export const invitationsTable = table<InvitationRecord>("invitations");

const PATH = "/iam/v2/invitations";
const SEVEN_DAYS_MS = 7 * 24 * 3600 * 1000;

const createSchema = z.object({
  email: z.string().email("email must be a valid email address"),
  auth_type: z
    .enum(["AUTH_TYPE_LOCAL", "AUTH_TYPE_SSO"], {
      errorMap: () => ({ message: "auth_type must be AUTH_TYPE_LOCAL or AUTH_TYPE_SSO" }),
    })
    .optional(),
});

function missing(): ApiError {
  return apiError(404, "invitation_not_found", "Invitation Not Found");
}

function render(ctx: Ctx, inv: InvitationRecord): unknown {
  const body: Record<string, unknown> = {
    api_version: "iam/v2",
    kind: "Invitation",
    id: inv.id,
    metadata: metadata(ctx, `${PATH}/${inv.id}`, crn(ctx, `invitation=${inv.id}`), inv),
    email: inv.email,
    auth_type: inv.auth_type,
    status: inv.status,
    expires_at: inv.expires_at,
    user: userRef(ctx, inv.user_id),
    creator: userRef(ctx, inv.creator_id),
  };
  if (inv.accepted_at !== null) body.accepted_at = inv.accepted_at;
  return body;
}

/** Marks an invitation accepted (the control API stands in for the invitee clicking the link). */
function acceptInvitation(ctx: Ctx, id: string): unknown {
  const inv = find(ctx, invitationsTable, id);
  if (!inv) throw missing();
  const now = nowIso(ctx);
  inv.status = "INVITE_STATUS_ACCEPTED";
  inv.accepted_at = now;
  inv.updated_at = now;
  return render(ctx, inv);
}

const routes: Route[] = [
  {
    method: "GET",
    path: PATH,
    handler: (ctx) => {
      let items = [...ctx.env.db.rows(invitationsTable).values()];
      const email = ctx.query.get("email");
      const status = ctx.query.get("status");
      const user = ctx.query.get("user");
      const creator = ctx.query.get("creator");
      if (email) items = items.filter((i) => i.email === email);
      if (status) items = items.filter((i) => i.status === status);
      if (user) items = items.filter((i) => i.user_id === user);
      if (creator) items = items.filter((i) => i.creator_id === creator);
      return paginate(
        ctx,
        items,
        { defaultSize: 10, maxSize: 100 },
        { apiVersion: "iam/v2", kind: "InvitationList" },
        (i) => render(ctx, i),
      );
    },
  },
  {
    method: "POST",
    path: PATH,
    handler: (ctx) => {
      const input = parseBody(createSchema, ctx.body);
      const { db } = ctx.env;
      const email = input.email.toLowerCase();
      for (const inv of db.rows(invitationsTable).values()) {
        if (inv.email.toLowerCase() === email && inv.status === "INVITE_STATUS_SENT") {
          throw conflict(
            `An invitation for ${input.email} is already pending`,
            `${ctx.base}${PATH}/${inv.id}`,
          );
        }
      }
      for (const u of db.rows(usersTable).values()) {
        if (u.email.toLowerCase() === email) {
          throw conflict(`User with email ${input.email} already exists`, `${ctx.base}/iam/v2/users/${u.id}`);
        }
      }
      const authType = input.auth_type ?? "AUTH_TYPE_LOCAL";
      const userId = db.nextId("u-");
      const base = newBase(ctx, db.nextId("i-", 5));
      db.rows(usersTable).set(userId, {
        ...newBase(ctx, userId),
        email: input.email,
        full_name: "",
        auth_type: authType,
      });
      const inv: InvitationRecord = {
        ...base,
        email: input.email,
        auth_type: authType,
        status: "INVITE_STATUS_SENT",
        expires_at: new Date(ctx.env.now() + SEVEN_DAYS_MS).toISOString(),
        accepted_at: null,
        user_id: userId,
        // The caller is the emulator's admin credential; the seed's first user stands for its owner.
        creator_id: ctx.env.seed.users[0]?.id ?? userId,
      };
      db.rows(invitationsTable).set(inv.id, inv);
      return { status: 201, body: render(ctx, inv), headers: { Location: `${ctx.base}${PATH}/${inv.id}` } };
    },
  },
  {
    method: "GET",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const inv = findVisible(ctx, invitationsTable, ctx.params.id ?? "");
      if (!inv) throw missing();
      return { status: 200, body: render(ctx, inv) };
    },
  },
  {
    method: "DELETE",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const inv = find(ctx, invitationsTable, ctx.params.id ?? "");
      if (!inv) throw missing();
      if (inv.status === "INVITE_STATUS_ACCEPTED") {
        throw apiError(
          400,
          "invitation_accepted",
          `Invitation ${inv.id} has been accepted and cannot be deleted`,
        );
      }
      ctx.env.db.rows(invitationsTable).delete(inv.id);
      // Withdrawing an invitation removes the pending user it created.
      if (ctx.env.db.rows(usersTable).delete(inv.user_id)) deleteOwnedBy(ctx, inv.user_id);
      return { status: 204 };
    },
  },
];

/** Invitations: POST creates a pending user; no PATCH; an accepted invitation cannot be deleted. */
export const invitations: EmulatorObject = {
  name: "invitations",
  tables: [invitationsTable],
  routes,
  access: (r) => orgWide(r.method, "invitations"),
  controlRoutes: [
    {
      method: "POST",
      path: "/_emulator/invitations/:id/accept",
      handler: (ctx) => ({ status: 200, body: acceptInvitation(ctx, ctx.params.id ?? "") }),
    },
  ],
};
