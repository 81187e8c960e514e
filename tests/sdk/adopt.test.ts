/**
 * The `import` resource option: every class moves it into the provider-only input `importId`, so the engine
 * never attempts its own import (which fails for dynamic providers, pulumi/pulumi#16175).
 */
import * as pulumi from "@pulumi/pulumi";
import { registration } from "../../sdk/base";
import { captureRegistration } from "../../testing/capture";
import { table } from "../../testing/table";

describe("the import resource option", () => {
  it.each(table.map((e) => [e.kind, e] as const))(
    "%s: reaches the provider as importId and not the engine",
    async (_kind, entry) => {
      const reg = await captureRegistration(() => entry.register({ import: "some-id/x" }));
      expect(reg.inputs.importId).toBe("some-id/x");
      expect(reg.engineImportId).toBeUndefined();
    },
  );

  it("without it, no importId is registered", async () => {
    const reg = await captureRegistration(() => table[0]!.register());
    expect(reg.inputs).not.toHaveProperty("importId");
    expect(reg.engineImportId).toBeUndefined();
  });

  it("a dynamic resource that does not go through registration() would hand the import to the engine", async () => {
    // The control for the tests above: the mocks do see an import the SDK leaves in the options.
    const reg = await captureRegistration(
      () =>
        new (class Raw extends pulumi.dynamic.Resource {
          constructor() {
            super(
              { create: () => Promise.resolve({ id: "x" }) },
              "raw",
              {},
              { import: "sa-raw" },
              "confluent",
              "Raw",
            );
          }
        })(),
    );
    expect(reg.engineImportId).toBe("sa-raw");
  });

  it("keeps the other options and still adds the secret outputs", () => {
    const [, props, options] = registration(
      { kind: "ApiKey", outputKeys: ["secret"], secretOutputs: ["secret"] },
      { owner: { id: "sa-1" } },
      { import: "env-1/KEY1", protect: true, additionalSecretOutputs: ["description"] },
    );
    expect(props).toEqual({ secret: undefined, importId: "env-1/KEY1", owner: { id: "sa-1" } });
    expect(options).toEqual({ protect: true, additionalSecretOutputs: ["description", "secret"] });
    expect(options).not.toHaveProperty("import");
  });
});
