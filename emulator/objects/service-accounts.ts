import { z } from "zod";
import { crn, find, findVisible, metadata, newBase, nowIso, type Ctx } from "../context";
import type { BaseRecord } from "../db";
import { orgWide } from "../rbac";
import { apiError, conflict, type ApiError } from "../errors";
import { paginate } from "../pagination";
import type { Route } from "../router";
import { parseBody } from "../validate";
import { deleteOwnedBy } from "./cascade";
import { assignedResourceOwner, grantResourceOwner } from "./resource-owner";
import { table, type EmulatorObject } from "./types";

/** A stored service account. */
export interface ServiceAccountRecord extends BaseRecord {
  display_name: string;
  description: string;
}

export const serviceAccountsTable = table<ServiceAccountRecord>("service_accounts");

const PATH = "/iam/v2/service-accounts";

const displayName = z
  .string()
  .min(1, "display_name must not be empty")
  .max(64, "display_name must be at most 64 characters");

const createSchema = z.object({ display_name: displayName, description: z.string().optional() });
const updateSchema = z.object({ display_name: displayName.optional(), description: z.string().optional() });

function missing(): ApiError {
  return apiError(404, "service_account_not_found", "Service Account Not Found");
}

function render(ctx: Ctx, sa: ServiceAccountRecord): unknown {
  return {
    api_version: "iam/v2",
    kind: "ServiceAccount",
    id: sa.id,
    metadata: metadata(ctx, `${PATH}/${sa.id}`, crn(ctx, `service-account=${sa.id}`), sa),
    display_name: sa.display_name,
    description: sa.description,
  };
}

/** display_name is unique in the organization: 409 with the existing one's Location. */
function checkUnique(ctx: Ctx, name: string, self?: string): void {
  for (const sa of ctx.env.db.rows(serviceAccountsTable).values()) {
    if (sa.display_name === name && sa.id !== self) {
      throw conflict(`Service name is already in use: ${name}`, `${ctx.base}${PATH}/${sa.id}`);
    }
  }
}

/** Service accounts: unique display_name, PATCH of display_name and description, cascade on delete. */
const routes: Route[] = [
  {
    method: "GET",
    path: PATH,
    handler: (ctx) => {
      // iam_v2.yaml: "Pass multiple times to see results matching any of the values" (explode: true). Each
      // value is one whole name, so a name with a comma is not split (the spec's curl example with
      // "tf_runner_sa,mySA" predates that wording; the parameter's own description decides).
      const given = ctx.query.getAll("display_name").filter((v) => v !== "");
      const names = given.length > 0 ? given : undefined;
      let items = [...ctx.env.db.rows(serviceAccountsTable).values()];
      if (names) items = items.filter((sa) => names.includes(sa.display_name));
      return paginate(
        ctx,
        items,
        { defaultSize: 10, maxSize: 100 },
        { apiVersion: "iam/v2", kind: "ServiceAccountList" },
        (sa) => render(ctx, sa),
      );
    },
  },
  {
    method: "POST",
    path: PATH,
    handler: (ctx) => {
      const input = parseBody(createSchema, ctx.body);
      const owner = assignedResourceOwner(ctx);
      checkUnique(ctx, input.display_name);
      const sa: ServiceAccountRecord = {
        ...newBase(ctx, ctx.env.db.nextId("sa-")),
        display_name: input.display_name,
        description: input.description ?? "",
      };
      ctx.env.db.rows(serviceAccountsTable).set(sa.id, sa);
      grantResourceOwner(ctx, owner, `service-account=${sa.id}`);
      return { status: 201, body: render(ctx, sa), headers: { Location: `${ctx.base}${PATH}/${sa.id}` } };
    },
  },
  {
    method: "GET",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const sa = findVisible(ctx, serviceAccountsTable, ctx.params.id ?? "");
      if (!sa) throw missing();
      return { status: 200, body: render(ctx, sa) };
    },
  },
  {
    method: "PATCH",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const sa = find(ctx, serviceAccountsTable, ctx.params.id ?? "");
      if (!sa) throw missing();
      const input = parseBody(updateSchema, ctx.body);
      if (input.display_name !== undefined) checkUnique(ctx, input.display_name, sa.id);
      if (input.display_name !== undefined) sa.display_name = input.display_name;
      if (input.description !== undefined) sa.description = input.description;
      sa.updated_at = nowIso(ctx);
      return { status: 200, body: render(ctx, sa) };
    },
  },
  {
    method: "DELETE",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const sa = find(ctx, serviceAccountsTable, ctx.params.id ?? "");
      if (!sa) throw missing();
      ctx.env.db.rows(serviceAccountsTable).delete(sa.id);
      deleteOwnedBy(ctx, sa.id);
      return { status: 204 };
    },
  },
];

/** Service accounts: unique display_name, PATCH of display_name and description, cascade on delete. */
export const serviceAccounts: EmulatorObject = {
  name: "service accounts",
  tables: [serviceAccountsTable],
  routes,
  access: (r) => orgWide(r.method, "service-accounts"),
};
