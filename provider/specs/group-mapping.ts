/**
 * GroupMapping: iam/v2 SSO group mappings (sso_v2.yaml). A filter over the claims of an SSO login (a CEL
 * expression; its length limit is the organization's, judged by the server) makes the matching users one principal, `User:<mapping id>`, for
 * role bindings. Create needs display_name, description and filter (the spec's create schema requires all
 * three, so description is sent as "" when left out); every field updates in place (PATCH). A missing
 * mapping answers 404. Display names are what reconciliation looks for.
 */
import { z } from "zod";
import { defineSpec } from "../fields";
import { filterInput, findInList, metadataSchema, nameInput } from "./common";

const PATH = "/iam/v2/sso/group-mappings";

export const groupMappingInputs = z.object({
  displayName: nameInput(),
  description: z.string().optional(),
  filter: filterInput(),
});
export type GroupMappingInputs = z.infer<typeof groupMappingInputs>;

export const groupMappingResponse = z
  .object({
    api_version: z.string().optional(),
    kind: z.string().optional(),
    id: z.string(),
    metadata: metadataSchema.optional(),
    display_name: z.string(),
    description: z.string().optional(),
    filter: z.string(),
    principal: z.string().optional(),
    state: z.string().optional(),
  })
  .passthrough();
export type GroupMappingResponse = z.infer<typeof groupMappingResponse>;

export const groupMappingSpec = defineSpec<GroupMappingInputs, GroupMappingResponse>({
  kind: "GroupMapping",
  noun: "group mapping",
  importIdFormat: "group-…",
  importIdPattern: /^[^\s/]+$/,
  inputs: groupMappingInputs,
  response: groupMappingResponse,
  goneStatuses: [404],
  readPermissionHint:
    "Grant the credentials' owner OrganizationAdmin (group mappings are organization-wide).",

  path: PATH,
  patch: true,
  listRead: { route: () => ({ path: PATH }) },
  fields: {
    displayName: { use: "update", api: "display_name" },
    description: { use: "update", api: "description", default: "", sendDefault: true, absent: "" },
    filter: { use: "update", api: "filter" },
  },
  outputs: {
    principal: { api: "principal" },
    state: { api: "state" },
  },

  findExisting: (client, i) =>
    findInList(client, PATH, groupMappingResponse, (g) => g.display_name === i.displayName, {
      pageSize: 100,
    }),
  describeUnique: (i) => `display name ${JSON.stringify(i.displayName)}`,
});
