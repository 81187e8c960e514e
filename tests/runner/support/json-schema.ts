/**
 * A JSON Schema (draft 2020-12) validator for the subset Pulumi's published deployment schemas use
 * (tests/fixtures/pulumi-schemas: deployments.json, resources.json, property-values.json): boolean schemas,
 * `$id`, `$anchor`, `$ref` (to `#/$defs/…`, to `#anchor`, and to another document's `$id` with or without
 * `#anchor`), `type` (one or a list), `properties`, `additionalProperties`, `required`, `items`, `oneOf`,
 * `not`, `enum`, `const`, `pattern`. `format` and `contentEncoding` are annotations in 2020-12 and are not
 * checked; `title`,
 * `description`, `$comment`, `$schema` are ignored. For the SARIF 2.1.0 schema (draft-04, tests/fixtures/sarif)
 * also: `id` (draft-04's `$id`), `definitions` (a container `$ref` points into), `default` (an annotation),
 * `anyOf`, `minItems`, `uniqueItems`, `minimum`, `maximum`. Any other keyword is an error, so a schema that grows
 * beyond this subset fails loudly instead of passing unchecked. (No validator is a dependency of this
 * package, and none may be added.)
 */
import * as fs from "fs";
import * as path from "path";

type Schema = boolean | Record<string, unknown>;

