/**
 * Coalesced reads. The engine refreshes a stack by reading every object, up to `--parallel` at once; read
 * one by one, a 600-object stack is 600 GETs. Reads of one kind that overlap in time are answered together
 * from the kind's list instead, a page of up to 100 objects per call.
 *
 * - A read with no other read of the same list in flight or recently done is a plain GET: a single read
 *   costs one call and waits for nothing.
 * - A read that arrives while another is in flight, or within {@link idleMs} of the last one ending, joins
 *   the list's snapshot. Reads of a refresh do not always overlap: the engine hands them to the host one by
 *   one (and at parallel 1 strictly one after another), often more slowly than a GET is answered, so
 *   overlap alone left them as GETs. Pages are fetched one at a time, and only while fewer pages have been
 *   fetched than reads have joined, so listing never costs more pages than the GETs it replaces (a large
 *   organization with few of its objects in the stack stops early).
 * - An object the pages fetched do not contain is read on its own with GET by the caller, so "gone" keeps
 *   exactly its rules (403 proven by a list probe, read lag): a list never decides that an object is gone.
 * - A snapshot serves reads while they keep coming (it is dropped after {@link idleMs} without one, and
 *   after {@link MAX_AGE_MS} in any case), and a create, update or delete of the kind in this process drops it.
 */
import { z } from "zod";
import type { ConfluentClient } from "./client";
import { envNumber, TUNING_ENV } from "./runtime";
import type { Route } from "./spec";

/**
 * A snapshot unused this long is dropped; a read within this long of the last read of its list joins the
 * list's snapshot. Reads of one refresh reach the host spread out: on a busy 2-core machine the `--quick`
 * refresh's reads of one kind came more than 2 s apart, each after the previous GET had ended.
 */
export const IDLE_MS = 10_000;

/** The idle window in effect: {@link IDLE_MS}, or `CONFLUENT_IAM_COALESCE_IDLE_MS` (tests set it small). */
function idleMs(): number {
  return envNumber(TUNING_ENV.coalesceIdleMs, IDLE_MS);
}
/** A snapshot older than this is dropped. */
const MAX_AGE_MS = 30_000;

interface Snapshot<R> {
  items: Map<string, R>;
  /** `page_token` of the next page; undefined before the first page. */
  nextToken: string | undefined;
  /** No more pages (or listing failed: then every miss is a GET). */
  done: boolean;
  pages: number;
  /** Reads that joined this snapshot. */
  joined: number;
  fetching: Promise<void> | undefined;
  createdAt: number;
  usedAt: number;
}

interface ListState<R> {
  /** Reads of this list in progress (a plain GET or a join). */
  active: number;
  /** When the last read of this list ended (Date.now()); undefined before the first. */
  lastEndedAt: number | undefined;
  snapshot: Snapshot<R> | undefined;
}

/** How one kind's reads are answered from its lists. */
export interface CoalesceOptions<R> {
  /** Schema of one list item (the same as GET's response). */
  itemSchema: z.ZodType<R, z.ZodTypeDef, unknown>;
  /** The object's id in an item. */
  idOf(item: R): string;
  /** `page_size` of the list calls. */
  pageSize: number;
}

/** The reads of one kind, per client (one endpoint and credentials). */
export class ReadCoalescer<R> {
  private readonly perClient = new WeakMap<ConfluentClient, Map<string, ListState<R>>>();
  private readonly pageSchema: z.ZodType<{ data: R[]; metadata?: { next?: string | null } | null }>;

  constructor(private readonly options: CoalesceOptions<R>) {
    this.pageSchema = z.object({
      data: z.array(options.itemSchema),
      metadata: z.object({ next: z.string().nullish() }).passthrough().nullish(),
    }) as unknown as z.ZodType<{ data: R[]; metadata?: { next?: string | null } | null }>;
  }

