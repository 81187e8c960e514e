import { apiKeys } from "./api-keys";
import { azureMarketplace } from "./azure-marketplace";
import { byokKeys } from "./byok-keys";
import { clusters } from "./clusters";
import { identityProviders } from "./identity-providers";
import { integrations } from "./integrations";
import { invitations } from "./invitations";
import { ipFilters } from "./ip-filters";
import { ipGroups } from "./ip-groups";
import { roleBindings } from "./role-bindings";
import { serviceAccounts } from "./service-accounts";
import type { EmulatorObject } from "./types";
import { users } from "./users";

/** Every object the emulator serves; the order is the data file's and the dump's table order. */
export const objects: readonly EmulatorObject[] = [
  users,
  serviceAccounts,
  apiKeys,
  invitations,
  ipGroups,
  ipFilters,
  roleBindings,
  identityProviders,
  integrations,
  byokKeys,
  azureMarketplace,
  clusters,
];
