// The policy pack's policies, importable without starting anything: `new PolicyPack(...)` starts a gRPC
// server at once and only one may exist per process, so the pack entry (index.ts) is the only place that
// constructs it. Other code imports this module as `pulumi-confluent-iam/policy`.
import type { Policies } from "@pulumi/policy";
import { apiKeyDescribed } from "./rules/api-key-described";
import { apiKeyOwnedByServiceAccount } from "./rules/api-key-owned-by-service-account";
import { environmentSeparation } from "./rules/environment-separation";
import { identityPoolNoOpenFilter } from "./rules/identity-pool-no-open-filter";
import { ipGroupNoOpenCidr } from "./rules/ip-group-no-open-cidr";
import { ipGroupsNoOpenUnion } from "./rules/ip-groups-no-open-union";
import { noUnlistedDynamicResource } from "./rules/no-unlisted-dynamic-resource";
import { roleBindingCrnWellFormed } from "./rules/role-binding-crn-well-formed";
import { roleBindingKnownRole } from "./rules/role-binding-known-role";
import { roleBindingNoBroadWrite } from "./rules/role-binding-no-broad-write";
import { roleBindingNoDuplicates } from "./rules/role-binding-no-duplicates";
import { roleBindingNoOrgAdmin } from "./rules/role-binding-no-org-admin";
import { roleBindingNoPrivilegedRole } from "./rules/role-binding-no-privileged-role";
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
  roleBindingNoPrivilegedRole,
  roleBindingNoBroadWrite,
  roleBindingPrincipalFormat,
  roleBindingNoDuplicates,
  environmentSeparation,
  apiKeyOwnedByServiceAccount,
  apiKeyDescribed,
  ipGroupNoOpenCidr,
  ipGroupsNoOpenUnion,
  identityPoolNoOpenFilter,
  noUnlistedDynamicResource,
];

export {
  apiKeyDescribed,
  apiKeyOwnedByServiceAccount,
  environmentSeparation,
  identityPoolNoOpenFilter,
  ipGroupNoOpenCidr,
  ipGroupsNoOpenUnion,
  noUnlistedDynamicResource,
  roleBindingCrnWellFormed,
  roleBindingKnownRole,
  roleBindingNoBroadWrite,
  roleBindingNoDuplicates,
  roleBindingNoOrgAdmin,
  roleBindingNoPrivilegedRole,
  roleBindingPrincipalFormat,
  roleBindingScopeFitsRole,
};
export type { NoOrgAdminConfig } from "./rules/role-binding-no-org-admin";
export { PRIVILEGED_ROLES, type NoPrivilegedRoleConfig } from "./rules/role-binding-no-privileged-role";
export type { EnvironmentSeparationConfig } from "./rules/environment-separation";
export type { NoOpenUnionConfig } from "./rules/ip-groups-no-open-union";
export type { NoUnlistedDynamicResourceConfig } from "./rules/no-unlisted-dynamic-resource";
export { parseCidr, type Cidr, type CidrParseResult } from "./shared/cidr";
export { parseCrn, normalizeCrn, type CrnKind, type CrnParseResult, type ParsedCrn } from "./shared/crn";
export { PREDEFINED_ROLES, ROLE_LEVELS, ROLE_SCOPES, type RoleLevel } from "./shared/roles";
export { TYPE_PREFIX, typeToken } from "./shared/resource";
