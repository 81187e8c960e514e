/**
 * Every spec's field table checked against the API's own annotations in Confluent's OpenAPI specs (copies of
 * the parts read here are in tests/fixtures/openapi/, see its README.md):
 * - a request member marked `x-immutable` in the create body is a `replace` field;
 * - a member the PATCH (or PUT) of the object's item route accepts is an `update` field, or a `replace` field
 *   whose table entry gives a `replaceReason`; and an `update` field is one the PATCH accepts;
 * - a `readOnly` member (create or update body, or the GET answer) is never an input field.
 * Each spec finds its document by its own item route; members the table does not map are not checked.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { specs, type AnySpec } from "../../provider/specs";
import { ipFilterSpec } from "../../provider/specs/ip-filter";
import { apiKeySpec } from "../../provider/specs/api-key";
import { byokKeySpec } from "../../provider/specs/byok-key";
import { invitationSpec } from "../../provider/specs/invitation";
import { certificateAuthoritySpec } from "../../provider/specs/certificate-authority";
import type { InputField } from "../../provider/fields";
import type { Locator } from "../../provider/spec";

const FIXTURES = path.join(__dirname, "..", "fixtures", "openapi");

/** Specs with no Confluent OpenAPI document, and why. */
const NO_DOCUMENT: Readonly<Record<string, string>> = {
  AzureMarketplaceApiKey:
    "an Azure Resource Manager API (Microsoft.Confluent); no Confluent OpenAPI document describes it",
};

interface Schema {
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  readOnly?: boolean;
  "x-immutable"?: boolean;
}

interface Operation {
  requestBody?: Schema;
  response?: Schema;
}

interface Doc {
  "x-source": string;
  "x-source-date": string;
  paths: Record<string, Partial<Record<"get" | "post" | "patch" | "put" | "delete", Operation>>>;
  components: { schemas: Record<string, Schema> };
}

/**
 * Members newer than the copies, as ../shared/openapi/ADDENDA.md states them (each with its source there):
 * added to the named component schemas of the copy of `file` before any check.
 */
const ADDENDA: readonly {
  file: string;
  schemas: string[];
  member: string;
  schema: Schema;
  source: string;
}[] = [
  {
    file: "certificate-authority_v2.yaml",
    schemas: ["iam.v2.CertificateAuthority", "iam.v2.CreateCertRequest", "iam.v2.UpdateCertRequest"],
    member: "require_crl_on_client_certificate",
    schema: {},
    source: "ccloud-sdk-go-v2 certificate-authority/v2 models (2026-03-03), newer than the 2025-04 YAML",
  },
];

const docs: Doc[] = fs
  .readdirSync(FIXTURES)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => JSON.parse(fs.readFileSync(path.join(FIXTURES, f), "utf8")) as Doc);
for (const a of ADDENDA) {
  const doc = docs.find((d) => d["x-source"] === a.file);
  if (doc === undefined) throw new Error(`ADDENDA: no copy of ${a.file}`);
  for (const name of a.schemas) {
    const target = doc.components.schemas[name];
    if (target === undefined) throw new Error(`ADDENDA: no schema ${name} in the copy of ${a.file}`);
    target.properties = { ...target.properties, [a.member]: a.schema };
  }
}

/** The annotations of one body member (its own, or inherited from an enclosing member). */
interface Flags {
  readOnly: boolean;
  immutable: boolean;
}

function resolve(doc: Doc, schema: Schema): Schema {
  if (schema.$ref === undefined) return schema;
  const name = schema.$ref.split("/").pop() ?? "";
  const target = doc.components.schemas[name];
  if (target === undefined) throw new Error(`${doc["x-source"]}: no schema ${name} in the copy`);
  return resolve(doc, target);
}

