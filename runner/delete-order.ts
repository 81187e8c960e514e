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

/**
 * Calls `visit` once for each of `entries`, each only after every entry that must go first (see
 * {@link mustGoFirst}) has been visited; `visit` learns whether all of those succeeded, and says whether its
 * own entry is gone. Entries that do not wait on each other are visited concurrently (the caller bounds how
 * many run at once).
 */
export async function inDeleteOrder(
  entries: readonly ResourceState[],
  visit: (entry: ResourceState, dependentsGone: boolean) => Promise<boolean>,
): Promise<void> {
  const visits = new Map<ResourceState, Promise<boolean>>();
  const go = (r: ResourceState): Promise<boolean> => {
    const known = visits.get(r);
    if (known) return known;
    const p = (async () => {
      const results = await Promise.all(mustGoFirst(entries, r).map(go));
      return visit(
        r,
        results.every((ok) => ok),
      );
    })();
    visits.set(r, p);
    return p;
  };
  await Promise.all(entries.map(go));
}
