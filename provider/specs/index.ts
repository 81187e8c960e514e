/** Every object's spec, and its adapter by SDK class name. */
import { makeAdapter, type Adapter } from "../adapter";
import type { Spec } from "../spec";
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

/**
 * Every object's spec, in the order the docs and tests list them. Adding an object: one spec file, one line
 * here (tests/invariants.test.ts then names every other place that must know it).
 */
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

/** One spec of {@link specs}, whichever it is. */
export type AnySpec = (typeof specs)[number];

export const adapters: Readonly<Record<string, Adapter>> = Object.fromEntries(
  specs.map((spec: AnySpec) => {
    const adapter = makeAdapter<Record<string, unknown>, unknown>(
      spec as Spec<Record<string, unknown>, unknown>,
    );
    return [adapter.kind, adapter];
  }),
);
