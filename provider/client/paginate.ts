import { z } from "zod";
import { ResponseValidationError } from "./errors";
import type { Query } from "./client";

/** Options of {@link paginate}. */
export interface PaginateOptions<T> {
  /** Query of every request (filters such as `crn_pattern`); later pages add only the `page_token`. */
  query?: Query;
  /** Schema of one item of `data`. */
  itemSchema: z.ZodType<T, z.ZodTypeDef, unknown>;
  /** `page_size` of every request. */
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
 *
 * Only the `page_token` of a `next` link is used. The real API's links point at other hosts
 * (`https://confluent.cloud/api/iam/v2/sso/group-mappings?page_token=…`) and carry only the token, dropping
 * required parameters such as `environment` or `crn_pattern`; so every page is requested on the configured
 * endpoint with the first request's path and query plus the token, and credentials never leave that
 * endpoint. A link without a `page_token` and a token seen before (an endless loop) are errors.
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

  const pathFromOrigin = `${target.basePath}${path}`;
  const base: Query =
    options.pageSize === undefined ? { ...options.query } : { ...options.query, page_size: options.pageSize };
  delete base.page_token;
  let query: Query = { ...base, page_token: options.query?.page_token };
  const seen = new Set<string>();
  const firstToken = options.query?.page_token;
  if (typeof firstToken === "string") seen.add(firstToken);

  for (let pages = 1; ; pages++) {
    const page = await fetchPage(pathFromOrigin, path, query, pageSchema);
    yield* page.data;

    const next = page.metadata?.next;
    if (next === undefined || next === null || next.trim() === "") return;

    const fail = (message: string): ResponseValidationError =>
      new ResponseValidationError("GET", path, 200, [{ path: "metadata.next", message }]);

    let url: URL;
    try {
      url = new URL(next, `${target.origin}${target.basePath}/`);
    } catch {
      throw fail("is not a URL");
    }
    const token = url.searchParams.get("page_token");
    if (token === null || token === "")
      throw fail("carries no page_token, so the next page cannot be asked for");
    if (seen.has(token)) throw fail("repeats the page token of an earlier page, stopping instead of looping");
    seen.add(token);
    if (pages >= MAX_PAGES) throw fail(`still set after ${MAX_PAGES} pages, giving up`);
    query = { ...base, page_token: token };
  }
}
