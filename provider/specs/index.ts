/** Every object's adapter, by SDK class name. Adding an object: one spec file, one line here. */
import { makeAdapter, type Adapter } from "../adapter";
import { apiKeySpec } from "./api-key";
import { azureMarketplaceApiKeySpec } from "./azure-marketplace-api-key";
import { byokKeySpec } from "./byok-key";
import { identityPoolSpec } from "./identity-pool";
import { identityProviderSpec } from "./identity-provider";
import { invitationSpec } from "./invitation";
import { ipFilterSpec } from "./ip-filter";
import { ipGroupSpec } from "./ip-group";
import { providerIntegrationSpec } from "./provider-integration";
import { roleBindingSpec } from "./role-binding";
import { serviceAccountSpec } from "./service-account";
import { userSpec } from "./user";

/** Every spec, each built from its field table (tests check each against its SDK class). */
export const specs = [
  serviceAccountSpec,
  apiKeySpec,
  roleBindingSpec,
  ipGroupSpec,
  ipFilterSpec,
  invitationSpec,
  userSpec,
  identityProviderSpec,
  identityPoolSpec,
  providerIntegrationSpec,
  byokKeySpec,
  azureMarketplaceApiKeySpec,
] as const;

export const adapters: Readonly<Record<string, Adapter>> = Object.fromEntries(
  [
    makeAdapter(serviceAccountSpec),
    makeAdapter(apiKeySpec),
    makeAdapter(roleBindingSpec),
    makeAdapter(ipGroupSpec),
    makeAdapter(ipFilterSpec),
    makeAdapter(invitationSpec),
    makeAdapter(userSpec),
    makeAdapter(identityProviderSpec),
    makeAdapter(identityPoolSpec),
    makeAdapter(providerIntegrationSpec),
    makeAdapter(byokKeySpec),
    makeAdapter(azureMarketplaceApiKeySpec),
  ].map((a) => [a.kind, a]),
);
