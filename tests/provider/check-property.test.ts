import fc from "fast-check";
import { adapters } from "pulumi-confluent-iam/provider";
import { UNKNOWN_VALUE, secretWire } from "../../protocol";

// Arbitrary JSON-ish values, with Pulumi's wire specials (unknowns, secret wrappers) mixed in.
const leaf = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(UNKNOWN_VALUE),
  fc.constantFrom(
    "",
    "crn://confluent.cloud/organization=x",
    "User:sa-1",
    "10.0.0.0/24",
    "a@b.co",
    "https://login.example.com/v2.0",
    "arn:aws:kms:us-west-2:123456789012:key/k",
    "arn:aws:iam::123456789012:role/r",
    "00000000-0000-4000-8000-000000000000",
  ),
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
      "jwksRefreshTrigger",
      "subscriptionId",
      "resourceGroupName",
      "organizationName",
      "azureAccessToken",
      "azureResourceManagerEndpoint",
    ];
    const inputs = fc.dictionary(fc.oneof(fc.constantFrom(...known), fc.string({ maxLength: 6 })), value, {
      maxKeys: 6,
    });
    await fc.assert(
      // Plain checks in the hot loop (jest's expect per run costs more than check itself); a false answer
      // makes fast-check fail with the shrunk counterexample.
      fc.asyncProperty(inputs, async (news) => {
        const res = await adapter.check({}, news);
        return (
          res.inputs === news &&
          res.failures.every(
            (f) =>
              typeof f.property === "string" &&
              typeof f.reason === "string" &&
              f.reason.length > 0 &&
              Object.keys(f).sort().join(",") === "property,reason",
          )
        );
      }),
      { numRuns: 1000 },
    );
  });
});
