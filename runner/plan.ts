/**
 * Which operation a resource needs, as the Pulumi engine decides it. Pure functions, no I/O:
 * - {@link planStep}: a registered resource with saved state: same, update or replace, from the provider's
 *   Diff answer, the saved inputs and outputs, the new inputs and the resource options (replaceOnChanges
 *   with `*`, drift after a refresh, deleteBeforeReplace, protect). One without saved state is created.
 * - {@link applyIgnoreChanges}: the `ignoreChanges` option, applied to the inputs before Check.
 * - {@link planDelete}: a resource the program no longer declares (or the old copy of a replaced one):
 *   deleted, retained, refused (protect), held back by a dependent that stayed, or only shown (preview).
 */
import { PROVIDER_KEY, type PropertyMap } from "../protocol";
import type { ResourceState } from "./state";

/** The provider's Diff answer, as far as planning needs it. */
export interface ProviderDiff {
  /** true: something changed; false: nothing did; undefined: the provider could not tell. */
  changes: boolean | undefined;
  /** Properties whose change forces replacement. */
  replaces: readonly string[];
  /** The provider asks to delete the old object before creating its replacement. */
  deleteBeforeReplace: boolean;
}

/** What {@link planStep} looks at. */
export interface PlanInput {
  /** The provider's Diff answer. */
  diff: ProviderDiff;
  /** Inputs saved by the last run (plain values). */
  oldInputs: PropertyMap;
  /** Outputs saved by the last run (plain values). */
  oldOutputs: PropertyMap;
  /** Checked new inputs (plain values). */
  news: PropertyMap;
  /** The `replaceOnChanges` option (top-level names, or `*`). */
  replaceOnChanges: readonly string[];
  /** The `deleteBeforeReplace` option. */
  deleteBeforeReplace: boolean;
  /** The last create or update left the object created but not initialized. */
  initFailed: boolean;
  /** The `protect` option (saved or newly set): a replace is refused. */
  protect?: boolean;
  /** The resource's logical name, for the refusal. */
  name?: string;
}

/** The operation and what to show for it. */
export interface Plan {
  /** same: nothing to do; update: in place; replace: a new object, then (or first) delete the old one. */
  op: "same" | "update" | "replace";
  /** Changed top-level keys with `+`, `-` or `~` in front. */
  diffs: string[];
  /** Keys that force the replacement (sorted), empty unless op is replace. */
  replaces: string[];
  /** For a replace: delete the old object first. */
  deleteFirst: boolean;
  /** Why the replace must not happen (a protected resource), as the step's error. */
  refusal?: string;
}

/** Serializes `v` with sorted keys and without undefined members, for comparing values. */
export function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  if (typeof v === "object" && v !== null) {
    const entries = Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stable(x)}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** Top-level keys that differ, with `+` (added), `-` (removed) or `~` (changed) in front, sorted. */
export function changedKeys(olds: PropertyMap, news: PropertyMap): string[] {
  const keys = [...new Set([...Object.keys(olds), ...Object.keys(news)])]
    .filter((k) => k !== PROVIDER_KEY)
    .sort();
  const out: string[] = [];
  for (const k of keys) {
    const a = olds[k];
    const b = news[k];
    if (a === undefined && b === undefined) continue;
    if (a === undefined) out.push(`+${k}`);
    else if (b === undefined) out.push(`-${k}`);
    else if (stable(a) !== stable(b)) out.push(`~${k}`);
  }
  return out;
}

/**
 * True when `actual` (an output) agrees with `wanted` (an input): objects are compared on the members the
 * input sets, since outputs carry more (an API key's `owner` has `apiVersion` and `kind` besides its `id`).
 */
