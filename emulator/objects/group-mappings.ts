/**
 * SSO group mappings (sso_v2.yaml, `iam.v2.sso.GroupMapping`): a filter over the claims of an SSO login that
 * makes the matching users one principal (`principal`) for role bindings. POST needs display_name,
 * description and filter (the spec's create schema requires all three); PATCH changes any of them; a
 * filter longer than the organization's limit (`--filter-max-length`, default 300) is 400. The spec lists 409 for POST; like service accounts, a display name is
 * taken as unique in the organization (an assumption: the spec does not say what conflicts). The spec's
 * `principal` example is a placeholder; the emulator answers the mapping's own id there.
 */
import { z } from "zod";
import { crn, metadata, type Ctx } from "../context";
import { crudRoutes } from "../crud";
import type { BaseRecord } from "../db";
import { apiError, conflict, type ApiError } from "../errors";
import { orgWide } from "../rbac";
import { checkFilterLength } from "../validate";
import { table, type EmulatorObject } from "./types";

/** A stored group mapping. */
export interface GroupMappingRecord extends BaseRecord {
  display_name: string;
  description: string;
  filter: string;
}

export const groupMappingsTable = table<GroupMappingRecord>("group_mappings");

const PATH = "/iam/v2/sso/group-mappings";

const displayName = z.string().min(1, "display_name must not be empty");
// Its length limit is the organization's (checkFilterLength), not the schema's.
const filter = z.string().min(1, "filter must not be empty");

const createSchema = z.object({ display_name: displayName, description: z.string(), filter });
const updateSchema = z.object({
  display_name: displayName.optional(),
  description: z.string().optional(),
  filter: filter.optional(),
});

function missing(): ApiError {
  return apiError(404, "group_mapping_not_found", "Group Mapping Not Found");
}

function render(ctx: Ctx, g: GroupMappingRecord): unknown {
  return {
    api_version: "iam.v2/sso",
    kind: "GroupMapping",
    id: g.id,
    metadata: metadata(ctx, `${PATH}/${g.id}`, crn(ctx, `group-mapping=${g.id}`), g),
    display_name: g.display_name,
    description: g.description,
    filter: g.filter,
    principal: g.id,
    state: "ENABLED",
  };
}

/** display_name is unique in the organization: 409 with the existing one's Location. */
function checkUnique(ctx: Ctx, name: string, self?: string): void {
  for (const g of ctx.env.db.rows(groupMappingsTable).values()) {
    if (g.display_name === name && g.id !== self) {
      throw conflict(`Group mapping name is already in use: ${name}`, `${ctx.base}${PATH}/${g.id}`);
    }
  }
}

const routes = crudRoutes({
  path: PATH,
  table: groupMappingsTable,
  newId: (ctx) => ctx.env.db.nextId("group-"),
  missing,
  render,
  list: {
    limits: { defaultSize: 10, maxSize: 100 },
    shape: { apiVersion: "iam.v2/sso", kind: "GroupMappingList" },
  },
  create: {
    schema: createSchema,
    check: (ctx, input) => checkFilterLength(ctx, input.filter),
    build: (_ctx, input, base): GroupMappingRecord => ({
      ...base,
      display_name: input.display_name,
      description: input.description,
      filter: input.filter,
    }),
  },
  update: {
    method: "PATCH",
    schema: updateSchema,
    check: (ctx, _row, input) => checkFilterLength(ctx, input.filter),
    apply: (_ctx, g, input) => {
      if (input.display_name !== undefined) g.display_name = input.display_name;
      if (input.description !== undefined) g.description = input.description;
      if (input.filter !== undefined) g.filter = input.filter;
    },
  },
  unique: (ctx, input, self) => {
    if (input.display_name !== undefined) checkUnique(ctx, input.display_name, self?.id);
  },
});

/** SSO group mappings: unique display_name, PATCH of every field. */
export const groupMappings: EmulatorObject = {
  name: "group mappings",
  tables: [groupMappingsTable],
  routes,
  access: (r) => orgWide(r.method, "identity"),
};
