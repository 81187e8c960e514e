/**
 * pulumi-confluent-iam: Confluent Cloud IAM as Pulumi resources. Port a program from
 * @pulumi/confluentcloud by changing its import line; config keys, env vars, property names and import IDs
 * are the same.
 */
// Every resource class and its argument types: one module per object in this folder, listed by the generated
// barrel objects.generated.ts (committed; `npm run registry` rewrites it after a class file is added, and
// `npm run lint` fails while it is stale).
export * from "./objects.generated";
export { Provider, type ProviderArgs } from "./provider-resource";
export {
  getUser,
  getUserOutput,
  getUsers,
  getUsersOutput,
  getServiceAccount,
  getServiceAccountOutput,
  getRoleBindings,
  getRoleBindingsOutput,
  getIdentityProvider,
  getIdentityProviderOutput,
  getByokKey,
  getByokKeyOutput,
  getOrganization,
  getOrganizationOutput,
  type GetUserArgs,
  type GetUserResult,
  type GetUsersResult,
  type GetServiceAccountArgs,
  type GetServiceAccountResult,
  type GetRoleBindingsArgs,
  type GetRoleBindingsResult,
  type RoleBindingInfo,
  type GetIdentityProviderArgs,
  type GetIdentityProviderResult,
  type GetByokKeyArgs,
  type GetByokKeyResult,
  type GetOrganizationArgs,
  type GetOrganizationResult,
  type LookupInputs,
} from "./lookups";
export {
  getCertificateAuthority,
  getCertificateAuthorityOutput,
  getCertificatePool,
  getCertificatePoolOutput,
  type GetCertificateAuthorityArgs,
  type GetCertificateAuthorityResult,
  type GetCertificatePoolArgs,
  type GetCertificatePoolResult,
} from "./lookups";
// The provider object (sdk/provider.ts makeProvider) is deliberately not exported: with it a program could
// register this package's objects under the plain `pulumi-nodejs:dynamic:Resource` type, where no policy of
// the pack looks (issue 23). The pack's no-unlisted-dynamic-resource policy reports such resources anyway.
// Lookups declared as tables in sdk/lookups.ts.
export {
  getGroupMapping,
  getGroupMappingOutput,
  getIdentityPool,
  getIdentityPoolOutput,
  getInvitation,
  getInvitationOutput,
  getIpFilter,
  getIpFilterOutput,
  getIpGroup,
  getIpGroupOutput,
  getRoleBinding,
  getRoleBindingOutput,
  getEnvironment,
  getEnvironmentOutput,
  getEnvironments,
  getEnvironmentsOutput,
  getProviderIntegration,
  getProviderIntegrationOutput,
  type GetGroupMappingArgs,
  type GetGroupMappingResult,
  type GetIdentityPoolArgs,
  type GetIdentityPoolOutputArgs,
  type GetIdentityPoolResult,
  type GetInvitationArgs,
  type GetInvitationResult,
  type GetIpFilterArgs,
  type GetIpFilterResult,
  type GetIpGroupArgs,
  type GetIpGroupResult,
  type GetRoleBindingArgs,
  type GetRoleBindingResult,
  type GetEnvironmentArgs,
  type GetEnvironmentResult,
  type GetEnvironmentsResult,
  type GetProviderIntegrationArgs,
  type GetProviderIntegrationOutputArgs,
  type GetProviderIntegrationResult,
  getProviderIntegrationSetup,
  getProviderIntegrationSetupOutput,
  getProviderIntegrationAuthorization,
  getProviderIntegrationAuthorizationOutput,
  type GetProviderIntegrationSetupArgs,
  type GetProviderIntegrationSetupResult,
  type GetProviderIntegrationAuthorizationArgs,
  type GetProviderIntegrationAuthorizationResult,
} from "./lookups";
