/**
 * IdentityProvider: iam/v2 identity-providers (OIDC). Every field updates in place (the 2025 spec made
 * issuer and jwks_uri patchable). The server fetches the JWKS itself; `jwksRefreshTrigger` is a provider-only
 * input: changing it asks the server to fetch the JWKS again (`PATCH …/{id}/jwks`) and records the answer's
 * status as `jwksStatus`, without a PATCH of the provider. A missing provider answers 404 with the flat
 * `{error_code, message}` envelope. Display names are what reconciliation looks for.
 */
import { z } from "zod";
import { defineSpec } from "../fields";
import type { PropertyMap } from "../../protocol";
import { findInList, metadataSchema, nameInput, seg } from "./common";

export const IDENTITY_PROVIDERS_PATH = "/iam/v2/identity-providers";
const PATH = IDENTITY_PROVIDERS_PATH;

const httpsUrl = (what: string) =>
  z.string().regex(/^https?:\/\/[^\s/?#]+[^\s]*$/, {
    message: `must be a URL such as https://login.example.com/${what}; fix it`,
  });

export const identityProviderInputs = z.object({
  displayName: nameInput(),
  description: z.string().optional(),
  issuer: httpsUrl("v2.0"),
  jwksUri: httpsUrl("discovery/keys"),
  identityClaim: z.string().min(1).optional(),
  jwksRefreshTrigger: z.string().optional(),
});
export type IdentityProviderInputs = z.infer<typeof identityProviderInputs>;

export const identityProviderResponse = z
  .object({
    api_version: z.string().optional(),
    kind: z.string().optional(),
    id: z.string(),
    metadata: metadataSchema.optional(),
    display_name: z.string(),
    description: z.string().optional(),
    state: z.string().optional(),
    issuer: z.string(),
    jwks_uri: z.string(),
    // The second provider of the recorded list has no identity_claim.
    identity_claim: z.string().optional(),
  })
  .passthrough();
export type IdentityProviderResponse = z.infer<typeof identityProviderResponse>;

/** Answer of `PATCH …/{id}/jwks` (the spec documents REFRESHED, OK, INVALID_JWKS_URI, ERROR_FETCHING_JWKS). */
export const jwksResponse = z
  .object({
    spec: z.object({ jwks_status: z.string().optional() }).passthrough().optional(),
    status: z
      .object({ jwks_status: z.string().optional(), jwks_last_refresh_at: z.string().optional() })
      .passthrough()
      .optional(),
  })
  .passthrough();

/** Statuses after which the server holds usable keys. */
const GOOD_JWKS = new Set(["REFRESHED", "OK"]);

export const identityProviderSpec = defineSpec<IdentityProviderInputs, IdentityProviderResponse>({
  kind: "IdentityProvider",
  noun: "identity provider",
  importIdFormat: "op-…",
  importIdPattern: /^op-[^\s/]+$/,
  inputs: identityProviderInputs,
  response: identityProviderResponse,
  goneStatuses: [404],
  readPermissionHint:
    "Grant the credentials' owner OrganizationAdmin (identity providers are organization-wide).",

  path: PATH,
  patch: true,
  fields: {
    displayName: { use: "update", api: "display_name" },
    description: { use: "update", api: "description", default: "", sendDefault: true, absent: "" },
    issuer: { use: "update", api: "issuer" },
    jwksUri: { use: "update", api: "jwks_uri" },
    identityClaim: { use: "update", api: "identity_claim", serverDefaulted: true },
    jwksRefreshTrigger: { use: "provider" },
  },
  outputs: {
    // Set by afterUpdate from the refresh's answer.
    jwksStatus: {},
    state: { api: "state" },
  },

  findExisting: (client, i) =>
    findInList(client, PATH, identityProviderResponse, (p) => p.display_name === i.displayName, {
      pageSize: 100,
    }),
  describeUnique: (i) => `display name ${JSON.stringify(i.displayName)}`,

  // Hook: the JWKS refresh is a call of its own (`PATCH …/jwks`), made when the provider-only trigger changes.
  afterUpdate: async (ctx, loc, olds, inputs, outs): Promise<PropertyMap> => {
    const before = typeof olds.jwksRefreshTrigger === "string" ? olds.jwksRefreshTrigger : undefined;
    if (inputs.jwksRefreshTrigger === undefined || inputs.jwksRefreshTrigger === before) return outs;
    const body = await ctx.client.request("PATCH", `${PATH}/${seg(loc.id)}/jwks`, {
      body: {},
      schema: jwksResponse,
    });
    const status = body.status?.jwks_status ?? body.spec?.jwks_status ?? "";
    if (!GOOD_JWKS.has(status)) {
      ctx.log(
        `IdentityProvider ${loc.id}: the JWKS refresh answered ${status || "no status"}; check jwksUri ` +
          `(${String(inputs.jwksUri)}) serves the provider's keys`,
      );
    }
    return { ...outs, jwksStatus: status };
  },
});
