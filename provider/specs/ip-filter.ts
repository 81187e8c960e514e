/**
 * IpFilter: iam/v2 ip-filters. resourceGroup is `management` or `multiple`; ipGroups (IP group ids) and
 * operationGroups are sets. Everything updates in place: the 2025 spec (iam-ip-filtering_v2.yaml) lets a
 * PATCH carry resource_scope too. When operationGroups or resourceScope are left out the server fills them
 * in, and they are then not compared. The name follows the same rule as an IP group's.
 */
import { z } from "zod";
import { defineSpec } from "../fields";
import {
  asSet,
  decodeCrn,
  findInList,
  idInput,
  IP_FILTERING_NAME,
  metadataSchema,
  nameInput,
  refSchema,
} from "./common";

const PATH = "/iam/v2/ip-filters";

export const ipFilterInputs = z.object({
  filterName: nameInput({ max: 64, rule: IP_FILTERING_NAME }),
  resourceGroup: z.enum(["management", "multiple"]),
  ipGroups: z.array(idInput("ipGroup")).min(1).max(25),
  operationGroups: z
    .array(
      z.string().regex(/^[A-Z][A-Z_]*$/, {
        message: "must be an upper-case operation group such as MANAGEMENT or SCHEMA; fix the name",
      }),
    )
    .optional(),
  resourceScope: z
    .string()
    .regex(/^crn:\/\/.+/, { message: "must be a CRN starting with crn://; fix the scope" })
    .optional(),
});
export type IpFilterInputs = z.infer<typeof ipFilterInputs>;

export const ipFilterResponse = z
  .object({
    api_version: z.string().optional(),
    kind: z.string().optional(),
    id: z.string(),
    metadata: metadataSchema.optional(),
    filter_name: z.string(),
    resource_group: z.string(),
    resource_scope: z.string().optional(),
    operation_groups: z.array(z.string()).optional(),
    ip_groups: z.array(refSchema),
  })
  .passthrough();
export type IpFilterResponse = z.infer<typeof ipFilterResponse>;

export const ipFilterSpec = defineSpec<IpFilterInputs, IpFilterResponse>({
  kind: "IpFilter",
  noun: "IP filter",
  importIdFormat: "ipf-…",
  importIdPattern: /^ipf-[^\s/]+$/,
  inputs: ipFilterInputs,
  response: ipFilterResponse,
  goneStatuses: [404],
  readPermissionHint: "Grant the credentials' owner OrganizationAdmin (IP filters are organization-wide).",

  path: PATH,
  patch: true,
  listRead: { route: () => ({ path: PATH }) },
  fields: {
    filterName: { use: "update", api: "filter_name" },
    resourceGroup: { use: "update", api: "resource_group" },
    resourceScope: { use: "update", api: "resource_scope", serverDefaulted: true, normalize: decodeCrn },
    operationGroups: { use: "update", api: "operation_groups", serverDefaulted: true, normalize: asSet },
    ipGroups: {
      use: "update",
      api: "ip_groups",
      toApi: (ids) => ids.map((id) => ({ id })),
      fromApi: (b) => b.ip_groups.map((g) => g.id),
      normalize: asSet,
    },
  },

  findExisting: (client, i) =>
    findInList(client, PATH, ipFilterResponse, (f) => f.filter_name === i.filterName, { pageSize: 100 }),
  describeUnique: (i) => `filter name ${JSON.stringify(i.filterName)}`,
});
