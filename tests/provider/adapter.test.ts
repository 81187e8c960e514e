/**
 * The adapter's pure decisions, tested directly (provider/adapter.ts): the input schema with `importId`,
 * which check failures a preview's unknowns hide, the parse every operation starts with, and what a diff
 * implies (update in place, replace, or nothing).
 */
import fc from "fast-check";
import { z } from "zod";
import { MAX_INPUT_CHARS, checkFailures, diffOf, inputSchema, parseWire } from "../../provider/adapter";
import { IMPORT_ID } from "../../protocol";
import type { Spec } from "../../provider/spec";
import { serviceAccountSpec } from "../../provider/specs/service-account";
import { secretWire, UNKNOWN_VALUE, type PropertyMap } from "../../protocol";

const schema = inputSchema(serviceAccountSpec);

describe("inputSchema and checkFailures", () => {
  it("judges every issue when nothing is unknown, an unknown key included", () => {
    expect(checkFailures(schema, "ServiceAccount", { displayName: "", descripton: "x" })).toEqual([
      { property: "displayName", reason: "must not be empty; set a non-empty value" },
      {
        property: "descripton",
        reason: "is not a property of ServiceAccount; remove it or correct its spelling",
      },
    ]);
  });

  it("looks through secrets (never quoting their values) and ignores the engine's own keys", () => {
    const news = { displayName: secretWire("ci"), description: secretWire(7), __provider: "text" };
    expect(checkFailures(schema, "ServiceAccount", news)).toEqual([
      { property: "description", reason: "must be a string (got a secret value); change it to a string" },
    ]);
    expect(checkFailures(schema, "ServiceAccount", { ...news, description: 7 })).toEqual([
      { property: "description", reason: "must be a string (got number 7); change it to a string" },
    ]);
  });

  it("does not judge a value that is not known yet, but still judges an unknown key", () => {
    expect(checkFailures(schema, "ServiceAccount", { displayName: UNKNOWN_VALUE })).toEqual([]);
    expect(checkFailures(schema, "ServiceAccount", { displayName: "ci", extra: UNKNOWN_VALUE })).toEqual([
      { property: "extra", reason: "is not a property of ServiceAccount; remove it or correct its spelling" },
    ]);
  });

  it("refuses an input longer than MAX_INPUT_CHARS, naming the field, where the spec has no maximum of its own (issue 30)", () => {
    const long = "d".repeat(MAX_INPUT_CHARS + 1);
    const reason =
      `is ${MAX_INPUT_CHARS + 1} characters long; an input may hold at most 1048576 characters (this ` +
      "package's limit where the API documents none); shorten it";
    expect(checkFailures(schema, "ServiceAccount", { displayName: "ci", description: long })).toEqual([
      { property: "description", reason },
    ]);
    // Inside a secret too, and every operation's parse refuses it as well.
    expect(() =>
      parseWire(schema, "ServiceAccount", { displayName: "ci", description: secretWire(long) }),
    ).toThrow(`Invalid ServiceAccount inputs: description: ${reason}`);
    // At the limit it passes; a field with its own maximum reports only that one.
    const atLimit = "d".repeat(MAX_INPUT_CHARS);
    expect(checkFailures(schema, "ServiceAccount", { displayName: "ci", description: atLimit })).toEqual([]);
    expect(checkFailures(schema, "ServiceAccount", { displayName: long })).toEqual([
      {
        property: "displayName",
        reason: `must be at most 64 characters (got ${MAX_INPUT_CHARS + 1}); shorten it`,
      },
    ]);
  });

  it("checks importId against the spec's import ID format", () => {
    expect(checkFailures(schema, "ServiceAccount", { displayName: "ci", [IMPORT_ID]: "u-1" })).toEqual([
      { property: IMPORT_ID, reason: 'must look like sa-…; got "u-1"' },
    ]);
    expect(checkFailures(schema, "ServiceAccount", { displayName: "ci", [IMPORT_ID]: "sa-1" })).toEqual([]);
  });

  it("adds the spec's cross-field rule, which a container holding an unknown skips", () => {
    const spec = {
      ...serviceAccountSpec,
      kind: "Pair",
      inputs: z.object({ pair: z.object({ a: z.string().optional(), b: z.string().optional() }) }),
      crossCheck: (v: { pair: { a?: string; b?: string } }, ctx: z.RefinementCtx) => {
        if ((v.pair.a === undefined) === (v.pair.b === undefined))
          ctx.addIssue({ code: "custom", path: ["pair"], message: "set exactly one of a and b" });
      },
    } as unknown as Spec<Record<string, unknown>, unknown>;
    const pairSchema = inputSchema(spec);
    expect(checkFailures(pairSchema, "Pair", { pair: { a: "x", b: "y" } })).toEqual([
      { property: "pair", reason: "set exactly one of a and b" },
    ]);
    expect(checkFailures(pairSchema, "Pair", { pair: { a: "x", b: UNKNOWN_VALUE } })).toEqual([]);
    expect(checkFailures(pairSchema, "Pair", { pair: { a: "x" } })).toEqual([]);
  });

  it("property: a value that is wholly unknown is never judged; only unknown keys are", () => {
    fc.assert(
      fc.property(fc.subarray(["displayName", "description", "typo"]), (keys) => {
        const news = Object.fromEntries(keys.map((k) => [k, UNKNOWN_VALUE]));
        if (!keys.includes("displayName")) news.displayName = UNKNOWN_VALUE;
        const failures = checkFailures(schema, "ServiceAccount", news);
        expect(failures.map((f) => f.property)).toEqual(keys.includes("typo") ? ["typo"] : []);
      }),
    );
  });
});

