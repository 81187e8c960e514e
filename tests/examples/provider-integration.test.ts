import { describeExampleLifecycle, idOf, exampleFolder } from "./harness";

describe("examples/provider-integration", () => {
  describeExampleLifecycle({
    folder: "provider-integration",
    project: "confluent-iam-provider-integration",
    creates: ["create s3-sink-role"],
    // The integration has no update: a new role ARN replaces it (create, then delete the old one).
    variant: {
      config: ["customerRoleArn=arn:aws:iam::123456789012:role/confluent-s3-sink-v2"],
      plan: ["replace s3-sink-role"],
      writes: (before) => [
        "POST /pim/v1/integrations",
        `DELETE /pim/v1/integrations/${idOf(before, "s3-sink-role")}`,
      ],
    },
  });
});

it("examples/provider-integration is a folder a user can run: Pulumi.yaml naming the project and index.ts, and a README", () => {
  expect(exampleFolder("provider-integration")).toEqual({
    project: "confluent-iam-provider-integration",
    main: "index.ts",
    readme: true,
  });
});
