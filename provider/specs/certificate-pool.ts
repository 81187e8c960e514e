/**
 * CertificatePool: iam/v2 certificate-authorities/{id}/identity-pools (certificate-authority_v2.yaml), the
 * mutual-TLS identities of one certificate authority: the clients whose certificates its CEL filter matches
 * act as one principal, `User:<pool id>`, in role bindings. The authority it belongs to replaces the pool;
 * display name, description, external identifier and filter update in place, by a **PUT** of the whole body
 * (the API has no PATCH). Its import ID names both (`op-…/pool-…`). A missing pool, or one whose authority
 * is gone, answers 404. `assignedResourceOwner` is the create's `?assigned_resource_owner=`
 * (provider/specs/resource-owner.ts): sent once, a later change sends nothing and says so.
 */
import { z } from "zod";
import { defineSpec } from "../fields";
import type { Locator } from "../spec";
import { filterInput, findInList, metadataSchema, nameInput, refId, seg, locateUnder } from "./common";
import { CERTIFICATE_AUTHORITIES_PATH } from "./certificate-authority";
import { assignedResourceOwnerInput, noteResourceOwnerChange, resourceOwnerQuery } from "./resource-owner";

const poolsPath = (caId: string): string => `${CERTIFICATE_AUTHORITIES_PATH}/${seg(caId)}/identity-pools`;

export const certificatePoolInputs = z.object({
  certificateAuthority: z.object({
    id: z.string().regex(/^op-[A-Za-z0-9]+$/, { message: "must be an id such as op-abc123; fix it" }),
  }),
  displayName: nameInput(),
  description: z.string().optional(),
  externalIdentifier: z.string().min(1),
  filter: filterInput(),
  assignedResourceOwner: assignedResourceOwnerInput(),
});
export type CertificatePoolInputs = z.infer<typeof certificatePoolInputs>;

export const certificatePoolResponse = z
  .object({
    api_version: z.string().optional(),
    kind: z.string().optional(),
    id: z.string(),
    metadata: metadataSchema.optional(),
    display_name: z.string(),
    description: z.string().optional(),
    external_identifier: z.string(),
    filter: z.string(),
    principal: z.string().optional(),
    state: z.string().optional(),
  })
  .passthrough();
export type CertificatePoolResponse = z.infer<typeof certificatePoolResponse>;

export const CERTIFICATE_POOL_IMPORT_HINT =
  "A certificate pool is imported as <certificate authority id>/<pool id>, e.g. op-abc123/pool-XyZ1.";

const locatePool = locateUnder({
  noun: "certificate pool",
  input: "certificateAuthority",
  missing: "its certificate authority is not known",
  hint: CERTIFICATE_POOL_IMPORT_HINT,
});

const caOf = (loc: Locator): string => loc.certificateAuthority ?? "";

/** The pool's body names its authority only in `metadata` (the self link, the CRN). */
function caIdOf(b: CertificatePoolResponse): string | undefined {
  const self = /\/certificate-authorities\/([^/]+)\/identity-pools\//.exec(b.metadata?.self ?? "");
  if (self) return decodeURIComponent(self[1] ?? "");
  const crn = /\/certificate-authority=([^/]+)/.exec(b.metadata?.resource_name ?? "");
  return crn ? decodeURIComponent(crn[1] ?? "") : undefined;
}

export const certificatePoolSpec = defineSpec<CertificatePoolInputs, CertificatePoolResponse>({
  kind: "CertificatePool",
  noun: "certificate pool",
  importIdFormat: "op-…/pool-…",
  importIdPattern: /^op-[^\s/]+\/pool-[^\s/]+$/,
  importIdOf: (id, i) => `${i.certificateAuthority.id}/${id}`,
  inputs: certificatePoolInputs,
  response: certificatePoolResponse,
  goneStatuses: [404],
  readPermissionHint:
    "Grant the credentials' owner OrganizationAdmin (certificate pools are organization-wide).",

  fields: {
    // In the route, not the body; read back from the pool's metadata (kept as it was when absent there).
    certificateAuthority: {
      use: "replace",
      normalize: refId,
      fromApi: (b) => {
        const ca = caIdOf(b);
        return ca === undefined ? undefined : { id: ca };
      },
      keepWhenAbsent: true,
    },
    displayName: { use: "update", api: "display_name" },
    description: { use: "update", api: "description", default: "", sendDefault: true, absent: "" },
    externalIdentifier: { use: "update", api: "external_identifier" },
    filter: { use: "update", api: "filter" },
    assignedResourceOwner: { use: "provider" },
  },
  outputs: {
    principal: { fromApi: (b) => b.principal ?? b.id },
    state: { api: "state" },
  },

  locate: locatePool,
  createRoute: (i) => ({
    path: poolsPath(i.certificateAuthority.id),
    query: resourceOwnerQuery(i.assignedResourceOwner),
  }),
  itemRoute: (loc) => ({ path: `${poolsPath(caOf(loc))}/${seg(loc.id)}` }),
  listRoute: (loc) => ({ path: poolsPath(caOf(loc)) }),
  listRead: { route: (loc) => ({ path: poolsPath(caOf(loc)) }) },
  put: true,

  findExisting: (client, i) =>
    findInList(
      client,
      poolsPath(i.certificateAuthority.id),
      certificatePoolResponse,
      (p) => p.display_name === i.displayName,
      { pageSize: 100 },
    ),
  describeUnique: (i) => `display name ${JSON.stringify(i.displayName)} under ${i.certificateAuthority.id}`,
  // Hook: the owner is assigned on create only; a later change is said, not sent.
  afterUpdate: noteResourceOwnerChange("CertificatePool", "certificate pool"),
});
