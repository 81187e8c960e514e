import type { Ctx, Reply } from "./context";
import { invalidParam } from "./errors";

/** The documented page sizes of one list operation. */
export interface PageLimits {
  defaultSize: number;
  maxSize: number;
}

/** What a list answers besides its items. */
export interface ListShape {
  /** `api_version` of the list, or undefined when the real list carries none (identity pools). */
  apiVersion?: string;
  /** `kind` of the list, e.g. `ServiceAccountList`. */
  kind: string;
}

interface Cursor {
  /** Last id of the previous page: ids are compared, so deletions between pages skip nothing. */
  a: string;
  /** Page size fixed by the first request. */
  n: number;
}

function decodeToken(token: string): Cursor {
  if (token.length > 255) throw invalidParam("page_token", "page_token must be at most 255 characters");
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (parsed !== null && typeof parsed === "object") {
      const c = parsed as Record<string, unknown>;
      if (typeof c.a === "string" && typeof c.n === "number") return { a: c.a, n: c.n };
    }
  } catch {
    // fall through: any undecodable token is the same client error
  }
  throw invalidParam("page_token", "page_token is invalid");
}

function pageSize(ctx: Ctx, limits: PageLimits): number | undefined {
  const raw = ctx.query.get("page_size");
  if (raw === null || raw === "") return undefined;
  if (!/^\d+$/.test(raw)) throw invalidParam("page_size", "page_size must be a positive integer");
  const n = Number(raw);
  if (n < 1) throw invalidParam("page_size", "page_size must be at least 1");
  if (n > limits.maxSize) throw invalidParam("page_size", `page_size must be at most ${limits.maxSize}`);
  return n;
}

/**
 * One page of a list, with an opaque `page_token`, an absolute `metadata.next` and `total_size`. Items are
 * ordered by id. As the real API's, `next` points at another origin (`--next-link-origin`, default
 * `https://confluent.cloud/api`) and carries only the `page_token`: a client must ask its own endpoint with
 * its own query plus the token. With an empty origin, `next` is on the Host header's origin and keeps every
 * query parameter.
 */
export function paginate<T extends { id: string }>(
  ctx: Ctx,
  items: T[],
  limits: PageLimits,
  shape: ListShape,
  render: (item: T) => unknown,
): Reply {
  const requested = pageSize(ctx, limits);
  const token = ctx.query.get("page_token");
  const cursor = token ? decodeToken(token) : undefined;
  const size = requested ?? cursor?.n ?? limits.defaultSize;
  const sorted = items.slice().sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const start = cursor ? sorted.findIndex((i) => i.id > cursor.a) : 0;
  const page = start < 0 ? [] : sorted.slice(start, start + size);
  const metadata: Record<string, unknown> = { total_size: sorted.length };
  const last = page[page.length - 1];
  if (last !== undefined && start + size < sorted.length) {
    const nextToken = Buffer.from(JSON.stringify({ a: last.id, n: size })).toString("base64url");
    const origin = ctx.env.nextLinkOrigin.replace(/\/+$/, "");
    if (origin !== "") {
      metadata.next = `${origin}${ctx.path}?${new URLSearchParams({ page_token: nextToken }).toString()}`;
    } else {
      const next = new URLSearchParams(ctx.query);
      next.delete("page_token");
      next.set("page_size", String(size));
      next.set("page_token", nextToken);
      metadata.next = `${ctx.base}${ctx.path}?${next.toString()}`;
    }
  }
  const body: Record<string, unknown> = {};
  if (shape.apiVersion !== undefined) body.api_version = shape.apiVersion;
  body.kind = shape.kind;
  body.metadata = metadata;
  body.data = page.map(render);
  return { status: 200, body };
}
