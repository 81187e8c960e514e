/**
 * Field tables: everything about an object's fields, written once. A spec lists each input in `fields` and
 * each output-only value in `outputs`; {@link defineSpec} derives from them the request bodies, `toOutputs`,
 * the compared lists (`replaceOnChange`, `updateInPlace`, …), the defaults and normalizers, the secret
 * outputs and every output key the SDK class registers. Pure: no I/O, nothing captured.
 *
 * The input table is typed by the input's own keys, so a misspelt or forgotten input fails to compile.
 */
import type { Locator, Normalizer, Route, Spec, WriteOnly } from "./spec";
import type { PropertyMap } from "../protocol";
import { seg } from "./specs/common";

/**
 * How an input is used:
 * - `update`: sent in the create body, and in a PATCH when it changes (updates in place);
 * - `replace`: sent in the create body (or route); a change replaces the object;
 * - `provider`: only the provider uses it (no API field); a change is an update with no API call;
 * - `input`: used by create and update but never written to the outputs (a credential).
 */
export type FieldUse = "update" | "replace" | "provider" | "input";

/** One input of an object. `V` is the input's value type, `R` the parsed API response. */
export interface InputField<V, R> {
  use: FieldUse;
  /**
   * Where the value lives in the request body and the response (`display_name`, `spec.owner`); response
   * paths start at the spec's `responseRoot`. `""`: the members `toApi` returns are merged into the body
   * (one input that sets several members). Absent: the value is not in the body (a route parent, a
   * provider-only input). Bodies list their members in the table's order.
   */
  api?: string;
  /** The body value for a (defined) input value, when it is not the value itself. */
  toApi?: (value: NonNullable<V>) => unknown;
  /** The output value from the response, when it is not the value at `api`. */
  fromApi?: (body: R) => unknown;
  /** The output value when the response leaves the field out (or null); a primitive (lists: `fromApi`). */
  absent?: unknown;
  /**
   * When the response does not give a value, leave the output as the input was (instead of unsetting it).
   */
  keepWhenAbsent?: boolean;
  /**
   * The output is secret: the SDK class registers it in `additionalSecretOutputs`. On an `input` field (never
   * an output) it only says what the value is.
   */
  secret?: boolean;
  /** A missing value equals this when comparing (and a changed field left out is sent as this). */
  default?: unknown;
  /** Send `default` in the create body when the input is left out. */
  sendDefault?: boolean;
  /** The server fills it in when omitted: not compared while the user leaves it out. */
  serverDefaulted?: boolean;
  /** Normalization before comparing (URL-decoding a CRN, ordering a set). */
  normalize?: Normalizer;
  /**
   * On a `replace` field the API's PATCH (or PUT) accepts: why a change still replaces the object (the API
   * rejects the PATCH in practice; an older spec the live API still follows). Say which, with the evidence.
   * tests/provider/openapi-annotations.test.ts requires it on exactly those fields.
   */
  replaceReason?: string;
  /** The API never answers this input: compare it through an output (see `Spec.writeOnly`). */
  writeOnly?: WriteOnly;
}

/** One output-only value. Neither `api` nor `fromApi`: a hook sets it (it is still an SDK output key). */
export interface OutputField<R> {
  api?: string;
  fromApi?: (body: R) => unknown;
  absent?: unknown;
  secret?: boolean;
}

/** One entry per input key, required or not: a misspelt or missing key is a compile error. */
export type FieldTable<I, R> = { [K in keyof Required<I>]: InputField<I[K], R> };

/** Output-only values by output key. */
export type OutputTable<R> = Readonly<Record<string, OutputField<R>>>;

/** The spec members {@link defineSpec} derives from the tables (and the routes it can derive from `path`). */
type Derived =
  | "createRequest"
  | "updateRequest"
  | "toOutputs"
  | "replaceOnChange"
  | "updateInPlace"
  | "providerOnly"
  | "inputOnly"
  | "serverDefaulted"
  | "defaults"
  | "normalize"
  | "secretOutputs"
  | "itemRoute"
  | "listRoute"
  | "idOf"
  | "locate";

