/**
 * The adapter's pure value rules (provider/compare.ts), tested directly: examples for each rule, and
 * fast-check properties for what must hold for every value (a field never differs from itself, a secret
 * never leaves its wrapper or its earlier value, a server default is never a change, a set's order never is,
 * nothing `undefined` reaches the host).
 */
import fc from "fast-check";
import { z } from "zod";
import {
  changedFields,
  comparable,
  inputsOf,
  keepUnechoed,
  mergeOutputs,
  projectOnto,
  shown,
  withoutInputOnly,
  type CompareRules,
} from "../../provider/compare";
import { asSet, decodeCrn, refId } from "../../provider/specs/common";
import { isSecretWire, secretWire, UNKNOWN_VALUE, type PropertyMap } from "../../protocol";

// JSON-ish values, without Pulumi's wire specials (those are mixed in where a property needs them).
const leaf = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
const plain = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie("v"), { maxKeys: 3 }),
  ),
})).v;
/** Plain values, some of them (at any depth) wrapped as secrets. */
const wire = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie("v"), { maxKeys: 3 }),
    tie("v").map((x) => secretWire(x)),
  ),
})).v;
const field = fc.constantFrom("displayName", "description", "cidrBlocks", "crnPattern", "owner", "secret");
const props = (value: fc.Arbitrary<unknown>) =>
  fc.dictionary(field, value, { maxKeys: 6 }) as fc.Arbitrary<PropertyMap>;
const FIELDS = ["displayName", "description", "cidrBlocks", "crnPattern", "owner", "secret"] as const;

/** Rules the way specs write them, with the shared normalizers of provider/specs/common.ts. */
const rules: CompareRules = {
  defaults: { description: "", displayName: "" },
  normalize: { cidrBlocks: asSet, crnPattern: decodeCrn, owner: refId },
  serverDefaulted: ["secret"],
};
const none: CompareRules = {};

function hasUndefined(v: unknown): boolean {
  if (v === undefined) return true;
  if (Array.isArray(v)) return v.some(hasUndefined);
  if (typeof v === "object" && v !== null) return Object.values(v).some(hasUndefined);
  return false;
}

describe("comparable and changedFields", () => {
  it("a missing value equals its default, null too; without a default it is null", () => {
    expect(comparable("description", undefined, rules)).toBe('""');
    expect(comparable("description", null, rules)).toBe('""');
    expect(comparable("description", "", rules)).toBe('""');
    expect(comparable("description", undefined, none)).toBe("null");
    expect(changedFields({}, { description: "" }, ["description"], rules)).toEqual([]);
    expect(changedFields({}, { description: "" }, ["description"], none)).toEqual(["description"]);
  });

  it("compares through secret wrappers and with sorted keys", () => {
    expect(comparable("displayName", secretWire("ci"), rules)).toBe('"ci"');
    expect(comparable("owner", { b: 1, a: 2 }, none)).toBe('{"a":2,"b":1}');
    expect(changedFields({ displayName: "ci" }, { displayName: secretWire("ci") }, FIELDS, rules)).toEqual(
      [],
    );
  });

  it("normalizes before comparing: a CRN's encoding and a reference's kind are not changes", () => {
    const olds = { crnPattern: "crn://confluent.cloud/organization=o%3A1", owner: { id: "sa-1" } };
    const news = {
      crnPattern: "crn://confluent.cloud/organization=o:1",
      owner: { id: "sa-1", kind: "ServiceAccount", apiVersion: "iam/v2" },
    };
    expect(changedFields(olds, news, FIELDS, rules)).toEqual([]);
    expect(changedFields(olds, news, FIELDS, none)).toEqual(["crnPattern", "owner"]);
  });

  it("reports exactly the fields that differ, in the order of `fields`", () => {
    const olds = { displayName: "a", description: "x", cidrBlocks: ["10.0.0.0/24"] };
    const news = { displayName: "b", description: "x", cidrBlocks: ["10.0.0.0/24", "10.0.1.0/24"] };
    expect(changedFields(olds, news, ["cidrBlocks", "description", "displayName"], rules)).toEqual([
      "cidrBlocks",
      "displayName",
    ]);
    expect(changedFields(olds, news, ["description"], rules)).toEqual([]);
  });

  it("an unknown value (preview) is always a change, even inside a secret or a list", () => {
    expect(changedFields({ displayName: "a" }, { displayName: UNKNOWN_VALUE }, FIELDS, rules)).toEqual([
      "displayName",
    ]);
    expect(
      changedFields({ cidrBlocks: ["x"] }, { cidrBlocks: secretWire(["x", UNKNOWN_VALUE]) }, FIELDS, rules),
    ).toEqual(["cidrBlocks"]);
  });

  it("a server-defaulted field is compared once the program sets it", () => {
    expect(changedFields({ secret: "s" }, {}, FIELDS, rules)).toEqual([]);
    expect(changedFields({ secret: "s" }, { secret: "t" }, FIELDS, rules)).toEqual(["secret"]);
    expect(changedFields({ secret: "s" }, {}, FIELDS, none)).toEqual(["secret"]);
  });

  it("shown: the compared form, or 'not set'", () => {
    expect(shown("displayName", undefined, none)).toBe("not set");
    expect(shown("description", undefined, rules)).toBe('""');
    expect(shown("cidrBlocks", ["b", "a"], rules)).toBe('["\\"a\\"","\\"b\\""]');
  });

  it("property: a field compared with itself never changes, wrapped as a secret or not", () => {
    fc.assert(
      fc.property(props(wire), (p) => {
        expect(changedFields(p, p, FIELDS, rules)).toEqual([]);
        expect(changedFields(p, structuredClone(p), FIELDS, none)).toEqual([]);
        const wrapped = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, secretWire(v)]));
        expect(changedFields(p, wrapped, FIELDS, rules)).toEqual([]);
      }),
    );
  });

  it("property: changedFields never reports a server-defaulted field the program leaves out", () => {
    fc.assert(
      fc.property(props(wire), props(wire), (olds, news) => {
        const left = { ...news };
        delete left.secret;
        expect(changedFields(olds, left, FIELDS, rules)).not.toContain("secret");
      }),
    );
  });

  it("property: with a set normalizer, order-only differences vanish; other differences do not", () => {
    fc.assert(
      fc.property(
        fc
          .array(plain, { maxLength: 6 })
          .chain((xs) =>
            fc.tuple(
              fc.constant(xs),
              fc.shuffledSubarray(xs, { minLength: xs.length, maxLength: xs.length }),
            ),
          ),
        ([xs, shuffled]) => {
          expect(changedFields({ cidrBlocks: xs }, { cidrBlocks: shuffled }, FIELDS, rules)).toEqual([]);
          expect(
            changedFields({ cidrBlocks: xs }, { cidrBlocks: [...shuffled, "extra-block"] }, FIELDS, rules),
          ).toEqual(["cidrBlocks"]);
        },
      ),
    );
  });

  it("property: changedFields is a subset of `fields`, and symmetric when neither side is unknown", () => {
    fc.assert(
      fc.property(props(wire), props(wire), (a, b) => {
        const ab = changedFields(a, b, FIELDS, none);
        expect(ab.every((f) => FIELDS.includes(f as (typeof FIELDS)[number]))).toBe(true);
        expect(changedFields(b, a, FIELDS, none)).toEqual(ab);
      }),
    );
  });
});

