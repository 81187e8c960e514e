import { z } from "zod";
import { ResponseValidationError } from "./errors";
import type { Query } from "./client";

/** Options of {@link paginate}. */
export interface PaginateOptions<T> {
  /** Query of the first request (filters such as `crn_pattern`). Later pages use the `next` link's query. */
  query?: Query;
  /** Schema of one item of `data`. */
  itemSchema: z.ZodType<T, z.ZodTypeDef, unknown>;
  /** `page_size` of the first request; the API carries it in its `next` links. */
  pageSize?: number;
}

/** Fetch one page: the path from the origin (base path included), the path to show in errors, the query. */
export type PageFetcher = <P>(
  pathFromOrigin: string,
  displayPath: string,
  query: Query | undefined,
  schema: z.ZodType<P, z.ZodTypeDef, unknown>,
) => Promise<P>;

/** Where the client points. */
export interface PageTarget {
  /** `https://api.confluent.cloud` */
  origin: string;
  /** Base path of the endpoint without a trailing slash (`""` for none). */
  basePath: string;
}

/** A bound on pages, so that a server minting fresh tokens forever cannot keep us looping. */
const MAX_PAGES = 10_000;

/**
 * Iterate over every item of a list endpoint, following `metadata.next` until it is absent, null or empty.
 * Only the path and query of a `next` link are used, against the configured origin; a link to another
 * host (which would receive our credentials) and a page token seen before (an endless loop) are errors.
 */
export async function* paginate<T>(
  fetchPage: PageFetcher,
  target: PageTarget,
  path: string,
  options: PaginateOptions<T>,
): AsyncGenerator<T, void, undefined> {
  const pageSchema = z.object({
    data: z.array(options.itemSchema),
    metadata: z.object({ next: z.string().nullish() }).passthrough().nullish(),
  });

  let pathFromOrigin = `${target.basePath}${path}`;
  let displayPath = path;
  let query: Query | undefined =
    options.pageSize === undefined ? options.query : { ...options.query, page_size: options.pageSize };
  const seen = new Set<string>();
  const firstToken = options.query?.page_token;
  if (typeof firstToken === "string") seen.add(firstToken);

  for (let pages = 1; ; pages++) {
    const page = await fetchPage(pathFromOrigin, displayPath, query, pageSchema);
    yield* page.data;

    const next = page.metadata?.next;
    if (next === undefined || next === null || next.trim() === "") return;

    const fail = (message: string): ResponseValidationError =>
      new ResponseValidationError("GET", displayPath, 200, [{ path: "metadata.next", message }]);

    let url: URL;
    try {
      url = new URL(next, `${target.origin}${target.basePath}/`);
    } catch {
      throw fail("is not a URL");
    }
    if (url.origin !== target.origin) {
      throw fail(`points to another host (${url.host}), refusing to send credentials there`);
    }
    const token = url.searchParams.get("page_token") ?? `${url.pathname}${url.search}`;
    if (seen.has(token)) throw fail("repeats the page token of an earlier page, stopping instead of looping");
    seen.add(token);
    if (pages >= MAX_PAGES) throw fail(`still set after ${MAX_PAGES} pages, giving up`);

    pathFromOrigin = url.pathname;
    displayPath =
      target.basePath !== "" && url.pathname.startsWith(`${target.basePath}/`)
        ? url.pathname.slice(target.basePath.length)
        : url.pathname;
    const nextQuery: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const values = url.searchParams.getAll(key);
      nextQuery[key] = values.length === 1 ? values[0] : values;
    }
    query = nextQuery;
  }
}
