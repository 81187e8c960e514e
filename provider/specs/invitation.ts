/**
 * Invitation: iam/v2 invitations. No PATCH: email and authType replace it. An accepted invitation cannot
 * be deleted (the API answers 400); as in @pulumi/confluentcloud, `allowDeletion: true` makes destroy drop
 * an accepted invitation from the stack without calling the API. Deleting a pending invitation withdraws it.
 */
import { z } from "zod";
import { defineSpec } from "../fields";
import { findInList, metadataSchema, refSchema } from "./common";

const PATH = "/iam/v2/invitations";
const ACCEPTED = "INVITE_STATUS_ACCEPTED";

export const invitationInputs = z.object({
  email: z.string().email({ message: "must be an email address such as dev@example.com; fix it" }),
  authType: z.enum(["AUTH_TYPE_LOCAL", "AUTH_TYPE_SSO"]).optional(),
  allowDeletion: z.boolean().optional(),
});
export type InvitationInputs = z.infer<typeof invitationInputs>;

export const invitationResponse = z
  .object({
    api_version: z.string().optional(),
    kind: z.string().optional(),
    id: z.string(),
    metadata: metadataSchema.optional(),
    email: z.string(),
    auth_type: z.string().optional(),
    status: z.string().optional(),
    accepted_at: z.string().nullable().optional(),
    expires_at: z.string().optional(),
    user: refSchema.optional(),
    creator: refSchema.optional(),
  })
  .passthrough();
export type InvitationResponse = z.infer<typeof invitationResponse>;

export const invitationSpec = defineSpec<InvitationInputs, InvitationResponse>({
  kind: "Invitation",
  noun: "invitation",
  importIdFormat: "i-…",
  importIdPattern: /^i-[^\s/]+$/,
  inputs: invitationInputs,
  response: invitationResponse,
  goneStatuses: [404],
  readPermissionHint: "Grant the credentials' owner OrganizationAdmin (invitations are organization-wide).",

  path: PATH,
  fields: {
    email: { use: "replace", api: "email" },
    authType: { use: "replace", api: "auth_type", serverDefaulted: true },
    allowDeletion: { use: "provider", default: false },
  },
  outputs: {
    status: { api: "status" },
    acceptedAt: { api: "accepted_at", absent: "" },
    expiresAt: { api: "expires_at" },
    users: { fromApi: (b) => (b.user ? [{ id: b.user.id }] : []) },
    creators: { fromApi: (b) => (b.creator ? [{ id: b.creator.id }] : []) },
  },

  findExisting: (client, i) =>
    findInList(
      client,
      PATH,
      invitationResponse,
      (inv) =>
        inv.email.toLowerCase() === i.email.toLowerCase() && inv.status !== "INVITE_STATUS_DEACTIVATED",
      { query: { email: i.email }, pageSize: 100 },
    ),
  describeUnique: (i) => `email ${i.email}`,

  // Hook: an accepted invitation cannot be deleted; with allowDeletion it is only dropped from the stack.
  skipDelete: (props) =>
    props.allowDeletion === true && props.status === ACCEPTED
      ? "it was accepted (the API cannot delete it) and allowDeletion is true, so it is only dropped from the stack"
      : undefined,
  deleteHints: {
    400:
      "An accepted invitation cannot be deleted. Set allowDeletion: true to drop it from the stack instead " +
      "(the user stays; manage the user with the User resource). Run pulumi refresh first so the stack knows it was accepted.",
  },
});
