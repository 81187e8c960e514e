/** Pieces several specs share: response metadata, reference shapes, list lookups, normalizers. */
import { z } from "zod";
import type { ConfluentClient } from "../client";
import type { Locator, Query } from "../spec";

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
 * Encodes one path segment (ids come from users and import IDs). `.` and `..` are refused: encoding leaves
 * them as they are, and a proxy or server that normalizes paths would send the request elsewhere. Check
 * refuses them first, naming the field; this is the last guard for values that bypass check (import IDs,
 * stored state).
 */
export function seg(value: string): string {
  if (value === "." || value === "..") {
    throw new Error(
      `Refusing to send ${JSON.stringify(value)} as an id in a request path: an id is never "." or "..". ` +
        `Fix the id in the program (or the import ID).`,
    );
  }
  return encodeURIComponent(value);
}

/** The id formats the API uses, each with an example for messages. */
export const ID_FORMATS = {
  /** Service account, user or identity pool: the principals that own API keys. */
  owner: { pattern: /^(sa|u|pool)-[A-Za-z0-9]+$/, example: "sa-abc123 (or u-…, pool-…)" },
  environment: { pattern: /^env-[A-Za-z0-9]+$/, example: "env-abc123" },
  identityProvider: { pattern: /^op-[A-Za-z0-9]+$/, example: "op-abc123" },
  ipGroup: { pattern: /^ipg-[A-Za-z0-9]+$/, example: "ipg-abc123" },
  /** What an API key is for: a cluster (lkc-…, lsrc-…), a region (aws.us-east-1), global, tableflow. */
  resource: { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*$/, example: "lkc-abc123" },
} as const;

/** A string input holding an id of the given format; the message says what an id looks like. */
export function idInput(format: keyof typeof ID_FORMATS): z.ZodString {
  const { pattern, example } = ID_FORMATS[format];
  return z.string().regex(pattern, { message: `must be an id such as ${example}; fix it` });
}

/** C0 and C1 control characters, and DEL. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** A name's allowed characters, where the API documents them. */
export interface NameRule {
  pattern: RegExp;
  /** The allowed characters in words, for messages. */
  allowed: string;
}

/**
 * IP group and IP filter names (iam-ip-filtering_v2.yaml): any Unicode letter or number, the ASCII space,
 * and `[ ] | & + - _ / . ,`.
 */
export const IP_FILTERING_NAME: NameRule = {
  pattern: /^[\p{L}\p{N} [\]|&+\-_/.,]*$/u,
  allowed: "letters, digits, spaces and the characters [ ] | & + - _ / . ,",
};

function checkName(value: string, ctx: z.RefinementCtx, rule: NameRule | undefined): void {
  const control = CONTROL_CHARACTER.exec(value);
  if (control) {
    const code = `\\u${(control[0].codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`;
    ctx.addIssue({
      code: "custom",
      message: `must not contain control characters (found "${code}" at position ${control.index}); remove it`,
    });
  } else if (value !== "" && value.trim() === "") {
    ctx.addIssue({ code: "custom", message: "must not be blank; use a name with visible characters" });
  } else if (rule && !rule.pattern.test(value)) {
    ctx.addIssue({
      code: "custom",
      message: `may contain only ${rule.allowed} (got ${JSON.stringify(value)}); remove the other characters`,
    });
  }
}

/** A required name: not empty, not blank, no control characters, at most `max`, and the API's rule. */
export function nameInput(options: { max?: number; rule?: NameRule } = {}) {
  const base = z.string().min(1);
  return (options.max === undefined ? base : base.max(options.max)).superRefine((v, ctx) =>
    checkName(v, ctx, options.rule),
  );
}

/**
 * An optional name whose default is "" (API keys, BYOK keys): empty is allowed, blank and control
 * characters are not.
 */
export function optionalNameInput(options: { max?: number } = {}) {
  const base = options.max === undefined ? z.string() : z.string().max(options.max);
  return base.superRefine((v, ctx) => checkName(v, ctx, undefined)).optional();
}

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

/**
 * Where an object that lives under a parent is (a pool under its identity provider or certificate authority,
 * an integration in its environment): its id, and the parent from a composite import ID (`parent/child`) or
 * from the stored inputs at `<input>.id`. Without either it fails with `Cannot find <noun> <id>: <missing>.
 * <hint>`.
 */
export function locateUnder(o: {
  noun: string;
  /** The input holding `{ id }` of the parent, which is also the locator's member. */
  input: string;
  /** Why the parent is needed: `its identity provider is not known`. */
  missing: string;
  /** How to write the import ID. */
  hint: string;
}): (id: string, props: Record<string, unknown>) => Locator {
  return (id, props) => {
    const parts = splitImportId(id);
    const parent = parts.parent ?? stringAt(props, o.input, "id");
    if (parent === undefined) throw new Error(`Cannot find ${o.noun} ${parts.id}: ${o.missing}. ${o.hint}`);
    return { id: parts.id, [o.input]: parent };
  };
}

/**
 * A CEL `filter` (identity pools, SSO group mappings, certificate pools): not empty, and no length limit
 * here. The specs' `maxLength: 300` is a per-organization server limit that Confluent raises on request
 * (ADDENDA.md; terraform-provider-confluent #1126 removed its own check), so the server judges the length and
 * its 400 reaches the user.
 */
export function filterInput() {
  return z.string().min(1);
}
