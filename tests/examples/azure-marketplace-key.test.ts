import { describeExampleLifecycle, idOf, exampleFolder } from "./harness";

const org =
  "/subscriptions/00000000-0000-4000-8000-0000000000cc/resourceGroups/confluent-rg/providers/Microsoft.Confluent/organizations/acme-confluent";

describe("examples/azure-marketplace-key", () => {
  // The emulator serves the Azure Resource Manager routes too (AZURE_RESOURCE_MANAGER_ENDPOINT from the harness).
  describeExampleLifecycle({
    folder: "azure-marketplace-key",
    project: "confluent-iam-azure-marketplace-key",
    creates: ["create orders-kafka-key"],
    variant: {
      config: ["displayName=orders-kafka-key-2"],
      plan: ["replace orders-kafka-key"],
      // Create the new key first, then delete the old one (by its id, under the organization).
      writes: (before) => [
        `POST ${org}/environments/env-demo01/clusters/lkc-demo01/createAPIKey`,
        `DELETE ${org}/apiKeys/${idOf(before, "orders-kafka-key")}`,
      ],
    },
  });
});

it("examples/azure-marketplace-key is a folder a user can run: Pulumi.yaml naming the project and index.ts, and a README", () => {
  expect(exampleFolder("azure-marketplace-key")).toEqual({
    project: "confluent-iam-azure-marketplace-key",
    main: "index.ts",
    readme: true,
  });
});