describe("mergeOutputs", () => {
  const secrets = ["secret"];

  it("takes the API's answer over the inputs, and drops a field the API answers as undefined", () => {
    expect(
      mergeOutputs(
        { displayName: "ci", description: "old", managedResource: { id: "lkc-1" } },
        { description: "new", managedResource: undefined, id: "x" },
        secrets,
      ),
    ).toEqual({ displayName: "ci", description: "new", id: "x" });
  });

  it("keeps a secret the API stops returning, and takes a new one", () => {
    const base = { secret: secretWire("s1") };
    expect(mergeOutputs(base, { secret: "" }, secrets)).toEqual(base);
    expect(mergeOutputs(base, { secret: undefined }, secrets)).toEqual(base);
    expect(mergeOutputs(base, { secret: "s2" }, secrets)).toEqual({ secret: secretWire("s2") });
    expect(mergeOutputs({}, { secret: "" }, secrets)).toEqual({ secret: "" });
  });

  it("rewraps what the caller had wrapped, whatever the field", () => {
    expect(mergeOutputs({ displayName: secretWire("a") }, { displayName: "b" }, [])).toEqual({
      displayName: secretWire("b"),
    });
    expect(mergeOutputs({ displayName: secretWire("a") }, { displayName: undefined }, [])).toEqual({
      displayName: secretWire("a"),
    });
  });

  it("keeps a member of an input object that the API's answer leaves out (issue 32: a Kafka key's environment)", () => {
    const inputs = {
      managedResource: { id: "lkc-1", apiVersion: "cmk/v2", kind: "Cluster", environment: { id: "env-1" } },
    };
    const answered = {
      managedResource: { id: "lkc-1", apiVersion: "cmk/v2", kind: "Cluster", environment: undefined },
    };
    expect(mergeOutputs(inputs, answered, [])).toEqual(inputs);
    // The API's own members win, at every depth; arrays are the API's.
    expect(
      mergeOutputs(
        { aws: { keyArn: "a", roles: ["r1"], nested: { x: 1, y: 2 } } },
        { aws: { keyArn: "b", roles: ["r2", "r3"], nested: { y: 3 } } },
        [],
      ),
    ).toEqual({ aws: { keyArn: "b", roles: ["r2", "r3"], nested: { x: 1, y: 3 } } });
    // Inside a secret too.
    expect(mergeOutputs({ s: secretWire({ a: 1, b: 2 }) }, { s: { b: 3 } }, [])).toEqual({
      s: secretWire({ a: 1, b: 3 }),
    });
  });

  it("property: every member the API answers is its; every input member it leaves out stays", () => {
    const objects = fc.dictionary(fc.constantFrom("a", "b", "c"), fc.option(plain, { nil: undefined }), {
      maxKeys: 3,
    });
    fc.assert(
      fc.property(objects, objects, (base, fresh) => {
        const merged = mergeOutputs({ o: base }, { o: fresh }, []).o as Record<string, unknown>;
        for (const k of ["a", "b", "c"]) {
          if (fresh[k] !== undefined) expect(merged[k]).toEqual(keepUnechoed(base[k], fresh[k]));
          else expect(merged[k]).toEqual(base[k]);
        }
      }),
    );
  });

  it("changes neither argument", () => {
    const base = { a: 1, secret: secretWire("s") };
    const fresh = { a: undefined, b: 2 };
    mergeOutputs(base, fresh, secrets);
    expect(base).toEqual({ a: 1, secret: secretWire("s") });
    expect(fresh).toEqual({ a: undefined, b: 2 });
  });

  it("property: a secret output the API stops returning keeps its earlier value", () => {
    fc.assert(
      fc.property(props(wire), wire, fc.constantFrom(undefined, ""), (fresh, earlier, gone) => {
        const merged = mergeOutputs({ secret: earlier }, { ...fresh, secret: gone }, ["secret"]);
        expect(merged.secret).toEqual(earlier);
      }),
    );
  });

  it("property: a wrapped value stays wrapped after merge, holding the API's value when it gave one", () => {
    fc.assert(
      fc.property(props(wire), props(fc.option(plain, { nil: undefined })), (base, fresh) => {
        const wrapped = Object.fromEntries(Object.entries(base).map(([k, v]) => [k, secretWire(v)]));
        const merged = mergeOutputs(wrapped, fresh, ["secret"]);
        for (const k of Object.keys(wrapped)) {
          expect(isSecretWire(merged[k])).toBe(true);
          const answered = fresh[k] !== undefined && !(k === "secret" && fresh[k] === "");
          expect(merged[k]).toEqual(answered ? secretWire(keepUnechoed(base[k], fresh[k])) : wrapped[k]);
        }
      }),
    );
  });

  it("property: undefined never appears at any depth when the inputs and the API's values hold none", () => {
    fc.assert(
      fc.property(props(wire), props(fc.option(wire, { nil: undefined })), (base, fresh) => {
        const merged = mergeOutputs(base, fresh, ["secret"]);
        expect(hasUndefined(merged)).toBe(false);
        // Every field is either answered by the API or kept from the inputs.
        for (const k of Object.keys(merged)) expect(k in base || fresh[k] !== undefined).toBe(true);
      }),
    );
  });
});

