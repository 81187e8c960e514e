/**
 * User: iam/v2 users. Users cannot be created through the API: invite them (Invitation), then adopt the
 * user (the `import` resource option, which reaches create as `importId`). fullName updates in place;
 * delete removes the user from the organization, and the API deletes the user's API keys with it.
 */
import { z } from "zod";
import { defineSpec } from "../fields";
import { metadataSchema, optionalNameInput } from "./common";
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

export const userSpec = defineSpec<UserInputs, UserResponse>({
  kind: "User",
  noun: "user",
  importIdFormat: "u-…",
  importIdPattern: /^u-[^\s/]+$/,
  inputs: userInputs,
  response: userResponse,
  goneStatuses: [404],
  readPermissionHint: "Grant the credentials' owner a role that can read users (e.g. OrganizationAdmin).",

  path: PATH,
  patch: true,
  fields: {
    fullName: { use: "update", api: "full_name", serverDefaulted: true, absent: "" },
  },
  outputs: {
    email: { api: "email" },
    authType: { api: "auth_type" },
  },

  // Hook: the API cannot create users; they are invited, then adopted (the `import` option).
  create: async () => {
    throw new Error(USER_CANNOT_BE_CREATED);
  },
});
