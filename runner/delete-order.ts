/** Which entries must be deleted before a given one: the rule behind the runner's delete ordering. */
import type { ResourceState } from "./state";

/**
 * The entries of `entries` that must be gone before `r` is deleted: those that depend on it, and a
 * component's children. The new copy of a replaced resource (same URN) does not wait for its old copy.
 */
export function mustGoFirst(entries: readonly ResourceState[], r: ResourceState): ResourceState[] {
  return entries.filter(
    (d) =>
      d !== r &&
      (d.dependencies.includes(r.urn) || d.parent === r.urn) &&
      !(r.pendingDelete === true && d.urn === r.urn),
  );
}