/** A spec as written: the hooks and facts of {@link Spec} that are not derived, plus the tables. */
export interface SpecDefinition<I extends Record<string, unknown>, R extends { id: string }> extends Omit<
  Spec<I, R>,
  Derived
> {
  /**
   * The collection path: create POSTs to it, the list is it, an object is `<path>/<id>`. Absent: give
   * `createRoute`, `itemRoute` and `listRoute`.
   */
  path?: string;
  /** The create route, when not `path` (a parent in the path, an ARM route). */
  createRoute?(inputs: I): Route;
  itemRoute?(loc: Locator): Route;
  listRoute?(loc: Locator): Route | undefined;
  /** The API has a PATCH at the item route: changed `update` fields are sent in it. */
  patch?: boolean;
  /**
   * The API's update is a PUT of the whole body at the item route: when any `update` field changed, every
   * one is sent (a left-out one as its default, or not at all).
   */
  put?: boolean;
  /** Where the response paths start (`properties.spec` for ARM). */
  responseRoot?: string;
  /** Where an object lives; default: its id alone. */
  locate?(id: string, props: PropertyMap): Locator;
  fields: FieldTable<I, R>;
  outputs?: OutputTable<R>;
}

/** A spec built from tables: a full {@link Spec} plus the tables and every output key. */
export interface TableSpec<I extends Record<string, unknown>, R> extends Spec<I, R> {
  fields: Readonly<Record<string, InputField<unknown, R>>>;
  outputs: OutputTable<R>;
  /** Every output key, inputs (less input-only ones) first, for the SDK class to register. */
  outputKeys: readonly string[];
}

/** One spec of provider/specs, whichever it is. */
export type AnySpec = TableSpec<Record<string, unknown>, unknown>;

/** Whether a module's export is a spec (what provider/specs/index.ts and scripts/registry.ts collect). */
export function isSpec(value: unknown): value is AnySpec {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<Record<keyof AnySpec, unknown>>;
  return typeof v.kind === "string" && Array.isArray(v.outputKeys) && typeof v.locate === "function";
}

/** The value at a dotted path, or undefined. */
export function getPath(obj: unknown, path: string | undefined): unknown {
  if (path === undefined || path === "") return obj;
  let cur = obj;
  for (const p of path.split(".")) {
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/**
 * Sets a dotted path, making the objects on the way (`""`: merges an object's members into `obj`). An undefined value makes the parents but leaves the
 * member out (the wire drops undefined members anyway), so several inputs may share one body member
 * (BYOK's `key`) without the unset ones clearing it.
 */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  if (path === "") {
    if (typeof value === "object" && value !== null) Object.assign(obj, value);
    return;
  }
  const parts = path.split(".");
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    const next = cur[p];
    if (typeof next !== "object" || next === null) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  const leaf = parts[parts.length - 1] ?? path;
  if (value !== undefined) cur[leaf] = value;
}

type Entries<R> = [string, InputField<unknown, R>][];

/** A request body from the inputs' `api` paths and conversions. */
function bodyOf<R>(
  entries: Entries<R>,
  values: Record<string, unknown>,
  create: boolean,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, f] of entries) {
    // A PATCH carries only the changed fields; a create, every field.
    if (f.api === undefined || (!create && !(key in values))) continue;
    let v = values[key];
    if (create && f.sendDefault && v === undefined) v = f.default;
    setPath(body, f.api, v === undefined || v === null || !f.toApi ? v : f.toApi(v));
  }
  return body;
}

