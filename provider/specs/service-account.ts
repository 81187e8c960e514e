/**
 * ServiceAccount: iam/v2 service-accounts. display_name is unique in the organization (409 on a clash) and
 * at most 64 characters; both fields update in place (display_name became patchable in the 2025 spec).
 * `assignedResourceOwner` is the create's `?assigned_resource_owner=` (provider/specs/resource-owner.ts).
 */
import { z } from "zod";
import { defineSpec } from "../fields";
import { findInList, metadataSchema, nameInput } from "./common";
import { assignedResourceOwnerInput, noteResourceOwnerChange, resourceOwnerQuery } from "./resource-owner";

const PATH = "/iam/v2/service-accounts";

export const serviceAccountInputs = z.object({
  displayName: nameInput({ max: 64 }),
  description: z.string().optional(),
  assignedResourceOwner: assignedResourceOwnerInput(),
});
export type ServiceAccountInputs = z.infer<typeof serviceAccountInputs>;

export const serviceAccountResponse = z
  .object({
    api_version: z.string().optional(),
    kind: z.string().optional(),
    id: z.string(),
    metadata: metadataSchema.optional(),
    display_name: z.string(),
    description: z.string().optional(),
  })
  .passthrough();
export type ServiceAccountResponse = z.infer<typeof serviceAccountResponse>;

export const serviceAccountSpec = defineSpec<ServiceAccountInputs, ServiceAccountResponse>({
  kind: "ServiceAccount",
  noun: "service account",
  importIdFormat: "sa-…",
  importIdPattern: /^sa-[^\s/]+$/,
  inputs: serviceAccountInputs,
  response: serviceAccountResponse,
  goneStatuses: [404],
  readPermissionHint:
    "Grant the credentials' owner a role that can read service accounts (e.g. OrganizationAdmin).",

  path: PATH,
  createRoute: (i) => ({ path: PATH, query: resourceOwnerQuery(i.assignedResourceOwner) }),
  patch: true,
  listRead: { route: () => ({ path: PATH }) },
  fields: {
    displayName: { use: "update", api: "display_name" },
    description: { use: "update", api: "description", default: "", absent: "" },
    assignedResourceOwner: { use: "provider" },
  },
  outputs: {
    apiVersion: { api: "api_version" },
    kind: { api: "kind" },
  },

  findExisting: (client, i) =>
    findInList(client, PATH, serviceAccountResponse, (sa) => sa.display_name === i.displayName, {
      query: { display_name: i.displayName },
      pageSize: 100,
    }),
  describeUnique: (i) => `display name ${JSON.stringify(i.displayName)}`,
  // Hook: the owner is assigned on create only; a later change is said, not sent.
  afterUpdate: noteResourceOwnerChange("ServiceAccount", "service account"),
});
