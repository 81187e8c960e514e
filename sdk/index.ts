/**
 * pulumi-confluent-iam: Confluent Cloud IAM as Pulumi resources. Port a program from
 * @pulumi/confluentcloud by changing its import line; config keys, env vars, property names and import IDs
 * are the same.
 */
// Every resource class and its argument types: one module per object in this folder, listed by the generated
// barrel (scripts/registry.ts writes objects.generated.ts; `npm ci` and the npm scripts run it), so adding an
// object is adding its class file.
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
// The provider object (sdk/provider.ts makeProvider) is deliberately not exported: with it a program could
// register this package's objects under the plain `pulumi-nodejs:dynamic:Resource` type, where no policy of
// the pack looks (issue 23). The pack's no-unlisted-dynamic-resource policy reports such resources anyway.
