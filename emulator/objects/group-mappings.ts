/**
 * SSO group mappings (sso_v2.yaml, `iam.v2.sso.GroupMapping`): a filter over the claims of an SSO login that
 * makes the matching users one principal (`principal`) for role bindings. POST needs display_name,
 * description and filter (the spec's create schema requires all three); PATCH changes any of them; the
 * filter is at most 300 characters. The spec lists 409 for POST; like service accounts, a display name is
 * taken as unique in the organization (an assumption: the spec does not say what conflicts). The spec's
 * `principal` example is a placeholder; the emulator answers the mapping's own id there.
 */
import { z } from "zod";
import { crn, find, findVisible, metadata, newBase, nowIso, type Ctx } from "../context";
import type { BaseRecord } from "../db";
import { apiError, conflict, type ApiError } from "../errors";
import { paginate } from "../pagination";
import { orgWide } from "../rbac";
import type { Route } from "../router";
import { parseBody } from "../validate";
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
const filter = z
  .string()
  .min(1, "filter must not be empty")
  .max(300, "filter must be at most 300 characters");

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

const routes: Route[] = [
  {
    method: "GET",
    path: PATH,
    handler: (ctx) =>
      paginate(
        ctx,
        [...ctx.env.db.rows(groupMappingsTable).values()],
        { defaultSize: 10, maxSize: 100 },
        { apiVersion: "iam.v2/sso", kind: "GroupMappingList" },
        (g) => render(ctx, g),
      ),
  },
  {
    method: "POST",
    path: PATH,
    handler: (ctx) => {
      const input = parseBody(createSchema, ctx.body);
      checkUnique(ctx, input.display_name);
      const g: GroupMappingRecord = {
        ...newBase(ctx, ctx.env.db.nextId("group-")),
        display_name: input.display_name,
        description: input.description,
        filter: input.filter,
      };
      ctx.env.db.rows(groupMappingsTable).set(g.id, g);
      return { status: 201, body: render(ctx, g), headers: { Location: `${ctx.base}${PATH}/${g.id}` } };
    },
  },
  {
    method: "GET",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const g = findVisible(ctx, groupMappingsTable, ctx.params.id ?? "");
      if (!g) throw missing();
      return { status: 200, body: render(ctx, g) };
    },
  },
  {
    method: "PATCH",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const g = find(ctx, groupMappingsTable, ctx.params.id ?? "");
      if (!g) throw missing();
      const input = parseBody(updateSchema, ctx.body);
      if (input.display_name !== undefined) checkUnique(ctx, input.display_name, g.id);
      if (input.display_name !== undefined) g.display_name = input.display_name;
      if (input.description !== undefined) g.description = input.description;
      if (input.filter !== undefined) g.filter = input.filter;
      g.updated_at = nowIso(ctx);
      return { status: 200, body: render(ctx, g) };
    },
  },
  {
    method: "DELETE",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const g = find(ctx, groupMappingsTable, ctx.params.id ?? "");
      if (!g) throw missing();
      ctx.env.db.rows(groupMappingsTable).delete(g.id);
      return { status: 204 };
    },
  },
];

/** SSO group mappings: unique display_name, PATCH of every field. */
export const groupMappings: EmulatorObject = {
  name: "group mappings",
  tables: [groupMappingsTable],
  routes,
  access: (r) => orgWide(r.method, "identity"),
};