function agrees(actual: unknown, wanted: unknown): boolean {
  if (typeof wanted === "object" && wanted !== null && !Array.isArray(wanted)) {
    if (typeof actual !== "object" || actual === null || Array.isArray(actual)) return false;
    return Object.entries(wanted).every(
      ([k, w]) => w === undefined || agrees((actual as Record<string, unknown>)[k], w),
    );
  }
  return stable(actual) === stable(wanted);
}

/** Keys of `news` whose value the object no longer has (drift recorded by a refresh), as `~key`. */
export function driftedKeys(outputs: PropertyMap, news: PropertyMap): string[] {
  return Object.keys(news)
    .filter((k) => k !== PROVIDER_KEY && news[k] !== undefined && !agrees(outputs[k], news[k]))
    .sort()
    .map((k) => `~${k}`);
}

/**
 * The engine's rule. The provider's Diff decides whether anything changed: when it says nothing did, the
 * step is `same` whatever the options say (or `update`, to finish an object that failed to initialize).
 * When it reports a change, the changed keys are the inputs that differ from the saved ones or, when the
 * inputs are the same (drift), the inputs the object no longer matches; `replaceOnChanges` is matched
 * against those (`*` matches any), and joins the provider's own replace keys.
 */
export function planStep(p: PlanInput): Plan {
  const inputDiffs = changedKeys(p.oldInputs, p.news);
  const changes = p.diff.changes ?? inputDiffs.length > 0;
  if (!changes) {
    return { op: p.initFailed ? "update" : "same", diffs: [], replaces: [], deleteFirst: false };
  }
  const diffs = inputDiffs.length > 0 ? inputDiffs : driftedKeys(p.oldOutputs, p.news);
  const changed = diffs.map((d) => d.slice(1));
  const fromOption = p.replaceOnChanges.flatMap((k) =>
    k === "*" ? changed : changed.includes(k) ? [k] : [],
  );
  const replaces = [...new Set([...p.diff.replaces, ...fromOption])].sort();
  if (replaces.length === 0) return { op: "update", diffs, replaces: [], deleteFirst: false };
  return {
    op: "replace",
    diffs,
    replaces,
    deleteFirst: p.diff.deleteBeforeReplace || p.deleteBeforeReplace,
    ...(p.protect
      ? {
          refusal:
            `${p.name ?? "the resource"} is protected and a change to ${replaces.join(", ")} would replace ` +
            `it; remove protect from its options first (an up with protect removed changes nothing else)`,
        }
      : {}),
  };
}

/** What {@link planDelete} looks at. */
export interface DeleteInput {
  /** The saved entry to delete. */
  entry: Pick<ResourceState, "name" | "id" | "component" | "protect" | "retainOnDelete" | "pendingDelete">;
  /** Every entry that had to go first (dependents, children) is gone. */
  dependentsGone: boolean;
  /** A preview: nothing is deleted. */
  preview: boolean;
}

/** What to do with an entry to delete. */
export type DeletePlan =
  /** The old copy of a replaced resource, in preview: the replace step already shows it. */
  | { action: "skip" }
  /** Not deleted, and the step fails with `error` (a dependent is still there, or the entry is protected). */
  | { action: "refuse"; error: string; blockedByDependent: boolean }
  /** Preview: shown as a planned delete. */
  | { action: "show" }
  /**
   * Dropped from state; `callProvider`: the provider deletes the object first (not for a component, an entry
   * without an object, or a retained one); `note` is shown on the step's line; `quiet`: no step line, as for
   * the old copy of a replaced resource (the replace step already showed it).
   */
  | { action: "delete"; callProvider: boolean; note?: string; quiet: boolean };

