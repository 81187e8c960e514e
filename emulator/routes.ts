import type { Access, EmulatorObject } from "./objects/types";
import type { Route } from "./router";

/** An API route with what RBAC asks of it (its object's `access`; null: not Cloud RBAC). */
export interface ApiRoute extends Route {
  access: Access | null;
}

/** Every API route of the registered objects (emulator/objects/index.ts), each with its object's access. */
export function apiRoutes(objects: readonly EmulatorObject[]): ApiRoute[] {
  return objects.flatMap((o) => o.routes.map((r) => ({ ...r, access: o.access })));
}

/** Azure Resource Manager paths authenticate with a bearer token and answer ARM's error envelope. */
export function isArmPath(path: string): boolean {
  return path.startsWith("/subscriptions/");
}
