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
export { makeProvider } from "./provider";
