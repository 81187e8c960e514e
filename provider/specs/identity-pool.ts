/**
 * IdentityPool: iam/v2 identity-providers/{id}/identity-pools. The provider it belongs to replaces the pool;
 * everything else updates in place. Its import ID names both (`op-…/pool-…`). A missing pool, or one whose
 * provider is gone, answers 404 with the flat envelope (the recorded message even names the provider). The
 * filter is a CEL expression; its syntax and its length (a per-organization limit, 300 unless Confluent raised it) are the server's to judge.
 * `assignedResourceOwner` is the create's `?assigned_resource_owner=` (provider/specs/resource-owner.ts).
 */
import { z } from "zod";
import { defineSpec } from "../fields";
import type { Locator } from "../spec";
import {
  filterInput,
  findInList,
  idInput,
  metadataSchema,
  nameInput,
  refId,
  seg,
  locateUnder,
} from "./common";
import { IDENTITY_PROVIDERS_PATH } from "./identity-provider";
import { assignedResourceOwnerInput, noteResourceOwnerChange, resourceOwnerQuery } from "./resource-owner";

const poolsPath = (providerId: string): string =>
  `${IDENTITY_PROVIDERS_PATH}/${seg(providerId)}/identity-pools`;

export const identityPoolInputs = z.object({
  identityProvider: z.object({ id: idInput("identityProvider") }),
  displayName: nameInput(),
  description: z.string().optional(),
  identityClaim: z.string().min(1),
  filter: filterInput(),
  assignedResourceOwner: assignedResourceOwnerInput(),
});
export type IdentityPoolInputs = z.infer<typeof identityPoolInputs>;

export const identityPoolResponse = z
  .object({
    api_version: z.string().optional(),
    kind: z.string().optional(),
    id: z.string(),
    metadata: metadataSchema.optional(),
    display_name: z.string(),
    description: z.string().optional(),
    identity_claim: z.string(),
    filter: z.string(),
    principal: z.string().optional(),
    state: z.string().optional(),
  })
  .passthrough();
export type IdentityPoolResponse = z.infer<typeof identityPoolResponse>;

export const IDENTITY_POOL_IMPORT_HINT =
  "An identity pool is imported as <identity provider id>/<pool id>, e.g. op-abc123/pool-XyZ1.";

const locatePool = locateUnder({
  noun: "identity pool",
  input: "identityProvider",
  missing: "its identity provider is not known",
  hint: IDENTITY_POOL_IMPORT_HINT,
});

function providerOf(loc: Locator): string {
  return loc.identityProvider ?? "";
}

/**
 * The pool's body does not name its provider except inside `metadata` (the CRN, the self link); an import
 * needs it, so it is read from there.
 */
function providerIdOf(b: IdentityPoolResponse): string | undefined {
  const crn = /\/identity-provider=([^/]+)/.exec(b.metadata?.resource_name ?? "");
  if (crn) return decodeURIComponent(crn[1] ?? "");
  const self = /\/identity-providers\/([^/]+)\/identity-pools\//.exec(b.metadata?.self ?? "");
  return self ? decodeURIComponent(self[1] ?? "") : undefined;
}

export const identityPoolSpec = defineSpec<IdentityPoolInputs, IdentityPoolResponse>({
  kind: "IdentityPool",
  noun: "identity pool",
  importIdFormat: "op-…/pool-…",
  importIdPattern: /^op-[^\s/]+\/pool-[^\s/]+$/,
  importIdOf: (id, i) => `${i.identityProvider.id}/${id}`,
  inputs: identityPoolInputs,
  response: identityPoolResponse,
  goneStatuses: [404],
  readPermissionHint:
    "Grant the credentials' owner OrganizationAdmin (identity pools are organization-wide).",

  fields: {
    // In the route, not the body; read back from the pool's metadata (kept as it was when absent there).
    identityProvider: {
      use: "replace",
      normalize: refId,
      fromApi: (b) => {
        const provider = providerIdOf(b);
        return provider === undefined ? undefined : { id: provider };
      },
      keepWhenAbsent: true,
    },
    displayName: { use: "update", api: "display_name" },
    description: { use: "update", api: "description", default: "", sendDefault: true, absent: "" },
    identityClaim: { use: "update", api: "identity_claim" },
    filter: { use: "update", api: "filter" },
    assignedResourceOwner: { use: "provider" },
  },
  outputs: {
    principal: { fromApi: (b) => b.principal ?? b.id },
  },

  // Routes: the pools live under their provider, which a composite import ID names.
  locate: locatePool,
  createRoute: (i) => ({
    path: poolsPath(i.identityProvider.id),
    query: resourceOwnerQuery(i.assignedResourceOwner),
  }),
  itemRoute: (loc) => ({ path: `${poolsPath(providerOf(loc))}/${seg(loc.id)}` }),
  listRoute: (loc) => ({ path: poolsPath(providerOf(loc)) }),
  listRead: { route: (loc) => ({ path: poolsPath(providerOf(loc)) }) },
  patch: true,

  findExisting: (client, i) =>
    findInList(
      client,
      poolsPath(i.identityProvider.id),
      identityPoolResponse,
      (p) => p.display_name === i.displayName,
      {
        pageSize: 100,
      },
    ),
  describeUnique: (i) => `display name ${JSON.stringify(i.displayName)} under ${i.identityProvider.id}`,
  // Hook: the owner is assigned on create only; a later change is said, not sent.
  afterUpdate: noteResourceOwnerChange("IdentityPool", "identity pool"),
});
