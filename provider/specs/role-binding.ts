/**
 * RoleBinding: iam/v2 role-bindings. No PATCH: any change replaces it. The list requires `crn_pattern`;
 * delete answers 200 with the body; a missing binding reads as 403 with the flat `{error_code, message}`
 * envelope. crnPattern is compared after URL-decoding (`%3A` and `:` are the same CRN). There is no fixed
 * sleep after create (`disableWaitForReady` is accepted for compatibility and changes nothing).
 */
import { z } from "zod";
import { defineSpec } from "../fields";
import { decodeCrn, findInList, metadataSchema, stringAt } from "./common";

const PATH = "/iam/v2/role-bindings";

export const roleBindingInputs = z.object({
  principal: z.string().regex(/^(User|Group):.+$/, {
    message: 'must be "User:<id>" or "Group:<id>" (e.g. "User:sa-abc123"); add the prefix',
  }),
  roleName: z.string().min(1),
  crnPattern: z.string().regex(/^crn:\/\/.+/, {
    message:
      "must be a CRN starting with crn:// (e.g. crn://confluent.cloud/organization=…); fix the pattern",
  }),
  disableWaitForReady: z.boolean().optional(),
});
export type RoleBindingInputs = z.infer<typeof roleBindingInputs>;

export const roleBindingResponse = z
  .object({
    api_version: z.string().optional(),
    kind: z.string().optional(),
    id: z.string(),
    metadata: metadataSchema.optional(),
    principal: z.string(),
    role_name: z.string(),
    crn_pattern: z.string(),
  })
  .passthrough();
export type RoleBindingResponse = z.infer<typeof roleBindingResponse>;

const same = (a: string, b: string): boolean => decodeCrn(a) === decodeCrn(b);

export const roleBindingSpec = defineSpec<RoleBindingInputs, RoleBindingResponse>({
  kind: "RoleBinding",
  noun: "role binding",
  importIdFormat: "rb-…",
  importIdPattern: /^rb-[^\s/]+$/,
  inputs: roleBindingInputs,
  response: roleBindingResponse,
  goneStatuses: [403, 404],
  readPermissionHint:
    "Grant the credentials' owner a role that can view role bindings on this CRN pattern (e.g. OrganizationAdmin or EnvironmentAdmin).",

  fields: {
    principal: { use: "replace", api: "principal" },
    roleName: { use: "replace", api: "role_name" },
    crnPattern: { use: "replace", api: "crn_pattern", normalize: decodeCrn },
    disableWaitForReady: { use: "provider", default: false },
  },

  // The list and the coalesced reads need the CRN pattern, which lives in the stored properties.
  locate: (id, props) => {
    const crn = stringAt(props, "crnPattern");
    return crn ? { id, crnPattern: crn } : { id };
  },
  path: PATH,
  // Listing needs a crn_pattern; without one (an import) a 403 cannot be told from a missing permission.
  listRoute: (loc) => (loc.crnPattern ? { path: PATH, query: { crn_pattern: loc.crnPattern } } : undefined),
  // Reads overlapping in time are answered from the list of the scope above the binding's (the list's
  // crn_pattern is a partial match, so the cluster's list holds the bindings of all its topics); only the
  // id is looked up, and a binding the list lacks is read with GET.
  listRead: {
    route: (loc) =>
      loc.crnPattern ? { path: PATH, query: { crn_pattern: scopeAbove(loc.crnPattern) } } : undefined,
    // The endpoint's page maximum (bench/README.md, scale).
    pageSize: 1000,
  },

  findExisting: (client, i) =>
    findInList(
      client,
      PATH,
      roleBindingResponse,
      (rb) =>
        rb.principal === i.principal && rb.role_name === i.roleName && same(rb.crn_pattern, i.crnPattern),
      {
        query: {
          crn_pattern: String(decodeCrn(i.crnPattern)),
          principal: i.principal,
          role_name: i.roleName,
        },
        pageSize: 1000,
      },
    ),
  describeUnique: (i) => `principal ${i.principal}, role ${i.roleName} and CRN pattern ${i.crnPattern}`,
});

/**
 * The CRN one segment up (`…/kafka=lkc-1/topic=t` → `…/kafka=lkc-1`), never above the organization: the
 * scope whose list holds this binding and its siblings.
 */
export function scopeAbove(crn: string): string {
  const parent = crn.slice(0, crn.lastIndexOf("/"));
  return /\/organization=[^/]+/.test(parent) ? parent : crn;
}
