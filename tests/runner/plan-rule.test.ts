import fc from "fast-check";
import type { PropertyMap } from "../../protocol";
import { deletesObject, planDelete, planStep, type DeleteInput, type PlanInput } from "../../runner/plan";

// The rule behind each step, as a table: the situation, and the operation (with what it shows) it implies.
const saved = { name: "a", description: "old" };
const base: PlanInput = {
  diff: { changes: true, replaces: [], deleteBeforeReplace: false },
  oldInputs: saved,
  oldOutputs: { ...saved, id: "sa-1" },
  news: { ...saved, description: "new" },
  replaceOnChanges: [],
  deleteBeforeReplace: false,
  initFailed: false,
};
const same: Partial<PlanInput> = { diff: { ...base.diff, changes: false }, news: saved };

describe("planStep, as a table", () => {
  it.each<[string, Partial<PlanInput>, ReturnType<typeof planStep>]>([
    ["no change", same, { op: "same", diffs: [], replaces: [], deleteFirst: false }],
    [
      "no change, even with replaceOnChanges *, protect and deleteBeforeReplace",
      { ...same, replaceOnChanges: ["*"], protect: true, deleteBeforeReplace: true },
      { op: "same", diffs: [], replaces: [], deleteFirst: false },
    ],
    [
      "no change after a failed initialization",
      { ...same, initFailed: true },
      { op: "update", diffs: [], replaces: [], deleteFirst: false },
    ],
    ["a changed input", {}, { op: "update", diffs: ["~description"], replaces: [], deleteFirst: false }],
    [
      "a changed input replaceOnChanges does not name",
      { replaceOnChanges: ["name"] },
      { op: "update", diffs: ["~description"], replaces: [], deleteFirst: false },
    ],
    [
      "a changed input replaceOnChanges names",
      { replaceOnChanges: ["description"] },
      { op: "replace", diffs: ["~description"], replaces: ["description"], deleteFirst: false },
    ],
    [
      "replaceOnChanges *",
      { replaceOnChanges: ["*"], news: { name: "b", description: "new", extra: 1 } },
      {
        op: "replace",
        diffs: ["~description", "+extra", "~name"],
        replaces: ["description", "extra", "name"],
        deleteFirst: false,
      },
    ],
    [
      "a replace the provider asks for, with the provider's deleteBeforeReplace",
      { diff: { changes: true, replaces: ["name"], deleteBeforeReplace: true } },
      { op: "replace", diffs: ["~description"], replaces: ["name"], deleteFirst: true },
    ],
    [
      "the provider's replace keys joined with replaceOnChanges, sorted, once each",
      {
        diff: { changes: true, replaces: ["name", "description"], deleteBeforeReplace: false },
        replaceOnChanges: ["description"],
      },
      { op: "replace", diffs: ["~description"], replaces: ["description", "name"], deleteFirst: false },
    ],
    [
      "the deleteBeforeReplace option",
      { replaceOnChanges: ["description"], deleteBeforeReplace: true },
      { op: "replace", diffs: ["~description"], replaces: ["description"], deleteFirst: true },
    ],
    [
      "a removed input",
      { news: { name: "a" } },
      { op: "update", diffs: ["-description"], replaces: [], deleteFirst: false },
    ],
    [
      "drift found by a refresh: same inputs, a change the provider saw",
      { news: saved, oldOutputs: { name: "a", description: "changed by hand", id: "sa-1" } },
      { op: "update", diffs: ["~description"], replaces: [], deleteFirst: false },
    ],
    [
      "drift on a replaceOnChanges input",
      {
        news: saved,
        oldOutputs: { name: "a", description: "changed by hand" },
        replaceOnChanges: ["description"],
      },
      { op: "replace", diffs: ["~description"], replaces: ["description"], deleteFirst: false },
    ],
    [
      "the provider could not tell, and the inputs are the same",
      { diff: { ...base.diff, changes: undefined }, news: saved },
      { op: "same", diffs: [], replaces: [], deleteFirst: false },
    ],
    [
      "the provider could not tell, and an input changed",
      { diff: { ...base.diff, changes: undefined } },
      { op: "update", diffs: ["~description"], replaces: [], deleteFirst: false },
    ],
    [
      "a protected resource is updated in place",
      { protect: true, name: "sa" },
      { op: "update", diffs: ["~description"], replaces: [], deleteFirst: false },
    ],
    [
      "a protected resource is not replaced",
      { protect: true, name: "sa", replaceOnChanges: ["description"] },
      {
        op: "replace",
        diffs: ["~description"],
        replaces: ["description"],
        deleteFirst: false,
        refusal:
          "sa is protected and a change to description would replace it; remove protect from its options " +
          "first (an up with protect removed changes nothing else)",
      },
    ],
  ])("%s", (_what, over, expected) => {
    expect(planStep({ ...base, ...over })).toStrictEqual(expected);
  });

  it("the serialized provider is never a change", () => {
    expect(
      planStep({
        ...base,
        diff: { ...base.diff, changes: undefined },
        oldInputs: { ...saved, __provider: "old text" },
        news: { ...saved, __provider: "new text" },
        replaceOnChanges: ["*"],
      }).op,
    ).toBe("same");
  });
});

