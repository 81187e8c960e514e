import { apiKeyRoutes } from "./objects/api-keys";
import { azureRoutes } from "./objects/azure-marketplace";
import { byokKeyRoutes } from "./objects/byok-keys";
import { clusterRoutes } from "./objects/clusters";
import { identityPoolRoutes, identityProviderRoutes } from "./objects/identity-providers";
import { integrationRoutes } from "./objects/integrations";
import { invitationRoutes } from "./objects/invitations";
import { ipFilterRoutes } from "./objects/ip-filters";
import { ipGroupRoutes } from "./objects/ip-groups";
import { roleBindingRoutes } from "./objects/role-bindings";
import { serviceAccountRoutes } from "./objects/service-accounts";
import { userRoutes } from "./objects/users";
import type { Route } from "./router";

/** Every API route: one list per object, each defined in its own file under objects/. */
export const apiRoutes: Route[] = [
  ...apiKeyRoutes,
  ...userRoutes,
  ...serviceAccountRoutes,
  ...invitationRoutes,
  ...ipGroupRoutes,
  ...ipFilterRoutes,
  ...roleBindingRoutes,
  ...identityProviderRoutes,
  ...identityPoolRoutes,
  ...integrationRoutes,
  ...byokKeyRoutes,
  ...azureRoutes,
  ...clusterRoutes,
];

/** Azure Resource Manager paths authenticate with a bearer token and answer ARM's error envelope. */
export function isArmPath(path: string): boolean {
  return path.startsWith("/subscriptions/");
}
