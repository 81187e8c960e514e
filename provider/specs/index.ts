/**
 * Every object's spec, and its adapter by SDK class name. The specs are the `defineSpec` results exported by
 * the modules of this folder; the list of modules is generated (scripts/registry.ts writes
 * registry.generated.ts; `npm ci`, the npm scripts and jest run it), so adding an object is adding its spec
 * file. tests/invariants.test.ts then names every other place that must know the object.
 */
import { makeAdapter, type Adapter } from "../adapter";
import type { TableSpec } from "../fields";
import type { Spec } from "../spec";
import { modules } from "./registry.generated";

/** One spec of {@link specs}, whichever it is. */
export type AnySpec = TableSpec<Record<string, unknown>, unknown>;

function isSpec(value: unknown): value is AnySpec {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<Record<keyof AnySpec, unknown>>;
  return typeof v.kind === "string" && Array.isArray(v.outputKeys) && typeof v.locate === "function";
}

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
