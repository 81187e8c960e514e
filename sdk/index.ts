/**
 * pulumi-confluent-iam: Confluent Cloud IAM as Pulumi resources. Port a program from
 * @pulumi/confluentcloud by changing its import line; config keys, env vars, property names and import IDs
 * are the same.
 */
export { ServiceAccount, type ServiceAccountArgs } from "./service-account";
export { ApiKey, type ApiKeyArgs, type ApiKeyOwner, type ApiKeyManagedResource } from "./api-key";
export { RoleBinding, type RoleBindingArgs } from "./role-binding";
export { IpGroup, type IpGroupArgs } from "./ip-group";
export { IpFilter, type IpFilterArgs } from "./ip-filter";
export { Invitation, type InvitationArgs } from "./invitation";
export { User, type UserArgs } from "./user";
export { IdentityProvider, type IdentityProviderArgs } from "./identity-provider";
export { IdentityPool, type IdentityPoolArgs } from "./identity-pool";
export {
  ProviderIntegration,
  type ProviderIntegrationArgs,
  type ProviderIntegrationAws,
} from "./provider-integration";
export {
  ByokKey,
  type ByokKeyArgs,
  type ByokKeyAwsArgs,
  type ByokKeyAzureArgs,
  type ByokKeyGcpArgs,
} from "./byok-key";
export {
  AzureMarketplaceApiKey,
  type AzureMarketplaceApiKeyArgs,
  type AzureMarketplaceApiKeyResource,
} from "./azure-marketplace-api-key";
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
  type LookupInputs,
} from "./lookups";
// The provider object (sdk/provider.ts makeProvider) is deliberately not exported: with it a program could
// register this package's objects under the plain `pulumi-nodejs:dynamic:Resource` type, where no policy of
// the pack looks (issue 23). The pack's no-unlisted-dynamic-resource policy reports such resources anyway.