describe("parseWire", () => {
  it("answers the plain inputs, with importId apart", () => {
    expect(
      parseWire(schema, "ServiceAccount", {
        displayName: secretWire("ci"),
        [IMPORT_ID]: "sa-1",
        __provider: "text",
      }),
    ).toEqual({ inputs: { displayName: "ci" }, importId: "sa-1" });
    expect(parseWire(schema, "ServiceAccount", { displayName: "ci" })).toEqual({
      inputs: { displayName: "ci" },
      importId: undefined,
    });
  });

  it("throws every failure, named by property, when the inputs are invalid", () => {
    expect(() => parseWire(schema, "ServiceAccount", { description: 1 })).toThrow(
      "Invalid ServiceAccount inputs: displayName: is required; set it to a string; description: must be a " +
        "string (got number 1); change it to a string",
    );
  });
});

describe("diffOf", () => {
  const rules = {
    replaceOnChange: ["owner"],
    updateInPlace: ["displayName", "description"],
    providerOnly: ["disableWaitForReady"],
    defaults: { description: "", disableWaitForReady: false },
  };

  it("nothing changed: no changes, nothing replaced", () => {
    expect(diffOf({ owner: "sa-1", displayName: "a" }, { owner: "sa-1", displayName: "a" }, rules)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
      diffs: [],
      detailedDiff: {},
    });
  });

  it("a replace-field change replaces; in-place and provider-only changes update; never delete first", () => {
    expect(
      diffOf(
        { owner: "sa-1", displayName: "a", description: "" },
        { owner: "sa-2", displayName: "b", disableWaitForReady: true },
        rules,
      ),
    ).toEqual({
      changes: true,
      replaces: ["owner"],
      deleteBeforeReplace: false,
      diffs: ["owner", "displayName", "disableWaitForReady"],
      detailedDiff: {
        owner: { kind: "update-replace", inputDiff: true },
        displayName: { kind: "update", inputDiff: true },
        disableWaitForReady: { kind: "update", inputDiff: true },
      },
    });
  });

  it("a field no list names is never a change (outputs such as the secret)", () => {
    expect(diffOf({ secret: "s" }, { secret: "t" }, rules).changes).toBe(false);
  });

  it("property: replaces ⊆ diffs ⊆ the compared fields, and detailedDiff names exactly the diffs", () => {
    const value = fc.oneof(fc.constant(undefined), fc.string({ maxLength: 2 }), fc.constant(UNKNOWN_VALUE));
    const side = fc.record(
      { owner: value, displayName: value, description: value, disableWaitForReady: value, secret: value },
      { requiredKeys: [] },
    ) as fc.Arbitrary<PropertyMap>;
    fc.assert(
      fc.property(side, side, (olds, news) => {
        const d = diffOf(olds, news, rules);
        const compared = ["owner", "displayName", "description", "disableWaitForReady"];
        expect(d.replaces.every((f) => d.diffs.includes(f) && f === "owner")).toBe(true);
        expect(d.diffs.every((f) => compared.includes(f))).toBe(true);
        expect(Object.keys(d.detailedDiff).sort()).toEqual([...d.diffs].sort());
        expect(d.changes).toBe(d.diffs.length > 0);
        // Unchanged values are no change, except a value not known yet in a compared field.
        expect(diffOf(olds, olds, rules).changes).toBe(compared.some((f) => olds[f] === UNKNOWN_VALUE));
      }),
    );
  });
});
