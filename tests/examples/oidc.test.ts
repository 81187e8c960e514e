import { describeExampleLifecycle, idOf, exampleFolder } from "./harness";

describe("examples/oidc", () => {
  describeExampleLifecycle({
    folder: "oidc",
    project: "confluent-iam-oidc",
    creates: ["create corporate-idp", "create orders-readers", "create orders-readers-read-orders"],
    // A new trigger sends only the JWKS refresh, not an update of the provider itself.
    variant: {
      config: ["jwksRefreshTrigger=rotated-2025-06-01"],
      plan: ["update corporate-idp"],
      writes: (before) => [`PATCH /iam/v2/identity-providers/${idOf(before, "corporate-idp")}/jwks`],
    },
  });
});

it("examples/oidc is a folder a user can run: Pulumi.yaml naming the project and index.ts, and a README", () => {
  expect(exampleFolder("oidc")).toEqual({ project: "confluent-iam-oidc", main: "index.ts", readme: true });
});