const IGNORED = new Set([
  "$schema",
  "$id",
  "$anchor",
  "$defs",
  "title",
  "description",
  "$comment",
  "format",
  "contentEncoding",
  "id",
  "definitions",
  "default",
]);
const CHECKED = new Set([
  "$ref",
  "type",
  "properties",
  "additionalProperties",
  "required",
  "items",
  "oneOf",
  "not",
  "enum",
  "const",
  "pattern",
  "anyOf",
  "minItems",
  "uniqueItems",
  "minimum",
  "maximum",
]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function typeMatches(type: string, v: unknown): boolean {
  switch (type) {
    case "null":
      return v === null;
    case "boolean":
      return typeof v === "boolean";
    case "number":
      return typeof v === "number" && Number.isFinite(v);
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "string":
      return typeof v === "string";
    case "array":
      return Array.isArray(v);
    case "object":
      return isObject(v);
    default:
      throw new Error(`json-schema: unknown type ${type}`);
  }
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A set of schema documents, by `$id`. */
export class SchemaSet {
  private readonly docs = new Map<string, Record<string, unknown>>();

  /** Adds every `*.json` schema of `dir`. */
  static fromFolder(dir: string): SchemaSet {
    const set = new SchemaSet();
    for (const f of fs
      .readdirSync(dir)
      .filter((x) => x.endsWith(".json"))
      .sort()) {
      set.add(JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as Record<string, unknown>);
    }
    return set;
  }

  add(doc: Record<string, unknown>): void {
    // draft-04 names the document with `id`, later drafts with `$id`.
    const id = typeof doc.$id === "string" ? doc.$id : typeof doc.id === "string" ? doc.id : undefined;
    if (id === undefined) throw new Error("json-schema: a document without $id");
    this.docs.set(id, doc);
  }

  /** The errors of `value` against the document `id` (empty when valid). */
  validate(id: string, value: unknown): string[] {
    const doc = this.docs.get(id);
    if (!doc) throw new Error(`json-schema: no document ${id}`);
    const errors: string[] = [];
    this.check(doc, value, doc, "$", errors);
    return errors;
  }

  private resolve(
    ref: string,
    doc: Record<string, unknown>,
  ): { schema: Schema; doc: Record<string, unknown> } {
    const hash = ref.indexOf("#");
    const base = hash < 0 ? ref : ref.slice(0, hash);
    const fragment = hash < 0 ? "" : ref.slice(hash + 1);
    const target = base === "" ? doc : this.docs.get(base);
    if (!target) throw new Error(`json-schema: $ref to an unknown document ${base}`);
    if (fragment === "") return { schema: target, doc: target };
    if (fragment.startsWith("/")) {
      let node: unknown = target;
      for (const part of fragment.slice(1).split("/")) {
        node = isObject(node) ? node[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
      }
      if (node === undefined) throw new Error(`json-schema: $ref ${ref} points nowhere`);
      return { schema: node as Schema, doc: target };
    }
    const found = findAnchor(target, fragment);
    if (!found) throw new Error(`json-schema: no $anchor ${fragment} in ${String(target.$id)}`);
    return { schema: found, doc: target };
  }

  private check(
    schema: Schema,
    v: unknown,
    doc: Record<string, unknown>,
    at: string,
    errors: string[],
  ): void {
    if (schema === true) return;
    if (schema === false) {
      errors.push(`${at}: not allowed`);
      return;
    }
    for (const k of Object.keys(schema)) {
      if (!IGNORED.has(k) && !CHECKED.has(k)) throw new Error(`json-schema: keyword ${k} is not supported`);
    }
    if (typeof schema.$ref === "string") {
      const r = this.resolve(schema.$ref, doc);
      this.check(r.schema, v, r.doc, at, errors);
    }
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
      if (!types.some((t) => typeMatches(t, v))) {
        errors.push(`${at}: expected ${types.join(" or ")}`);
        return;
      }
    }
    if ("const" in schema && !equal(schema.const, v))
      errors.push(`${at}: expected ${JSON.stringify(schema.const)}`);
    if (
      typeof schema.pattern === "string" &&
      typeof v === "string" &&
      !new RegExp(schema.pattern, "u").test(v)
    ) {
      errors.push(`${at}: does not match ${schema.pattern}`);
    }
    if (Array.isArray(schema.enum) && !schema.enum.some((e) => equal(e, v))) {
      errors.push(`${at}: expected one of ${JSON.stringify(schema.enum)}`);
    }
    if (isObject(v)) {
      const props = isObject(schema.properties) ? (schema.properties as Record<string, Schema>) : {};
      for (const req of (schema.required as string[] | undefined) ?? []) {
        if (!(req in v)) errors.push(`${at}: ${req} is required`);
      }
      for (const [k, x] of Object.entries(v)) {
        if (k in props) this.check(props[k] as Schema, x, doc, `${at}.${k}`, errors);
        else if (schema.additionalProperties !== undefined) {
          this.check(schema.additionalProperties as Schema, x, doc, `${at}.${k}`, errors);
        }
      }
    }
    if (Array.isArray(v) && schema.items !== undefined) {
      v.forEach((x, i) => this.check(schema.items as Schema, x, doc, `${at}[${i}]`, errors));
    }
    if (Array.isArray(v) && typeof schema.minItems === "number" && v.length < schema.minItems)
      errors.push(`${at}: expected at least ${schema.minItems} items, got ${v.length}`);
    if (Array.isArray(v) && schema.uniqueItems === true) {
      const seen = new Set<string>();
      v.forEach((x, i) => {
        const key = JSON.stringify(x);
        if (seen.has(key)) errors.push(`${at}[${i}]: repeats an earlier item (uniqueItems)`);
        seen.add(key);
      });
    }
    if (typeof v === "number" && typeof schema.minimum === "number" && v < schema.minimum)
      errors.push(`${at}: expected at least ${schema.minimum}, got ${v}`);
    if (typeof v === "number" && typeof schema.maximum === "number" && v > schema.maximum)
      errors.push(`${at}: expected at most ${schema.maximum}, got ${v}`);
    if (Array.isArray(schema.anyOf)) {
      const results = (schema.anyOf as Schema[]).map((s) => {
        const e: string[] = [];
        this.check(s, v, doc, at, e);
        return e;
      });
      if (!results.some((e) => e.length === 0))
        errors.push(`${at}: must match one of anyOf (${results.map((e) => e[0]).join(" | ")})`);
    }
    if (Array.isArray(schema.oneOf)) {
      const results = (schema.oneOf as Schema[]).map((s) => {
        const e: string[] = [];
        this.check(s, v, doc, at, e);
        return e;
      });
      const matched = results.filter((e) => e.length === 0).length;
      if (matched !== 1) {
        const why = matched === 0 ? results.map((e) => e[0]).join(" | ") : `${matched} match`;
        errors.push(`${at}: must match exactly one of oneOf (${why})`);
      }
    }
    if (schema.not !== undefined) {
      const e: string[] = [];
      this.check(schema.not as Schema, v, doc, at, e);
      if (e.length === 0) errors.push(`${at}: must not match ${JSON.stringify(schema.not)}`);
    }
  }
}

function findAnchor(node: unknown, name: string): Schema | undefined {
  if (Array.isArray(node)) {
    for (const x of node) {
      const f = findAnchor(x, name);
      if (f !== undefined) return f;
    }
    return undefined;
  }
  if (!isObject(node)) return undefined;
  if (node.$anchor === name) return node;
  for (const x of Object.values(node)) {
    const f = findAnchor(x, name);
    if (f !== undefined) return f;
  }
  return undefined;
}

/** The SARIF 2.1.0 schema (copy: tests/fixtures/sarif/README.md) and its `id`. */
export const SARIF_SCHEMA_FILE = path.resolve(
  __dirname,
  "..",
  "..",
  "fixtures",
  "sarif",
  "sarif-schema-2.1.0.json",
);
export const SARIF_ID =
  "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/** Pulumi's deployment schemas (copies: tests/fixtures/pulumi-schemas/README.md). */
export const PULUMI_SCHEMAS_DIR = path.resolve(__dirname, "..", "..", "fixtures", "pulumi-schemas");
/** The `$id` of deployments.json. */
export const DEPLOYMENTS_ID =
  "https://github.com/pulumi/pulumi/blob/master/sdk/go/common/apitype/deployments.json";
