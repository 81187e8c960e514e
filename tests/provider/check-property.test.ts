import fc from "fast-check";
import { adapters } from "pulumi-confluent-iam/provider";
import { UNKNOWN_VALUE, secretWire } from "../../provider/wire";

// Arbitrary JSON-ish values, with Pulumi's wire specials (unknowns, secret wrappers) mixed in.
const leaf = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(UNKNOWN_VALUE),
  fc.constantFrom("", "crn://confluent.cloud/organization=x", "User:sa-1", "10.0.0.0/24", "a@b.co"),
);
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie("v"), { maxKeys: 3 }),
    tie("v").map((x) => secretWire(x)),
  ),
})).v;

describe.each(Object.keys(adapters))("%s check", (kind) => {
  const adapter = adapters[kind]!;
  it("turns 1,000 random inputs into {property, reason} failures, never a throw", async () => {
    // Random inputs that use the object's own property names, so the rules behind them run too.
    const known = [
      "displayName",
      "description",
      "owner",
      "managedResource",
      "principal",
      "roleName",
      "crnPattern",
      "groupName",
      "cidrBlocks",
      "filterName",
      "resourceGroup",
      "ipGroups",
      "operationGroups",
      "resourceScope",
      "email",
      "authType",
      "allowDeletion",
      "fullName",
      "disableWaitForReady",
      "aws",
      "azure",
      "gcp",
      "environment",
      "issuer",
      "jwksUri",
      "identityClaim",
      "identityProvider",
      "filter",
    ];
    const inputs = fc.dictionary(fc.oneof(fc.constantFrom(...known), fc.string({ maxLength: 6 })), value, {
      maxKeys: 6,
    });
    await fc.assert(
      fc.asyncProperty(inputs, async (news) => {
        const res = await adapter.check({}, news);
        expect(res.inputs).toBe(news);
        for (const f of res.failures) {
          expect(typeof f.property).toBe("string");
          expect(typeof f.reason).toBe("string");
          expect(f.reason.length).toBeGreaterThan(0);
          expect(Object.keys(f).sort()).toEqual(["property", "reason"]);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
