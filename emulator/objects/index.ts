/**
 * Every object the emulator serves: each exported {@link EmulatorObject} of the modules in this folder.
 * The list of modules, registry.generated.ts, is written by scripts/registry.ts (`npm run registry`) and
 * committed; `npm run lint` fails when it is stale. Modules are taken in file-name order, which is also the
 * data file's and the dump's table order.
 */
import { modules } from "./registry.generated";
import { isEmulatorObject, type EmulatorObject } from "./types";

export const objects: readonly EmulatorObject[] = [
  ...new Set(modules.flatMap((m) => Object.values(m).filter(isEmulatorObject))),
];
