/**
 * Field tables (provider/fields.ts): what `defineSpec` derives from a small table, and that the table is
 * typed by the input's own keys.
 */
import { z } from "zod";
import { defineSpec, getPath, setPath, type FieldTable, type SpecDefinition } from "../../provider/fields";
import { asSet } from "../../provider/specs/common";
import { changedFields, withoutStaleWriteOnly } from "../../provider/compare";

const inputs = z.object({
  name: z.string(),
  note: z.string().optional(),
  parent: z.object({ id: z.string() }),
  tags: z.array(z.string()).optional(),
  wait: z.boolean().optional(),
  token: z.string().optional(),
});
type Inputs = z.infer<typeof inputs>;

const response = z
  .object({
    id: z.string(),
    spec: z.object({
      display_name: z.string(),
      note: z.string().optional(),
      parent: z.object({ id: z.string(), kind: z.string() }),
      tags: z.array(z.string()).nullable().optional(),
      secret: z.string().optional(),
    }),
    state: z.string().optional(),
  })
  .passthrough();
type Response = z.infer<typeof response>;

const fields: FieldTable<Inputs, Response> = {
  name: { use: "update", api: "spec.display_name" },
  note: { use: "update", api: "spec.note", default: "", sendDefault: true, absent: "" },
  parent: {
    use: "replace",
    api: "spec.parent",
    toApi: (p) => ({ id: p.id, kind: "Parent" }),
    fromApi: (b) => ({ id: b.spec.parent.id }),
  },
  tags: { use: "update", api: "spec.tags", serverDefaulted: true, normalize: asSet },
  wait: { use: "provider", default: false },
  token: { use: "input", secret: true },
};

const definition: SpecDefinition<Inputs, Response> = {
  kind: "Thing",
  noun: "thing",
  importIdFormat: "t-…",
  inputs,
  response,
  goneStatuses: [404],
  readPermissionHint: "Grant it.",
  path: "/things/v1/things",
  patch: true,
  fields,
  outputs: {
    state: { api: "state" },
    secret: { api: "spec.secret", absent: "", secret: true },
    progress: {},
  },
};
const spec = defineSpec(definition);

const body: Response = response.parse({
  id: "t-1",
  spec: { display_name: "a", parent: { id: "p-1", kind: "Parent" }, tags: ["y", "x"], secret: "s3" },
  state: "READY",
});