/** Builds a full {@link Spec} from a spec written with field tables. */
export function defineSpec<I extends Record<string, unknown>, R extends { id: string }>(
  def: SpecDefinition<I, R>,
): TableSpec<I, R> {
  const { fields, outputs = {}, path, createRoute, patch, put, responseRoot, ...rest } = def;
  if (patch && put) throw new Error(`${def.kind}: a spec has either \`patch\` or \`put\`, not both`);
  const entries = Object.entries(fields) as Entries<R>;
  // Lists follow the input schema's order (it orders the diffs users see); bodies follow the table's.
  const order = Object.keys(def.inputs.shape);
  const inInputOrder = (keys: string[]): string[] => keys.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const keysWhere = (use: FieldUse): string[] =>
    inInputOrder(entries.filter(([, f]) => f.use === use).map(([k]) => k));
  const collection = (): Route => {
    if (path === undefined) throw new Error(`${def.kind}: a spec without \`path\` must give its routes`);
    return { path };
  };
  const itemRoute =
    def.itemRoute ?? ((loc: Locator): Route => ({ path: `${collection().path}/${seg(loc.id)}` }));
  const toCreateRoute = createRoute ?? collection;

  const outputOf = (body: R, f: OutputField<R>): unknown => {
    const v = f.fromApi ? f.fromApi(body) : getPath(getPath(body, responseRoot), f.api);
    return (v === undefined || v === null) && f.absent !== undefined ? f.absent : v;
  };
  const inOutputs = entries.filter(([, f]) => f.api !== undefined || f.fromApi !== undefined);
  const outOutputs = Object.entries(outputs).filter(
    ([, f]) => f.api !== undefined || f.fromApi !== undefined,
  );

  const defaults: Record<string, unknown> = {};
  const normalize: Record<string, Normalizer> = {};
  for (const [k, f] of entries) {
    if (f.default !== undefined) defaults[k] = f.default;
    if (f.normalize) normalize[k] = f.normalize;
  }
  const outputEntries = entries.filter(([, f]) => f.use !== "input");
  const updateEntries = entries.filter(([, f]) => f.use === "update");
  const writeOnly: Record<string, WriteOnly> = {};
  for (const [k, f] of entries) if (f.writeOnly) writeOnly[k] = f.writeOnly;

  return {
    ...rest,
    fields: fields as Readonly<Record<string, InputField<unknown, R>>>,
    outputs,
    locate: def.locate ?? ((id) => ({ id })),
    itemRoute,
    listRoute: def.listRoute ?? collection,
    idOf: (b) => b.id,
    replaceOnChange: keysWhere("replace"),
    updateInPlace: keysWhere("update"),
    providerOnly: keysWhere("provider"),
    inputOnly: keysWhere("input"),
    serverDefaulted: inInputOrder(entries.filter(([, f]) => f.serverDefaulted).map(([k]) => k)),
    defaults,
    normalize,
    secretOutputs: [
      ...inInputOrder(outputEntries.filter(([, f]) => f.secret).map(([k]) => k)),
      ...Object.entries(outputs)
        .filter(([, f]) => f.secret)
        .map(([k]) => k),
    ],
    outputKeys: [...inInputOrder(outputEntries.map(([k]) => k)), ...Object.keys(outputs)],

    createRequest: (inputs) => ({
      ...toCreateRoute(inputs),
      body: bodyOf(entries, inputs, true),
    }),
    ...(Object.keys(writeOnly).length > 0 ? { writeOnly } : {}),
    ...(put ? { updateMethod: "PUT" as const } : {}),
    updateRequest: patch
      ? (loc, changed) => ({ ...itemRoute(loc), body: bodyOf(updateEntries, changed, false) })
      : put
        ? (loc, changed, inputs) => {
            // The whole body: the inputs, with the changed values (a left-out field as its default).
            const whole: Record<string, unknown> = {};
            for (const [k, f] of updateEntries)
              whole[k] = k in changed ? changed[k as keyof I] : (inputs[k as keyof I] ?? f.default);
            return { ...itemRoute(loc), body: bodyOf(updateEntries, whole, false), method: "PUT" as const };
          }
        : undefined,
    toOutputs: (body) => {
      const outs: PropertyMap = {};
      for (const [k, f] of [...inOutputs, ...outOutputs]) {
        const v = outputOf(body, f);
        if (v === undefined && (f as InputField<unknown, R>).keepWhenAbsent) continue;
        outs[k] = v;
      }
      return outs;
    },
  };
}
