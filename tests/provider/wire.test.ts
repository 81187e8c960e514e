/**
 * The wire rule: nothing the provider hands to the dynamic-provider host carries `undefined` at any depth,
 * because the host's protobuf Struct rejects it ("Unexpected struct type.") after the object was made.
 */
import fc from "fast-check";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import { secretWire, withoutUndefined } from "../../protocol";

// Values as outputs can hold them, with `undefined` anywhere a spec's toOutputs may have left one.
const leaf = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined));
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(tie("v"), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie("v"), { maxKeys: 4 }),
    tie("v").map((x) => secretWire(x)),
  ),
})).v;
const outputs = fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 6 });

function hasUndefined(v: unknown): boolean {
  if (v === undefined) return true;
  if (Array.isArray(v)) return v.some(hasUndefined);
  if (typeof v === "object" && v !== null) return Object.values(v).some(hasUndefined);
  return false;
}

describe("withoutUndefined", () => {
  it("leaves no undefined at any depth, and the host's Struct serializes the result", () => {
    fc.assert(
      fc.property(outputs, (outs) => {
        const clean = withoutUndefined(outs);
        expect(hasUndefined(clean)).toBe(false);
        expect(() => structproto.Struct.fromJavaScript(clean as never)).not.toThrow();
      }),
    );
  });

  it("changes nothing else: the result is what a JSON round trip gives", () => {
    fc.assert(
      fc.property(outputs, (outs) => {
        expect(withoutUndefined(outs)).toEqual(JSON.parse(JSON.stringify(outs)));
      }),
    );
  });

  it("a Kafka key's outputs without an environment (the recorded create answer) serialize", () => {
    const outs = {
      managedResource: { id: "lkc-zmmq63", apiVersion: "cmk/v2", kind: "Cluster", environment: undefined },
      secret: secretWire("not-a-real-secret"),
    };
    expect(() => structproto.Struct.fromJavaScript(outs as never)).toThrow("Unexpected struct type");
    expect(withoutUndefined(outs)).toEqual({
      managedResource: { id: "lkc-zmmq63", apiVersion: "cmk/v2", kind: "Cluster" },
      secret: secretWire("not-a-real-secret"),
    });
  });
});