/** A schema's own flags and its members, `$ref`, `allOf`, `oneOf` and `anyOf` merged. */
function merged(doc: Doc, schema: Schema): { flags: Flags; properties: Record<string, Schema[]> } {
  const flags: Flags = { readOnly: false, immutable: false };
  const properties: Record<string, Schema[]> = {};
  const visit = (s: Schema): void => {
    const r = resolve(doc, s);
    flags.readOnly ||= s.readOnly === true || r.readOnly === true;
    flags.immutable ||= s["x-immutable"] === true || r["x-immutable"] === true;
    for (const [name, p] of Object.entries(r.properties ?? {})) (properties[name] ??= []).push(p);
    for (const part of [...(r.allOf ?? []), ...(r.oneOf ?? []), ...(r.anyOf ?? [])]) visit(part);
  };
  visit(schema);
  return { flags, properties };
}

/** Every member of a body by its dotted path (`spec.owner`), with its flags (inherited downwards). */
function members(doc: Doc, schema: Schema | undefined): Map<string, Flags> {
  const out = new Map<string, Flags>();
  const walk = (parts: Schema[], prefix: string, inherited: Flags, depth: number): void => {
    if (depth > 6) return;
    const children: Record<string, Schema[]> = {};
    for (const s of parts) {
      for (const [name, ps] of Object.entries(merged(doc, s).properties)) (children[name] ??= []).push(...ps);
    }
    for (const [name, ps] of Object.entries(children)) {
      const at = prefix === "" ? name : `${prefix}.${name}`;
      const flags = { ...inherited };
      for (const p of ps) {
        const f = merged(doc, p).flags;
        flags.readOnly ||= f.readOnly;
        flags.immutable ||= f.immutable;
      }
      out.set(at, flags);
      walk(ps, at, flags, depth + 1);
    }
  };
  if (schema !== undefined) walk([schema], "", { readOnly: false, immutable: false }, 0);
  return out;
}

/** A value whose every member is "x": enough for a `toApi` that merges several members (`api: ""`). */
const PROBE: object = new Proxy({}, { get: (_t, key) => (typeof key === "string" ? "x" : undefined) });

/** The body members a field sets: its `api` path, or the members its `toApi` merges into the body. */
function apiPaths(kind: string, key: string, f: InputField<unknown, unknown>): string[] {
  if (f.api === undefined) return [];
  if (f.api !== "") return [f.api];
  if (!f.toApi) throw new Error(`${kind}.${key}: api "" needs a toApi that returns the body members`);
  return Object.keys(f.toApi(PROBE) as Record<string, unknown>);
}

/** `a` is `b`, or one encloses the other. */
const overlaps = (a: string, b: string): boolean => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

/** `a` is `b` or inside it. */
const within = (a: string, b: string): boolean => a === b || a.startsWith(`${b}.`);

/** Does a document path (`/iam/v2/ip-filters/{id}`) match a concrete one? */
function matches(template: string, concrete: string): boolean {
  const t = template.split("/");
  const c = concrete.split("/");
  return t.length === c.length && t.every((seg, i) => seg === c[i] || /^\{[^}]+\}$/.test(seg));
}

/** A locator that fills every parent any route reads. */
const SAMPLE_LOCATOR = new Proxy<Locator>(
  { id: "ID" },
  {
    get: (t, key) => (typeof key === "string" ? (t[key] ?? "PARENT") : undefined),
  },
);

interface Found {
  doc: Doc;
  item: string;
  collection: string;
}

/** The document and paths of a spec's item route and its collection, or undefined. */
function documentOf(spec: AnySpec): Found | undefined {
  const concrete = spec.itemRoute(SAMPLE_LOCATOR).path;
  for (const doc of docs) {
    const item = Object.keys(doc.paths).find((p) => matches(p, concrete));
    if (item !== undefined) return { doc, item, collection: item.slice(0, item.lastIndexOf("/")) };
  }
  return undefined;
}

const USE_SAYS: Record<string, string> = {
  update: "updates it in place",
  replace: "replaces it",
  provider: "makes it provider-only",
  input: "makes it input-only",
};

