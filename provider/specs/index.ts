/**
 * Every object's spec, and its adapter by SDK class name. The specs are the `defineSpec` results exported by
 * the modules of this folder; the list of modules, registry.generated.ts, is written by scripts/registry.ts
 * (`npm run registry`) and committed, and `npm run lint` fails when it is stale, so adding an object is adding
 * its spec file and running that command. tests/invariants.test.ts then names every other place that must
 * know the object.
 */
import { makeAdapter, type Adapter } from "../adapter";
import { isSpec, type AnySpec } from "../fields";
import type { Spec } from "../spec";
import { modules } from "./registry.generated";

export type { AnySpec };

/** Every spec, in file-name order; each built from its field table (tests check each against its SDK class). */
export const specs: readonly AnySpec[] = [
  ...new Set(modules.flatMap((m) => Object.values(m).filter(isSpec))),
];

export const adapters: Readonly<Record<string, Adapter>> = Object.fromEntries(
  specs.map((spec) => {
    const adapter = makeAdapter<Record<string, unknown>, unknown>(
      spec as Spec<Record<string, unknown>, unknown>,
    );
    return [adapter.kind, adapter];
  }),
);

const kinds = specs.map((s) => s.kind);
const twice = kinds.filter((k, i) => kinds.indexOf(k) !== i);
if (twice.length > 0) {
  throw new Error(`Two specs in provider/specs/ declare the kind ${twice.join(", ")}; rename one of them.`);
}
