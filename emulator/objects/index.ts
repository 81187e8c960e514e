/**
 * Every object the emulator serves: each exported {@link EmulatorObject} of the modules in this folder.
 * The list of modules is generated (scripts/registry.ts writes registry.generated.ts; `npm ci` and the npm
 * scripts run it), so adding an object is adding its file. Modules are taken in file-name order, which is
 * also the data file's and the dump's table order.
 */
import { modules } from "./registry.generated";
import type { EmulatorObject } from "./types";

function isEmulatorObject(value: unknown): value is EmulatorObject {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<Record<keyof EmulatorObject, unknown>>;
  return typeof v.name === "string" && Array.isArray(v.tables) && Array.isArray(v.routes) && "access" in v;
}

export const objects: readonly EmulatorObject[] = [
  ...new Set(modules.flatMap((m) => Object.values(m).filter(isEmulatorObject))),
];