/** Every disagreement between a spec's table and its document, as messages naming the fix. */
function problems(spec: AnySpec): string[] {
  const found = documentOf(spec);
  if (found === undefined) {
    return [
      `${spec.kind}: no copy in tests/fixtures/openapi/ has the item route ${spec.itemRoute(SAMPLE_LOCATOR).path}; ` +
        `add its paths to scripts/openapi-subset.py and run it (see tests/fixtures/openapi/README.md)`,
    ];
  }
  const { doc, item, collection } = found;
  const from = `(${doc["x-source"]}, ${doc["x-source-date"]})`;
  const create = doc.paths[collection]?.post?.requestBody;
  const updateMethod = doc.paths[item]?.patch ? "PATCH" : doc.paths[item]?.put ? "PUT" : undefined;
  const update = (doc.paths[item]?.patch ?? doc.paths[item]?.put)?.requestBody;
  const read = doc.paths[item]?.get?.response;
  const createMembers = members(doc, create);
  const updateMembers = members(doc, update);
  const readOnly = [
    ...[...createMembers].map(([p, f]) => [p, f, `POST ${collection}`] as const),
    ...[...updateMembers].map(([p, f]) => [p, f, `${updateMethod} ${item}`] as const),
    // A member the GET answer marks readOnly but the create or update body accepts has a request schema of
    // its own (certificate-authority_v2.yaml: CreateCertRequest takes crl_url, CertificateAuthority marks
    // it readOnly): the request body decides.
    ...[...members(doc, read)]
      .filter(
        ([p]) => ![createMembers.get(p), updateMembers.get(p)].some((f) => f !== undefined && !f.readOnly),
      )
      .map(([p, f]) => [p, f, `GET ${item}`] as const),
  ].filter(([, f]) => f.readOnly);
  const patchable = [...updateMembers].filter(([, f]) => !f.readOnly && !f.immutable).map(([p]) => p);

  const out: string[] = [];
  for (const [key, field] of Object.entries(spec.fields)) {
    const name = `${spec.kind}.${key}`;
    const paths = apiPaths(spec.kind, key, field);
    if (paths.length === 0) continue;
    const shown = paths.join(", ");

    // readOnly: the server sets it; an input there is ignored or refused.
    const ro = readOnly.find(([p]) => paths.some((a) => within(a, p)));
    if (ro !== undefined) {
      out.push(
        `${name}: ${ro[2]} ${from} marks ${ro[0]} readOnly, but the table makes it an input; ` +
          `move it to outputs`,
      );
      continue;
    }

    // x-immutable in the create body: settable on create only.
    const immutable = [...createMembers].find(
      ([p, f]) => f.immutable && !f.readOnly && paths.some((a) => overlaps(a, p)),
    );
    if (immutable !== undefined && field.use !== "replace") {
      out.push(
        `${name}: POST ${collection} ${from} marks ${immutable[0]} x-immutable, but the table ` +
          `${USE_SAYS[field.use]}; make it use: "replace"`,
      );
      continue;
    }

    // The update body: what it accepts is updated in place, or replaced for a stated reason.
    const accepted = updateMethod !== undefined && paths.every((a) => patchable.includes(a));
    if (accepted && field.use !== "update" && !(field.use === "replace" && field.replaceReason)) {
      out.push(
        `${name}: ${updateMethod} ${item} ${from} accepts ${shown}, but the table ${USE_SAYS[field.use]}; ` +
          `make it use: "update", or give a replaceReason`,
      );
    }
    if (!accepted && field.use === "update") {
      out.push(
        updateMethod === undefined
          ? `${name}: ${doc["x-source"]} has no PATCH or PUT at ${item}, but the table updates ${shown} ` +
              `in place; make it use: "replace"`
          : `${name}: ${updateMethod} ${item} ${from} does not accept ${shown}, but the table updates it ` +
              `in place; make it use: "replace"`,
      );
    }
    if (!accepted && field.replaceReason !== undefined) {
      out.push(
        `${name}: has a replaceReason, but ${updateMethod ?? "no PATCH or PUT"} ${item} ${from} does not ` +
          `accept ${shown}; remove the replaceReason`,
      );
    }
  }
  return out;
}

/** A copy of `spec` whose field `key` is changed by `change`. */
function withField(spec: AnySpec, key: string, change: Partial<InputField<unknown, unknown>>): AnySpec {
  const field = spec.fields[key];
  if (field === undefined) throw new Error(`${spec.kind} has no field ${key}`);
  return { ...spec, fields: { ...spec.fields, [key]: { ...field, ...change } } };
}

