/** Pieces several specs share: response metadata, reference shapes, list lookups, normalizers. */
import { z } from "zod";
import type { ConfluentClient } from "../client";
import type { Query } from "../spec";

/** `metadata` of every object. Recordings omit `updated_at` at times and vary `self` hosts: parse loosely. */
export const metadataSchema = z
  .object({
    self: z.string().optional(),
    resource_name: z.string().optional(),
    created_at: z.string().optional(),
    updated_at: z.string().optional(),
    deleted_at: z.string().optional(),
  })
  .passthrough();

/** A reference to another object (`owner`, `creator`, `environment`, …). */
export const refSchema = z
  .object({
    id: z.string(),
    related: z.string().optional(),
    resource_name: z.string().optional(),
    api_version: z.string().optional(),
    kind: z.string().optional(),
  })
  .passthrough();

/**
 * How far before a create request an object's `created_at` may lie and the object still count as possibly
 * made by that request: the server's clock, which stamps `created_at`, may run behind ours.
 */
export const CLOCK_SKEW_MS = 60_000;

/** Encodes one path segment (ids come from users and import IDs). */
export const seg = encodeURIComponent;

/** CRNs are compared after URL-decoding: `%3A` and `:` name the same thing. */
export function decodeCrn(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/** A list the API treats as a set: order does not matter. */
export function asSet(v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  return [...v].map((x) => JSON.stringify(x)).sort();
}

/** Only the `id` of a reference matters when comparing (the API fills in kind and api_version). */
export function refId(v: unknown): unknown {
  if (typeof v === "object" && v !== null && "id" in v) return (v as { id: unknown }).id;
  return v;
}

/** Finds the first item of a list endpoint that matches, paging through it at the endpoint's maximum. */
export async function findInList<T>(
  client: ConfluentClient,
  path: string,
  itemSchema: z.ZodType<T, z.ZodTypeDef, unknown>,
  match: (item: T) => boolean,
  options: { query?: Query; pageSize: number },
): Promise<T | undefined> {
  for await (const item of client.paginate(path, {
    query: options.query,
    itemSchema,
    pageSize: options.pageSize,
  })) {
    if (match(item)) return item;
  }
  return undefined;
}

/** Splits `parent/child` import IDs; a bare id gives no parent. */
export function splitImportId(id: string): { parent?: string; id: string } {
  const slash = id.indexOf("/");
  if (slash < 0) return { id };
  return { parent: id.slice(0, slash), id: id.slice(slash + 1) };
}

/** Reads a string at `a.b` of a property bag, if it is one. */
export function stringAt(props: Record<string, unknown>, ...path: string[]): string | undefined {
  let cur: unknown = props;
  for (const p of path) {
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return typeof cur === "string" && cur !== "" ? cur : undefined;
}
