import { z } from "zod";
import type { Ctx } from "./context";
import { invalidField } from "./errors";

/**
 * Parses a request body with a zod schema; the first problem becomes a 422 (400 where the spec has no 422)
 * whose `source.pointer` names the field (`/spec/owner/id`). Unknown fields are dropped (zod's default), as
 * the API's MUST IGNORE rule asks.
 */
export function parseBody<T extends z.ZodTypeAny>(
  schema: T,
  body: unknown,
  prefix = "",
  status: 400 | 422 = 422,
): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data as z.infer<T>;
  const issue = result.error.issues[0];
  const path = issue?.path ?? [];
  const pointer = prefix + "/" + path.join("/");
  const field = [prefix.replace(/^\//, "").replace(/\//g, "."), path.join(".")].filter(Boolean).join(".");
  let detail = issue?.message ?? "invalid request body";
  if (issue?.code === "invalid_type" && issue.received === "undefined") detail = `${field} is required`;
  else if (issue?.code === "invalid_type") detail = `${field} must be a ${issue.expected}`;
  else if (field && !detail.startsWith(field)) detail = `${field}: ${detail}`;
  throw invalidField(pointer === "/" ? "" : pointer, detail, status);
}

/** A required, non-empty string. */
export const requiredString = z.string().min(1, "must not be empty");

/** A field that must look like a CRN. */
export const crnString = z.string().regex(/^crn:\/\/.+$/, "must match ^crn://.+$");

/**
 * A `filter` (identity pools, SSO group mappings, certificate pools) longer than the organization's limit
 * (`--filter-max-length`, default 300, the specs' `maxLength`): 400 in the standard envelope. The limit is
 * per organization and raised on request, so it is checked here, not in the body schemas.
 */
export function checkFilterLength(ctx: Ctx, filter: string | undefined): void {
  const max = ctx.env.filterMaxLength;
  if (filter === undefined || filter.length <= max) return;
  throw invalidField(
    "/filter",
    `filter must be at most ${max} characters (got ${filter.length}); this limit is set per organization`,
    400,
  );
}
