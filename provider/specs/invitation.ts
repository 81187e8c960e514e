/**
 * Invitation: iam/v2 invitations. No PATCH: email and authType replace it. An accepted invitation cannot
 * be deleted (the API answers 400); as in @pulumi/confluentcloud, `allowDeletion: true` makes destroy drop
 * an accepted invitation from the stack without calling the API. Deleting a pending invitation withdraws it.
 */
import { z } from "zod";
import type { Spec } from "../spec";
import { findInList, metadataSchema, refSchema, seg } from "./common";

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

export const invitationSpec: Spec<InvitationInputs, InvitationResponse> = {
  kind: "Invitation",
  noun: "invitation",
  importIdFormat: "i-…",
  importIdPattern: /^i-[^\s/]+$/,
  inputs: invitationInputs,
  response: invitationResponse,
  replaceOnChange: ["email", "authType"],
  updateInPlace: [],
  providerOnly: ["allowDeletion"],
  serverDefaulted: ["authType"],
  defaults: { allowDeletion: false },
  secretOutputs: [],
  goneStatuses: [404],
  readPermissionHint: "Grant the credentials' owner OrganizationAdmin (invitations are organization-wide).",

  locate: (id) => ({ id }),
  createRequest: (i) => ({ path: PATH, body: { email: i.email, auth_type: i.authType } }),
  itemRoute: (loc) => ({ path: `${PATH}/${seg(loc.id)}` }),
  listRoute: () => ({ path: PATH }),

  idOf: (b) => b.id,
  toOutputs: (b) => ({
    email: b.email,
    authType: b.auth_type,
    status: b.status,
    acceptedAt: b.accepted_at ?? "",
    expiresAt: b.expires_at,
    users: b.user ? [{ id: b.user.id }] : [],
    creators: b.creator ? [{ id: b.creator.id }] : [],
  }),

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

  skipDelete: (props) =>
    props.allowDeletion === true && props.status === ACCEPTED
      ? "it was accepted (the API cannot delete it) and allowDeletion is true, so it is only dropped from the stack"
      : undefined,
  deleteHints: {
    400:
      "An accepted invitation cannot be deleted. Set allowDeletion: true to drop it from the stack instead " +
      "(the user stays; manage the user with the User resource). Run pulumi refresh first so the stack knows it was accepted.",
  },
};
