import { describeExampleLifecycle, idOf, exampleFolder } from "./harness";

describe("examples/byok", () => {
  describeExampleLifecycle({
    folder: "byok",
    project: "confluent-iam-byok",
    creates: ["create aws-key", "create azure-key", "create gcp-key"],
    // The key ARN is immutable: a new Confluent key is registered first, then the old one is deleted.
    variant: {
      config: ["awsKeyArn=arn:aws:kms:us-east-1:123456789012:key/99999999-2222-3333-4444-555555555555"],
      plan: ["replace aws-key"],
      writes: (before) => ["POST /byok/v1/keys", `DELETE /byok/v1/keys/${idOf(before, "aws-key")}`],
    },
  });
});

it("examples/byok is a folder a user can run: Pulumi.yaml naming the project and index.ts, and a README", () => {
  expect(exampleFolder("byok")).toEqual({ project: "confluent-iam-byok", main: "index.ts", readme: true });
});
