// The provider module's two call forms: `kind(k).<name>(args)` for provider texts after 0.1.0, and the frozen
// numbered `op[m](k, ...args)` of 0.1.0's text (both run end to end in released-provider-text.test.ts).
import { check, kind, op } from "pulumi-confluent-iam/provider";

const NAMES = ["configure", "check", "diff", "create", "read", "update", "delete"];

describe("kind(k): the operations of one kind by name", () => {
  it("offers exactly the dynamic provider's method names, the same object for each call", () => {
    expect(Object.keys(kind("ServiceAccount"))).toEqual(NAMES);
    expect(kind("ServiceAccount")).toBe(kind("ServiceAccount"));
    expect(kind("IpGroup")).not.toBe(kind("ServiceAccount"));
  });

  it("passes the kind first and the method's arguments after it", async () => {
    const named = await kind("ServiceAccount").check([{}, { displayName: "ci", description: "d" }]);
    expect(named).toEqual(await check("ServiceAccount", {}, { displayName: "ci", description: "d" }));
    expect(named.failures).toEqual([]);
  });

  it("names an unknown kind as the numbered form does", () => {
    const message = 'Unknown Confluent object kind "Nope": this package has no spec for it';
    expect(() => kind("Nope").check([{}, {}])).toThrow(message);
    expect(() => op[1]("Nope", {}, {})).toThrow(message);
  });
});

describe("op: the numbered operations of 0.1.0's provider text", () => {
  it("keeps its order: 0 configure … 6 delete", () => {
    expect(op.map((f) => f.name)).toEqual([
      "configure",
      "check",
      "diff",
      "create",
      "read",
      "update",
      "remove",
    ]);
  });
});