describe("withoutInputOnly", () => {
  it("drops the input-only fields from a copy", () => {
    const outs = { azureAccessToken: secretWire("not-a-real-token"), displayName: "k" };
    expect(withoutInputOnly(outs, ["azureAccessToken"])).toEqual({ displayName: "k" });
    expect(outs.azureAccessToken).toEqual(secretWire("not-a-real-token"));
    expect(withoutInputOnly(outs, undefined)).toEqual(outs);
  });
});

describe("projectOnto and inputsOf", () => {
  // The shape of a provider integration's inputs: the server adds `aws.iamRoleArn`, `aws.externalId`.
  const inputs = z.object({
    displayName: z.string(),
    environment: z.object({ id: z.string() }),
    aws: z.object({ customerRoleArn: z.string() }).optional(),
    tags: z.array(z.object({ key: z.string() }).strict()).default([]),
  });

  it("keeps the input keys, and inside objects and lists only what the input schema has", () => {
    const outs = {
      id: "cspi-1",
      displayName: "int",
      environment: { id: "env-1", kind: "Environment" },
      aws: { customerRoleArn: "arn:aws:iam::123456789012:role/r", iamRoleArn: "arn:x", externalId: "e" },
      tags: [{ key: "a", extra: 1 }],
      status: "CREATED",
    };
    expect(inputsOf(outs, inputs)).toEqual({
      displayName: "int",
      environment: { id: "env-1" },
      aws: { customerRoleArn: "arn:aws:iam::123456789012:role/r" },
      tags: [{ key: "a" }],
    });
  });

  it("keeps a secret wrapper around what it projects, and leaves out undefined members", () => {
    const outs = {
      aws: secretWire({ customerRoleArn: "arn:r", iamRoleArn: "arn:x" }),
      displayName: undefined,
    };
    expect(inputsOf(outs, inputs)).toEqual({ aws: secretWire({ customerRoleArn: "arn:r" }) });
  });

  it("property: projecting twice is projecting once, and inputsOf gives only input keys", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom("displayName", "environment", "aws", "tags", "id"), wire, {
          maxKeys: 5,
        }),
        (outs) => {
          const once = inputsOf(outs, inputs);
          expect(inputsOf(once, inputs)).toEqual(once);
          expect(Object.keys(once).every((k) => k in inputs.shape)).toBe(true);
          expect(projectOnto(inputs, projectOnto(inputs, outs))).toEqual(projectOnto(inputs, outs));
        },
      ),
    );
  });
});
