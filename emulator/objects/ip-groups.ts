import { isIPv4, isIPv6 } from "node:net";
import { z } from "zod";
import { crn, metadata, type Ctx } from "../context";
import { crudRoutes } from "../crud";
import type { BaseRecord } from "../db";
import { apiError, conflict, type ApiError } from "../errors";
import { orgWide } from "../rbac";
import { table, type EmulatorObject } from "./types";
import { ipFiltersTable } from "./ip-filters";

/** A stored IP group. */
export interface IpGroupRecord extends BaseRecord {
  group_name: string;
  cidr_blocks: string[];
}

export const ipGroupsTable = table<IpGroupRecord>("ip_groups");

const PATH = "/iam/v2/ip-groups";

function isCidr(s: string): boolean {
  const slash = s.indexOf("/");
  if (slash < 0) return false;
  const ip = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return false;
  const n = Number(bits);
  if (isIPv4(ip)) return n <= 32;
  if (isIPv6(ip)) return n <= 128;
  return false;
}

/**
 * Seed 000: "Can contain any unicode letter or number, the ASCII space character, or any of the following
 * special characters" (the list, lost from the seed's text, is `[ ] | & + - _ / . ,`, as the console shows).
 */
const GROUP_NAME = /^[\p{L}\p{N} [\]|&+\-_/.,]*$/u;
const groupName = z
  .string()
  .min(1, "group_name must not be empty")
  .max(64, "group_name must be at most 64 characters")
  .regex(
    GROUP_NAME,
    "group_name may contain only letters, digits, spaces and the characters [ ] | & + - _ / . ,",
  );
/** iam-ip-filtering_v2.yaml: `cidr_blocks` has `minItems: 1`, `maxItems: 25`. */
const cidrBlocks = z
  .array(z.string().refine(isCidr, "must be a CIDR block such as 192.168.0.0/24"))
  .min(1, "cidr_blocks must contain at least 1 CIDR block")
  .max(25, "cidr_blocks must contain at most 25 CIDR blocks");
const createSchema = z.object({ group_name: groupName, cidr_blocks: cidrBlocks });
const updateSchema = z.object({ group_name: groupName.optional(), cidr_blocks: cidrBlocks.optional() });

function missing(): ApiError {
  return apiError(404, "not_found", "IP group not found: not found");
}

/** The reference an IP filter answers for one of its groups. */
export function ipGroupRef(ctx: Ctx, id: string): Record<string, string> {
  return { id, related: `${ctx.base}${PATH}/${id}`, resource_name: crn(ctx, `ip-group=${id}`) };
}

function render(ctx: Ctx, g: IpGroupRecord): unknown {
  return {
    api_version: "iam/v2",
    kind: "IpGroup",
    id: g.id,
    metadata: metadata(ctx, `${PATH}/${g.id}`, crn(ctx, `ip-group=${g.id}`), g),
    group_name: g.group_name,
    cidr_blocks: g.cidr_blocks,
  };
}

const routes = crudRoutes({
  path: PATH,
  table: ipGroupsTable,
  newId: (ctx) => ctx.env.db.nextId("ipg-", 5),
  missing,
  render,
  list: { limits: { defaultSize: 25, maxSize: 100 }, shape: { apiVersion: "iam/v2", kind: "IpGroupList" } },
  create: { schema: createSchema, build: (_ctx, input, base): IpGroupRecord => ({ ...base, ...input }) },
  update: {
    method: "PATCH",
    schema: updateSchema,
    apply: (_ctx, g, input) => {
      if (input.group_name !== undefined) g.group_name = input.group_name;
      if (input.cidr_blocks !== undefined) g.cidr_blocks = input.cidr_blocks;
    },
  },
  delete: {
    refuse: (ctx, g) => {
      for (const f of ctx.env.db.rows(ipFiltersTable).values()) {
        if (f.ip_group_ids.includes(g.id)) {
          throw conflict(
            `IP group ${g.id} is used by IP filter ${f.id}`,
            `${ctx.base}/iam/v2/ip-filters/${f.id}`,
          );
        }
      }
    },
  },
});

/** IP groups: at least one CIDR; PATCH replaces cidr_blocks whole; a group an IP filter uses cannot go. */
export const ipGroups: EmulatorObject = {
  name: "IP groups",
  tables: [ipGroupsTable],
  routes,
  access: (r) => orgWide(r.method, "ip-filtering"),
};