// Random flat input maps over a few keys, so that old and new often share keys and values.
const key = fc.constantFrom("name", "description", "owner", "scope", "tags");
const val = fc.oneof(fc.constantFrom("a", "b", ""), fc.integer({ min: 0, max: 2 }), fc.boolean());
const props = fc.dictionary(key, val, { maxKeys: 5 }) as fc.Arbitrary<PropertyMap>;
const input: fc.Arbitrary<PlanInput> = fc.record({
  diff: fc.record({
    changes: fc.constantFrom(true, false, undefined),
    replaces: fc.subarray(["name", "description", "owner"]),
    deleteBeforeReplace: fc.boolean(),
  }),
  oldInputs: props,
  oldOutputs: props,
  news: props,
  replaceOnChanges: fc.subarray(["name", "description", "owner", "scope", "*"]),
  deleteBeforeReplace: fc.boolean(),
  initFailed: fc.boolean(),
  protect: fc.boolean(),
  name: fc.constant("r"),
});

describe("planStep properties", () => {
  it("`*` in replaceOnChanges turns every update into a replace", () => {
    fc.assert(
      fc.property(input, (p) => {
        const starred = planStep({ ...p, replaceOnChanges: [...p.replaceOnChanges, "*"] });
        if (planStep(p).op === "update" && planStep(p).diffs.length > 0) expect(starred.op).toBe("replace");
        // And it replaces on exactly the changed keys, with the provider's own.
        if (starred.op === "replace") {
          const changed = starred.diffs.map((d) => d.slice(1));
          expect(starred.replaces).toEqual([...new Set([...changed, ...p.diff.replaces])].sort());
        }
      }),
      { numRuns: 500 },
    );
  });

  it("no diff never yields a write (only finishing a failed initialization does)", () => {
    fc.assert(
      fc.property(input, (p) => {
        const noDiff = planStep({ ...p, diff: { ...p.diff, changes: false } });
        expect(noDiff.op).toBe(p.initFailed ? "update" : "same");
        expect(noDiff.diffs).toEqual([]);
        // The provider could not tell and the inputs are equal: the same.
        const unknown = planStep({ ...p, diff: { ...p.diff, changes: undefined }, news: p.oldInputs });
        expect(unknown.op).toBe(p.initFailed ? "update" : "same");
      }),
      { numRuns: 500 },
    );
  });

  it("replaces are named only by a replace, deleteFirst and refusal only come with a replace", () => {
    fc.assert(
      fc.property(input, (p) => {
        const r = planStep(p);
        if (r.op !== "replace") {
          expect(r).toStrictEqual({ op: r.op, diffs: r.diffs, replaces: [], deleteFirst: false });
        } else {
          expect(r.replaces.length).toBeGreaterThan(0);
          expect(r.deleteFirst).toBe(p.diff.deleteBeforeReplace || p.deleteBeforeReplace);
          expect(r.refusal !== undefined).toBe(p.protect === true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("without replace keys from the provider or the options, a change is an update", () => {
    fc.assert(
      fc.property(input, (p) => {
        const r = planStep({ ...p, diff: { ...p.diff, replaces: [] }, replaceOnChanges: [] });
        expect(r.op).not.toBe("replace");
      }),
      { numRuns: 300 },
    );
  });
});

const entry: DeleteInput["entry"] = { name: "sa", id: "sa-1" };
const del = (over: Partial<DeleteInput["entry"]>, rest: Partial<Omit<DeleteInput, "entry">> = {}) =>
  planDelete({ entry: { ...entry, ...over }, dependentsGone: true, preview: false, ...rest });

describe("planDelete, as a table", () => {
  const protectedError =
    "sa is protected, so it was not deleted; remove protect from its options and run up, then delete it";
  const dependentError = "not deleted: a resource that depends on it could not be deleted";
  it.each<[string, ReturnType<typeof planDelete>, ReturnType<typeof planDelete>]>([
    ["an object", del({}), { action: "delete", callProvider: true, quiet: false }],
    [
      "a retained object: dropped from state, left in place",
      del({ retainOnDelete: true }),
      { action: "delete", callProvider: false, note: "retained: the object is left in place", quiet: false },
    ],
    [
      "a component (retained or not): no object, no note",
      del({ component: true, id: "", retainOnDelete: true }),
      { action: "delete", callProvider: false, quiet: false },
    ],
    ["an entry without an object", del({ id: "" }), { action: "delete", callProvider: false, quiet: false }],
    [
      "the old copy of a replaced resource: deleted without a line of its own",
      del({ pendingDelete: true }),
      { action: "delete", callProvider: true, quiet: true },
    ],
    [
      "a protected object",
      del({ protect: true }),
      { action: "refuse", error: protectedError, blockedByDependent: false },
    ],
    [
      "a dependent that could not be deleted wins over protect",
      del({ protect: true }, { dependentsGone: false }),
      { action: "refuse", error: dependentError, blockedByDependent: true },
    ],
    [
      "a dependent that could not be deleted, for the old copy of a replaced resource",
      del({ pendingDelete: true }, { dependentsGone: false }),
      { action: "refuse", error: dependentError, blockedByDependent: true },
    ],
    ["preview: shown", del({}, { preview: true }), { action: "show" }],
    [
      "preview: a protected object is shown too",
      del({ protect: true }, { preview: true }),
      { action: "show" },
    ],
    [
      "preview: the old copy of a replaced resource is not shown again",
      del({ pendingDelete: true }, { preview: true, dependentsGone: false }),
      { action: "skip" },
    ],
  ])("%s", (_what, actual, expected) => {
    expect(actual).toStrictEqual(expected);
  });

  it("deletesObject: only an entry with an object of its own that is not retained", () => {
    expect(deletesObject({ id: "x" })).toBe(true);
    expect(deletesObject({ id: "" })).toBe(false);
    expect(deletesObject({ id: "x", component: true })).toBe(false);
    expect(deletesObject({ id: "x", retainOnDelete: true })).toBe(false);
  });

  it("a preview never deletes and up never calls the provider for what it must not delete", () => {
    const flags = fc.record({
      id: fc.constantFrom("", "x"),
      component: fc.boolean(),
      protect: fc.boolean(),
      retainOnDelete: fc.boolean(),
      pendingDelete: fc.boolean(),
    });
    fc.assert(
      fc.property(flags, fc.boolean(), fc.boolean(), (f, preview, dependentsGone) => {
        const plan = planDelete({ entry: { name: "r", ...f }, preview, dependentsGone });
        if (preview) expect(plan.action).not.toBe("delete");
        if (plan.action === "delete") {
          expect(f.protect).toBe(false);
          expect(dependentsGone).toBe(true);
          expect(plan.callProvider).toBe(f.id !== "" && !f.component && !f.retainOnDelete);
        }
      }),
      { numRuns: 300 },
    );
  });
});