const checked = specs.filter((s) => NO_DOCUMENT[s.kind] === undefined);

describe("the field tables agree with the OpenAPI annotations", () => {
  test.each(checked.map((s) => [s.kind, s] as const))("%s", (_kind, spec) => {
    expect(problems(spec)).toEqual([]);
  });

  test("every spec finds its document by its item route, except those listed as having none", () => {
    expect(specs.filter((s) => documentOf(s) === undefined).map((s) => s.kind)).toEqual(
      Object.keys(NO_DOCUMENT),
    );
  });

  test("each path is kept in one copy only (the newest document that has it)", () => {
    const all = docs.flatMap((d) => Object.keys(d.paths));
    expect(all.filter((p, i) => all.indexOf(p) !== i)).toEqual([]);
  });
});

describe("the check names the field, the annotation and the fix", () => {
  test("a member only the GET answer has, marked readOnly there, is still no input", () => {
    expect(
      problems(withField(certificateAuthoritySpec as AnySpec, "crlUrl", { api: "fingerprints" })),
    ).toEqual([
      "CertificateAuthority.crlUrl: GET /iam/v2/certificate-authorities/{id} (certificate-authority_v2.yaml, 2025-04) marks fingerprints readOnly, but the table makes it an input; move it to outputs",
    ]);
  });

  test("an IP filter's resource_scope replaced although the 2025 PATCH accepts it (the bug it is for)", () => {
    expect(problems(withField(ipFilterSpec as AnySpec, "resourceScope", { use: "replace" }))).toEqual([
      'IpFilter.resourceScope: PATCH /iam/v2/ip-filters/{id} (iam-ip-filtering_v2.yaml, 2025-01) accepts resource_scope, but the table replaces it; make it use: "update", or give a replaceReason',
    ]);
  });

  test("a replaceReason makes a replaced field the PATCH accepts pass", () => {
    const spec = withField(ipFilterSpec as AnySpec, "resourceScope", {
      use: "replace",
      replaceReason: "the live API refuses resource_scope in a PATCH",
    });
    expect(problems(spec)).toEqual([]);
  });

  test("a replaceReason on a field the PATCH does not accept is stale", () => {
    const spec = withField(apiKeySpec as AnySpec, "owner", { replaceReason: "no reason" });
    expect(problems(spec)).toEqual([
      "ApiKey.owner: has a replaceReason, but PATCH /iam/v2/api-keys/{id} (ccloud-openapi-2023-12.iam-byok.subset.json, 2023-12) does not accept spec.owner; remove the replaceReason",
    ]);
  });

  test("an x-immutable member updated in place", () => {
    expect(problems(withField(apiKeySpec as AnySpec, "owner", { use: "update" }))).toEqual([
      'ApiKey.owner: POST /iam/v2/api-keys (ccloud-openapi-2023-12.iam-byok.subset.json, 2023-12) marks spec.owner x-immutable, but the table updates it in place; make it use: "replace"',
    ]);
    expect(problems(withField(byokKeySpec as AnySpec, "aws", { use: "update" }))).toEqual([
      'ByokKey.aws: POST /byok/v1/keys (byok_v1.yaml, 2025-09) marks key x-immutable, but the table updates it in place; make it use: "replace"',
    ]);
  });

  test("an update field of an object without a PATCH", () => {
    expect(problems(withField(invitationSpec as AnySpec, "authType", { use: "update" }))).toEqual([
      'Invitation.authType: iam_v2.yaml has no PATCH or PUT at /iam/v2/invitations/{id}, but the table updates auth_type in place; make it use: "replace"',
    ]);
  });

  test("a readOnly member as an input", () => {
    expect(problems(withField(apiKeySpec as AnySpec, "displayName", { api: "spec.secret" }))).toEqual([
      "ApiKey.displayName: POST /iam/v2/api-keys (ccloud-openapi-2023-12.iam-byok.subset.json, 2023-12) marks spec.secret readOnly, but the table makes it an input; move it to outputs",
    ]);
  });
});
