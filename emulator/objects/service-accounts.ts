import { z } from "zod";
import { crn, metadata, type Ctx } from "../context";
import { crudRoutes } from "../crud";
import type { BaseRecord } from "../db";
import { orgWide } from "../rbac";
import { apiError, conflict, type ApiError } from "../errors";
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

const routes = crudRoutes({
  path: PATH,
  table: serviceAccountsTable,
  newId: (ctx) => ctx.env.db.nextId("sa-"),
  missing,
  render,
  list: {
    limits: { defaultSize: 10, maxSize: 100 },
    shape: { apiVersion: "iam/v2", kind: "ServiceAccountList" },
    // iam_v2.yaml: "Pass multiple times to see results matching any of the values" (explode: true). Each
    // value is one whole name, so a name with a comma is not split (the spec's curl example with
    // "tf_runner_sa,mySA" predates that wording; the parameter's own description decides).
    filter: (ctx, items) => {
      const names = ctx.query.getAll("display_name").filter((v) => v !== "");
      return names.length > 0 ? items.filter((sa) => names.includes(sa.display_name)) : items;
    },
  },
  create: {
    schema: createSchema,
    build: (_ctx, input, base): ServiceAccountRecord => ({
      ...base,
      display_name: input.display_name,
      description: input.description ?? "",
    }),
    // ?assigned_resource_owner= is checked before anything else, and granted once the account exists.
    check: (ctx) => void assignedResourceOwner(ctx),
    created: (ctx, sa) => grantResourceOwner(ctx, assignedResourceOwner(ctx), `service-account=${sa.id}`),
  },
  update: {
    method: "PATCH",
    schema: updateSchema,
    apply: (_ctx, sa, input) => {
      if (input.display_name !== undefined) sa.display_name = input.display_name;
      if (input.description !== undefined) sa.description = input.description;
    },
  },
  unique: (ctx, input, self) => {
    if (input.display_name !== undefined) checkUnique(ctx, input.display_name, self?.id);
  },
  delete: { cascade: (ctx, sa) => deleteOwnedBy(ctx, sa.id) },
});

/** Service accounts: unique display_name, PATCH of display_name and description, cascade on delete. */
export const serviceAccounts: EmulatorObject = {
  name: "service accounts",
  tables: [serviceAccountsTable],
  routes,
  access: (r) => orgWide(r.method, "service-accounts"),
};
