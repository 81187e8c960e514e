import { describeExampleLifecycle, exampleFolder, idOf } from "./harness";

describe("examples/mtls", () => {
  describeExampleLifecycle({
    folder: "mtls",
    project: "confluent-iam-mtls",
    creates: [
      "create payments-auditors",
      "create payments-auditors-read",
      "create payments-ca",
      "create payments-services",
      "create payments-services-write",
    ],
    // Rotating the CA's chain is one PUT of the certificate authority; the pools and bindings stay.
    variant: {
      config: ["certificateFile=ca-next.pem"],
      plan: ["update payments-ca"],
      writes: (before) => [`PUT /iam/v2/certificate-authorities/${idOf(before, "payments-ca")}`],
    },
  });
});

it("examples/mtls is a folder a user can run: Pulumi.yaml naming the project and index.ts, and a README", () => {
  expect(exampleFolder("mtls")).toEqual({ project: "confluent-iam-mtls", main: "index.ts", readme: true });
});
