// The policy pack's policies, importable without starting anything: `new PolicyPack(...)` starts a gRPC
// server at once and only one may exist per process, so the pack entry (index.ts) is the only place that
// constructs it. Other code imports this module as `pulumi-confluent-iam/policy`.
import type { Policies } from "@pulumi/policy";
import { apiKeyDescribed } from "./rules/api-key-described";
import { apiKeyOwnedByServiceAccount } from "./rules/api-key-owned-by-service-account";
import { ipGroupNoOpenCidr } from "./rules/ip-group-no-open-cidr";
import { roleBindingCrnWellFormed } from "./rules/role-binding-crn-well-formed";
import { roleBindingKnownRole } from "./rules/role-binding-known-role";
import { roleBindingNoBroadWrite } from "./rules/role-binding-no-broad-write";
import { roleBindingNoDuplicates } from "./rules/role-binding-no-duplicates";
import { roleBindingNoOrgAdmin } from "./rules/role-binding-no-org-admin";
import { roleBindingPrincipalFormat } from "./rules/role-binding-principal-format";
import { roleBindingScopeFitsRole } from "./rules/role-binding-scope-fits-role";

/** The pack's name, as `pulumi preview --policy-pack` reports it. */
export const policyPackName = "confluent-iam";

/** Every policy of the pack, in the order they are reported. */
export const policies: Policies = [
  roleBindingKnownRole,
  roleBindingCrnWellFormed,
  roleBindingScopeFitsRole,
  roleBindingNoOrgAdmin,
  roleBindingNoBroadWrite,
  roleBindingPrincipalFormat,
  roleBindingNoDuplicates,
  apiKeyOwnedByServiceAccount,
  apiKeyDescribed,
  ipGroupNoOpenCidr,
];

export {
  apiKeyDescribed,
  apiKeyOwnedByServiceAccount,
  ipGroupNoOpenCidr,
  roleBindingCrnWellFormed,
  roleBindingKnownRole,
  roleBindingNoBroadWrite,
  roleBindingNoDuplicates,
  roleBindingNoOrgAdmin,
  roleBindingPrincipalFormat,
  roleBindingScopeFitsRole,
};
export type { NoOrgAdminConfig } from "./rules/role-binding-no-org-admin";
export { parseCrn, normalizeCrn, type CrnKind, type CrnParseResult, type ParsedCrn } from "./shared/crn";
export { PREDEFINED_ROLES, ROLE_SCOPES } from "./shared/roles";
export { TYPE_PREFIX, typeToken } from "./shared/resource";