  /**
   * Read object `id`, which `list` would return. `single` is the plain read (a GET, with today's gone
   * rules); it is used when no other read of the list is in flight, and for an object the list does not
   * return. Resolves to `single`'s answer or `found` applied to the list's item.
   */
  async read<T>(
    client: ConfluentClient,
    list: Route,
    id: string,
    single: () => Promise<T>,
    found: (item: R) => T,
  ): Promise<T> {
    const state = this.stateFor(client, list);
    const now = Date.now();
    const idle = idleMs();
    let snap = state.snapshot;
    if (snap !== undefined && (now - snap.usedAt > idle || now - snap.createdAt > MAX_AGE_MS)) {
      snap = state.snapshot = undefined;
    }
    const recent = state.lastEndedAt !== undefined && now - state.lastEndedAt <= idle;
    if (snap === undefined && state.active === 0 && !recent) {
      state.active++;
      try {
        return await single();
      } finally {
        state.active--;
        state.lastEndedAt = Date.now();
      }
    }
    snap ??= state.snapshot = newSnapshot<R>(now);
    snap.joined++;
    snap.usedAt = now;
    state.active++;
    try {
      const item = await this.lookUp(client, list, snap, id);
      return item === undefined ? await single() : found(item);
    } finally {
      state.active--;
      state.lastEndedAt = Date.now();
    }
  }

  /** Forget every snapshot (a create, update or delete of this kind happened). */
  invalidate(): void {
    // WeakMap has no clear(); snapshots are per client, so drop them where they are reached.
    this.generation++;
  }

  private generation = 0;
  private readonly generations = new WeakMap<ConfluentClient, number>();

  private stateFor(client: ConfluentClient, list: Route): ListState<R> {
    let lists = this.perClient.get(client);
    if (lists === undefined || this.generations.get(client) !== this.generation) {
      // Keep in-flight counts (they belong to running reads); drop the snapshots and the recent reads.
      const fresh = new Map<string, ListState<R>>();
      for (const [k, s] of lists ?? [])
        fresh.set(k, { active: s.active, lastEndedAt: undefined, snapshot: undefined });
      lists = fresh;
      this.perClient.set(client, lists);
      this.generations.set(client, this.generation);
    }
    const key = `${list.path}?${JSON.stringify(Object.entries(list.query ?? {}).sort())}`;
    let state = lists.get(key);
    if (state === undefined) {
      state = { active: 0, lastEndedAt: undefined, snapshot: undefined };
      lists.set(key, state);
    }
    return state;
  }

  /** The item with `id` from the snapshot, fetching further pages while the page budget allows. */
  private async lookUp(
    client: ConfluentClient,
    list: Route,
    snap: Snapshot<R>,
    id: string,
  ): Promise<R | undefined> {
    for (;;) {
      const hit = snap.items.get(id);
      if (hit !== undefined) return hit;
      if (snap.done) return undefined;
      if (snap.fetching !== undefined) {
        await snap.fetching;
        continue;
      }
      if (snap.pages >= snap.joined) return undefined;
      snap.fetching = this.fetchPage(client, list, snap).finally(() => (snap.fetching = undefined));
    }
  }

  private async fetchPage(client: ConfluentClient, list: Route, snap: Snapshot<R>): Promise<void> {
    try {
      const page = await client.request("GET", list.path, {
        query: { ...list.query, page_size: this.options.pageSize, page_token: snap.nextToken },
        schema: this.pageSchema,
      });
      snap.pages++;
      for (const item of page.data) snap.items.set(this.options.idOf(item), item);
      const token = nextToken(page.metadata?.next);
      if (token === undefined || token === snap.nextToken) snap.done = true;
      else snap.nextToken = token;
    } catch {
      // A list that fails decides nothing: every read not answered yet is a GET, with its own errors.
      snap.done = true;
    }
  }
}

function newSnapshot<R>(now: number): Snapshot<R> {
  return {
    items: new Map(),
    nextToken: undefined,
    done: false,
    pages: 0,
    joined: 0,
    fetching: undefined,
    createdAt: now,
    usedAt: now,
  };
}

/** The `page_token` of a `metadata.next` link; undefined when there is no next page or no token. */
function nextToken(next: string | null | undefined): string | undefined {
  if (next === undefined || next === null || next.trim() === "") return undefined;
  try {
    return new URL(next, "http://next.invalid/").searchParams.get("page_token") ?? undefined;
  } catch {
    return undefined;
  }
}
