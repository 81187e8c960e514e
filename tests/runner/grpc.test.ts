// The Struct encoding both gRPC clients of the runner use (runner/host.ts, runner/analyzer.ts).
import { secretWire, UNKNOWN_VALUE } from "../../protocol";
import { fromStruct, structpb, toJsonValue, toStruct } from "../../runner/grpc";

function roundTrip(props: Record<string, unknown>): Record<string, unknown> {
  return fromStruct(structpb.Struct.deserializeBinary(toStruct(props, "props").serializeBinary()));
}

describe("toStruct / fromStruct", () => {
  it("carries JSON values, secrets and unknowns unchanged through the binary encoding", () => {
    const props = {
      s: "x",
      n: -1.5,
      b: false,
      z: null,
      list: [1, "two", { three: 3 }],
      nested: { deep: { deeper: [true] } },
      secret: secretWire({ key: "not-a-real-secret" }),
      unknown: UNKNOWN_VALUE,
    };
    expect(roundTrip(props)).toEqual(props);
  });

  it("leaves out undefined members and sends undefined array elements as null, as JSON.stringify does", () => {
    expect(roundTrip({ a: undefined, b: { c: undefined, d: 1 }, e: [undefined, 2] })).toEqual({
      b: { d: 1 },
      e: [null, 2],
    });
  });

  it("an absent Struct is an empty property bag", () => {
    expect(fromStruct(undefined)).toEqual({});
  });

  // Pulumi's own SDK would send these (a Struct number is an IEEE double, as the first expectation shows);
  // this runner refuses them because its state is JSON (see runner/grpc.ts).
  it("refuses NaN and ±Infinity at any depth, naming the path and the fix", () => {
    expect(structpb.Struct.fromJavaScript({ n: NaN }).toJavaScript().n).toBeNaN();
    expect(() => toStruct({ a: { b: [0, NaN] } }, "news")).toThrow(
      new TypeError(
        "news.a.b[1]: NaN cannot be sent over the wire (state is JSON, which has no NaN or Infinity); " +
          "use a finite number, or a string",
      ),
    );
    expect(() => toJsonValue(Infinity, "olds.x")).toThrow(
      "olds.x: Infinity cannot be sent over the wire (state is JSON",
    );
    expect(() => toJsonValue([-Infinity], "props")).toThrow(
      "props[0]: -Infinity cannot be sent over the wire",
    );
  });

  it("refuses what JSON cannot carry at all", () => {
    expect(() => toStruct({ f: () => 1 }, "inputs")).toThrow(
      new TypeError("inputs.f: a function cannot be sent over the wire"),
    );
    expect(() => toStruct({ big: BigInt(1) }, "inputs")).toThrow(
      new TypeError("inputs.big: a bigint cannot be sent over the wire"),
    );
  });
});
