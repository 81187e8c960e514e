/**
 * User: iam/v2 users. Users cannot be created through the API: invite them (Invitation), then adopt the
 * user (the `import` resource option, which reaches create as `importId`). fullName updates in place;
 * delete removes the user from the organization, and the API deletes the user's API keys with it.
 */
import { z } from "zod";
import type { Spec } from "../spec";
import { metadataSchema, optionalNameInput, seg } from "./common";
import { importOption, PULUMI_IMPORT_UNSUPPORTED } from "../messages";

const PATH = "/iam/v2/users";

export const userInputs = z.object({
  fullName: optionalNameInput({ max: 255 }),
});
export type UserInputs = z.infer<typeof userInputs>;

export const userResponse = z
  .object({
    api_version: z.string().optional(),
    kind: z.string().optional(),
    id: z.string(),
    metadata: metadataSchema.optional(),
    email: z.string().optional(),
    full_name: z.string().optional(),
    auth_type: z.string().optional(),
  })
  .passthrough();
export type UserResponse = z.infer<typeof userResponse>;

export const USER_CANNOT_BE_CREATED =
  "Users cannot be created through the Confluent Cloud API. Invite the person with an Invitation resource; " +
  `once they accept, bring the user under management by adding the resource option ${importOption("u-…")} ` +
  `to this User resource in the program (${PULUMI_IMPORT_UNSUPPORTED}).`;

export const userSpec: Spec<UserInputs, UserResponse> = {
  kind: "User",
  noun: "user",
  importIdFormat: "u-…",
  importIdPattern: /^u-[^\s/]+$/,
  inputs: userInputs,
  response: userResponse,
  replaceOnChange: [],
  updateInPlace: ["fullName"],
  serverDefaulted: ["fullName"],
  secretOutputs: [],
  goneStatuses: [404],
  readPermissionHint: "Grant the credentials' owner a role that can read users (e.g. OrganizationAdmin).",

  locate: (id) => ({ id }),
  createRequest: () => ({ path: PATH, body: undefined }),
  itemRoute: (loc) => ({ path: `${PATH}/${seg(loc.id)}` }),
  listRoute: () => ({ path: PATH }),
  updateRequest: (loc, changed) => ({
    path: `${PATH}/${seg(loc.id)}`,
    body: { full_name: changed.fullName },
  }),

  idOf: (b) => b.id,
  toOutputs: (b) => ({ fullName: b.full_name ?? "", email: b.email, authType: b.auth_type }),

  create: async () => {
    throw new Error(USER_CANNOT_BE_CREATED);
  },
};