describe("defineSpec derives from the field table", () => {
  it("the compared lists, defaults, normalizers and secret outputs", () => {
    expect(spec.updateInPlace).toEqual(["name", "note", "tags"]);
    expect(spec.replaceOnChange).toEqual(["parent"]);
    expect(spec.providerOnly).toEqual(["wait"]);
    expect(spec.inputOnly).toEqual(["token"]);
    expect(spec.serverDefaulted).toEqual(["tags"]);
    expect(spec.defaults).toEqual({ note: "", wait: false });
    expect(Object.keys(spec.normalize ?? {})).toEqual(["tags"]);
    // An input-only secret is never an output, so it is not a secret output either.
    expect(spec.secretOutputs).toEqual(["secret"]);
    expect(spec.outputKeys).toEqual([
      "name",
      "note",
      "parent",
      "tags",
      "wait",
      "state",
      "secret",
      "progress",
    ]);
  });

  it("lists follow the input schema's order, whatever the table's order", () => {
    const reordered = defineSpec({
      ...definition,
      fields: {
        tags: fields.tags,
        token: fields.token,
        wait: fields.wait,
        parent: fields.parent,
        note: fields.note,
        name: fields.name,
      },
    });
    expect(reordered.updateInPlace).toEqual(["name", "note", "tags"]);
    expect(reordered.outputKeys).toEqual(spec.outputKeys);
  });

  it("the create body: api paths, conversions, sent defaults; no provider-only or input-only field", () => {
    const req = spec.createRequest({ name: "a", parent: { id: "p-1" }, wait: true, token: "t0k" });
    expect(req).toEqual({
      path: "/things/v1/things",
      body: { spec: { display_name: "a", note: "", parent: { id: "p-1", kind: "Parent" } } },
    });
    expect(JSON.stringify(req.body)).toBe(
      '{"spec":{"display_name":"a","note":"","parent":{"id":"p-1","kind":"Parent"}}}',
    );
  });

  it("put: the PUT body carries every update field (the inputs, a changed one as changed, a left-out one at its default)", () => {
    const putSpec = defineSpec({ ...definition, patch: undefined, put: true });
    const update = putSpec.updateRequest;
    if (update === undefined) throw new Error("put: true derives updateRequest");
    const i: Inputs = { name: "b", parent: { id: "p-1" }, tags: ["x"] };
    expect(update({ id: "t-1" }, { tags: ["x"] }, i)).toEqual({
      path: "/things/v1/things/t-1",
      method: "PUT",
      body: { spec: { display_name: "b", note: "", tags: ["x"] } },
    });
    expect(() => defineSpec({ ...definition, put: true })).toThrow(
      "Thing: a spec has either `patch` or `put`, not both",
    );
  });

  it("writeOnly: an input the API never answers is compared through its output where the outputs lack it", () => {
    const same = (input: unknown, output: unknown) => `fp(${String(input)})` === output;
    const woSpec = defineSpec({
      ...definition,
      fields: { ...fields, note: { use: "update", api: "spec.note", writeOnly: { output: "state", same } } },
    });
    expect(woSpec.writeOnly).toEqual({ note: { output: "state", same } });
    // After an import the outputs have no note: the output decides.
    expect(changedFields({ state: "fp(n1)" }, { note: "n1" }, ["note"], woSpec)).toEqual([]);
    expect(changedFields({ state: "fp(n1)" }, { note: "n2" }, ["note"], woSpec)).toEqual(["note"]);
    // With the note in the outputs, it is compared as any field.
    expect(changedFields({ note: "n1", state: "other" }, { note: "n1" }, ["note"], woSpec)).toEqual([]);
    // A refresh that finds the output changed drops the stale input, so the next diff sees the change.
    expect(withoutStaleWriteOnly({ note: "n1", state: "fp(n2)" }, woSpec)).toEqual({ state: "fp(n2)" });
    expect(withoutStaleWriteOnly({ note: "n1", state: "fp(n1)" }, woSpec)).toEqual({
      note: "n1",
      state: "fp(n1)",
    });
  });

  it("the PATCH body carries only the changed update fields, at the item route", () => {
    const update = spec.updateRequest;
    if (update === undefined) throw new Error("patch: true derives updateRequest");
    const i: Inputs = { name: "b", parent: { id: "p-1" }, tags: ["x"] };
    expect(update({ id: "t 1" }, { tags: ["x"] }, i)).toEqual({
      path: "/things/v1/things/t%201",
      body: { spec: { tags: ["x"] } },
    });
    expect(JSON.stringify(update({ id: "t-1" }, { name: "b", note: "" }, i).body)).toBe(
      '{"spec":{"display_name":"b","note":""}}',
    );
  });

  it("no updateRequest without a PATCH", () => {
    expect(defineSpec({ ...definition, patch: false }).updateRequest).toBeUndefined();
  });

  it("routes from the collection path", () => {
    expect(spec.itemRoute({ id: "t-1" })).toEqual({ path: "/things/v1/things/t-1" });
    expect(spec.listRoute({ id: "t-1" })).toEqual({ path: "/things/v1/things" });
    expect(spec.locate("t-1", {})).toEqual({ id: "t-1" });
    expect(spec.idOf(body)).toBe("t-1");
  });

  it("outputs: paths, conversions, values for absent fields; hook-set and non-API fields left out", () => {
    const outs = spec.toOutputs(body);
    expect(outs).toStrictEqual({
      name: "a",
      note: "",
      parent: { id: "p-1" },
      tags: ["y", "x"],
      state: "READY",
      secret: "s3",
    });
    // A field the response leaves out is present and undefined (the adapter then drops the stale output).
    const bare = spec.toOutputs(
      response.parse({ id: "t-1", spec: { display_name: "a", parent: { id: "p", kind: "Parent" } } }),
    );
    expect(Object.keys(bare)).toEqual(["name", "note", "parent", "tags", "state", "secret"]);
    expect(bare.tags).toBeUndefined();
    expect(bare.secret).toBe("");
  });

  it("keepWhenAbsent leaves an output out instead of unsetting it", () => {
    const kept = defineSpec({
      ...definition,
      fields: { ...fields, tags: { ...fields.tags, keepWhenAbsent: true } },
    });
    const outs = kept.toOutputs(
      response.parse({ id: "t-1", spec: { display_name: "a", parent: { id: "p", kind: "Parent" } } }),
    );
    expect(outs).not.toHaveProperty("tags");
    expect(kept.toOutputs(body).tags).toEqual(["y", "x"]);
  });

  it("a spec without a path and without routes says so when a route is needed", () => {
    const routeless = defineSpec({ ...definition, path: undefined });
    expect(() => routeless.itemRoute({ id: "t-1" })).toThrow(
      "Thing: a spec without `path` must give its routes",
    );
  });

  it("the table is typed by the input's own keys", () => {
    const misspelt: FieldTable<Inputs, Response> = {
      ...fields,
      // @ts-expect-error a key the input does not have is a compile error
      nmae: { use: "update", api: "spec.display_name" },
    };
    // @ts-expect-error a missing input key is a compile error
    const missing: FieldTable<Inputs, Response> = { name: fields.name };
    expect(Object.keys(misspelt)).toContain("nmae");
    expect(Object.keys(missing)).toEqual(["name"]);
  });
});

describe("body paths", () => {
  it("setPath makes the parents, leaves undefined members out and merges at the root", () => {
    const o: Record<string, unknown> = {};
    setPath(o, "spec.owner.id", "u-1");
    setPath(o, "spec.resource", undefined);
    setPath(o, "key", { kind: "A" });
    setPath(o, "key", undefined);
    setPath(o, "", { provider: "AWS", config: { k: 1 } });
    expect(o).toStrictEqual({
      spec: { owner: { id: "u-1" } },
      key: { kind: "A" },
      provider: "AWS",
      config: { k: 1 },
    });
  });

  it("getPath reads a dotted path and stops at a non-object", () => {
    expect(getPath({ a: { b: { c: 1 } } }, "a.b.c")).toBe(1);
    expect(getPath({ a: "x" }, "a.b")).toBeUndefined();
    expect(getPath({ a: 1 }, undefined)).toEqual({ a: 1 });
  });
});