/** The engine's rule for a delete. Preview shows a protected entry as a delete; up refuses it. */
export function planDelete(p: DeleteInput): DeletePlan {
  const { entry } = p;
  const pending = entry.pendingDelete === true;
  if (pending && p.preview) return { action: "skip" };
  if (!p.dependentsGone) {
    return {
      action: "refuse",
      error: "not deleted: a resource that depends on it could not be deleted",
      blockedByDependent: true,
    };
  }
  if (p.preview) return { action: "show" };
  if (entry.protect) {
    return {
      action: "refuse",
      error:
        `${entry.name} is protected, so it was not deleted; remove protect from its options and run up, ` +
        `then delete it`,
      blockedByDependent: false,
    };
  }
  return {
    action: "delete",
    callProvider: deletesObject(entry),
    ...(entry.retainOnDelete && !entry.component ? { note: "retained: the object is left in place" } : {}),
    quiet: pending,
  };
}

/**
 * Whether deleting `entry` asks the provider to delete an object: not for a component, an entry without an
 * object (id ""), or one the program retains on delete (also when it is deleted before its replacement).
 */
export function deletesObject(entry: Pick<ResourceState, "id" | "component" | "retainOnDelete">): boolean {
  return entry.component !== true && entry.id !== "" && entry.retainOnDelete !== true;
}

/** One step of an `ignoreChanges` path: a property name or an array index. */
type PathPart = string | number;

/**
 * Parses an `ignoreChanges` path as Pulumi writes them: `name`, `owner.id`, `cidrBlocks[0]`, `tags["a.b"]`.
 * Throws with the path and what is wrong.
 */
export function parsePath(path: string): PathPart[] {
  const parts: PathPart[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`ignoreChanges path ${JSON.stringify(path)}: ${why}`);
  };
  while (i < path.length) {
    if (path[i] === "[") {
      const close = path.indexOf("]", i);
      if (close < 0) fail("a [ is not closed");
      const inner = path.slice(i + 1, close);
      if (/^\d+$/.test(inner)) parts.push(Number(inner));
      else if (/^"(?:[^"\\]|\\.)*"$/.test(inner)) parts.push(JSON.parse(inner) as string);
      else fail(`[${inner}] is neither an index nor a quoted key`);
      i = close + 1;
      if (path[i] === ".") i++;
      continue;
    }
    let j = i;
    while (j < path.length && path[j] !== "." && path[j] !== "[") j++;
    const name = path.slice(i, j);
    if (name === "") fail("an empty property name");
    parts.push(name);
    i = path[j] === "." ? j + 1 : j;
  }
  if (parts.length === 0) fail("the path is empty");
  return parts;
}

function getAt(v: unknown, parts: readonly PathPart[]): { found: boolean; value: unknown } {
  let cur = v;
  for (const p of parts) {
    if (typeof cur !== "object" || cur === null || !(p in (cur as object)))
      return { found: false, value: undefined };
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return { found: true, value: cur };
}

function setAt(target: unknown, parts: readonly PathPart[], value: unknown, found: boolean): unknown {
  const [head, ...rest] = parts;
  if (head === undefined) return found ? value : undefined;
  const base: Record<string | number, unknown> | unknown[] = Array.isArray(target)
    ? [...(target as unknown[])]
    : typeof target === "object" && target !== null
      ? { ...(target as Record<string, unknown>) }
      : typeof head === "number"
        ? []
        : {};
  const next = setAt((base as Record<string | number, unknown>)[head], rest, value, found);
  if (next === undefined && rest.length === 0 && !Array.isArray(base)) delete base[head as string];
  else (base as Record<string | number, unknown>)[head] = next;
  return base;
}

/**
 * The inputs with every `ignoreChanges` path taken from the saved inputs (removed when the saved inputs
 * have no value there), as the engine applies the option before Check. `*` keeps all saved inputs.
 */
export function applyIgnoreChanges(
  news: PropertyMap,
  oldInputs: PropertyMap,
  paths: readonly string[],
): PropertyMap {
  if (paths.includes("*")) return { ...oldInputs };
  let out: unknown = { ...news };
  for (const p of paths) {
    const parts = parsePath(p);
    const old = getAt(oldInputs, parts);
    out = setAt(out, parts, old.value, old.found);
  }
  return out as PropertyMap;
}
