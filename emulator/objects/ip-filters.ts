import { z } from "zod";
import { crn, find, metadata, type Ctx } from "../context";
import { crudRoutes } from "../crud";
import type { BaseRecord } from "../db";
import { apiError, invalidField, type ApiError } from "../errors";
import { orgWide } from "../rbac";
import { crnString } from "../validate";
import { ipGroupRef, ipGroupsTable } from "./ip-groups";
import { table, type EmulatorObject } from "./types";

/** A stored IP filter. */
export interface IpFilterRecord extends BaseRecord {
  filter_name: string;
  resource_group: "management" | "multiple";
  resource_scope: string;
  operation_groups: string[];
  ip_group_ids: string[];
}

export const ipFiltersTable = table<IpFilterRecord>("ip_filters");

const PATH = "/iam/v2/ip-filters";

// Spec: "any unicode letter or number, the ASCII space character, or any of [ ] | & + - _ / . ,"
const filterName = z
  .string()
  .min(1, "filter_name must not be empty")
  .max(64, "filter_name must be at most 64 characters")
  .regex(
    /^[\p{L}\p{N} [\]|&+\-_/.,]+$/u,
    "filter_name may contain letters, numbers, spaces and [ ] | & + - _ / . ,",
  );
const resourceGroup = z.enum(["management", "multiple"], {
  errorMap: () => ({ message: 'resource_group must be "management" or "multiple"' }),
});
const ipGroups = z
  .array(z.object({ id: z.string().min(1, "must not be empty") }))
  .min(1, "ip_groups must contain at least 1 IP group")
  .max(25, "ip_groups must contain at most 25 IP groups");
const operationGroups = z.array(
  z.string().regex(/^[A-Z][A-Z_]*$/, "operation groups are upper-case names such as MANAGEMENT"),
);

const createSchema = z.object({
  filter_name: filterName,
  resource_group: resourceGroup,
  resource_scope: crnString.optional(),
  operation_groups: operationGroups.optional(),
  ip_groups: ipGroups,
});
const updateSchema = z.object({
  filter_name: filterName.optional(),
  resource_group: resourceGroup.optional(),
  resource_scope: crnString.optional(),
  operation_groups: operationGroups.optional(),
  ip_groups: ipGroups.optional(),
});

function missing(): ApiError {
  return apiError(404, "not_found", "IP filter not found: not found");
}

function render(ctx: Ctx, f: IpFilterRecord): unknown {
  return {
    api_version: "iam/v2",
    kind: "IpFilter",
    id: f.id,
    metadata: metadata(ctx, `${PATH}/${f.id}`, crn(ctx, `ip-filter=${f.id}`), f),
    filter_name: f.filter_name,
    resource_group: f.resource_group,
    resource_scope: f.resource_scope,
    operation_groups: f.operation_groups,
    ip_groups: f.ip_group_ids.map((id) => ipGroupRef(ctx, id)),
  };
}

function checkGroups(ctx: Ctx, ids: string[]): void {
  ids.forEach((id, i) => {
    if (!find(ctx, ipGroupsTable, id))
      throw invalidField(`/ip_groups/${i}/id`, `IP group ${id} does not exist`);
  });
}

/** operation_groups need resource_group "multiple" (spec). */
function checkOperationGroups(group: string, ops: string[]): void {
  if (group !== "multiple" && ops.length > 0) {
    throw invalidField(
      "/operation_groups",
      'operation_groups can only be set when resource_group is "multiple"',
    );
  }
}

const routes = crudRoutes({
  path: PATH,
  table: ipFiltersTable,
  newId: (ctx) => ctx.env.db.nextId("ipf-", 5),
  missing,
  render,
  list: {
    limits: { defaultSize: 25, maxSize: 100 },
    shape: { apiVersion: "iam/v2", kind: "IpFilterList" },
    filter: (ctx, items) => {
      const scope = ctx.query.get("resource_scope");
      if (!scope) return items;
      const withParents = ctx.query.get("include_parent_scopes") === "true";
      const org = crn(ctx, "");
      return items.filter((f) => f.resource_scope === scope || (withParents && f.resource_scope === org));
    },
  },
  create: {
    schema: createSchema,
    check: (ctx, input) => {
      checkOperationGroups(input.resource_group, input.operation_groups ?? []);
      checkGroups(
        ctx,
        input.ip_groups.map((g) => g.id),
      );
    },
    build: (ctx, input, base): IpFilterRecord => ({
      ...base,
      filter_name: input.filter_name,
      resource_group: input.resource_group,
      // Without a scope the filter applies to the whole organization.
      resource_scope: input.resource_scope ?? crn(ctx, ""),
      operation_groups: input.operation_groups ?? [],
      ip_group_ids: input.ip_groups.map((g) => g.id),
    }),
  },
  update: {
    method: "PATCH",
    schema: updateSchema,
    check: (ctx, f, input) => {
      const group = input.resource_group ?? f.resource_group;
      if (input.operation_groups !== undefined) checkOperationGroups(group, input.operation_groups);
      if (input.ip_groups)
        checkGroups(
          ctx,
          input.ip_groups.map((g) => g.id),
        );
    },
    apply: (_ctx, f, input) => {
      const group = input.resource_group ?? f.resource_group;
      if (input.filter_name !== undefined) f.filter_name = input.filter_name;
      if (input.resource_group !== undefined) f.resource_group = input.resource_group;
      if (input.resource_scope !== undefined) f.resource_scope = input.resource_scope;
      // Operation groups and IP groups are replaced whole, not merged (spec).
      if (input.operation_groups !== undefined) f.operation_groups = input.operation_groups;
      else if (group === "management") f.operation_groups = [];
      if (input.ip_groups) f.ip_group_ids = input.ip_groups.map((g) => g.id);
    },
  },
});

/** IP filters: referenced IP groups must exist; resource_group management | multiple. */
export const ipFilters: EmulatorObject = {
  name: "IP filters",
  tables: [ipFiltersTable],
  routes,
  access: (r) => orgWide(r.method, "ip-filtering"),
};
