import * as pulumi from "@pulumi/pulumi";
import * as sdk from "pulumi-confluent-iam";
import { ApiKey } from "pulumi-confluent-iam";
// Internal: the main entry does not export it (issue 23, bypass by type).
import { makeProvider } from "../../sdk/provider";
import { captureRegistration } from "../../testing/capture";
import { table } from "../../testing/table";

// Values that must never end up in state through the provider text.
const SECRETS = ["EMULATORDEMOKEY1", "emulator-demo-secret-not-a-real-secret", "http://127.0.0.1"];

describe("the package's main entry", () => {
  it("exports nothing that builds this package's provider outside its classes", () => {
    expect(Object.keys(sdk)).not.toContain("makeProvider");
    for (const value of Object.values(sdk)) {
      expect(String(value)).not.toContain("pulumi-confluent-iam/provider");
    }
  });
});

describe("serialized provider", () => {
  beforeAll(() => {
    process.env.CONFLUENT_CLOUD_API_KEY = SECRETS[0];
    process.env.CONFLUENT_CLOUD_API_SECRET = SECRETS[1];
    process.env.CONFLUENT_CLOUD_ENDPOINT = SECRETS[2];
  });
  afterAll(() => {
    delete process.env.CONFLUENT_CLOUD_API_KEY;
    delete process.env.CONFLUENT_CLOUD_API_SECRET;
    delete process.env.CONFLUENT_CLOUD_ENDPOINT;
  });

  it.each(table.map((e) => [e.kind, e] as const))(
    "%s: at most 2 KB, requires the provider module by name, calls operations by name, captures only the kind and no credential",
    async (kind, entry) => {
      const reg = await captureRegistration(entry.register);
      expect(reg.type).toBe(`pulumi-nodejs:dynamic/confluent:${kind}`);
      expect(reg.providerText).toContain('() => require("pulumi-confluent-iam/provider").kind(k)');
      // Every method calls the operation of its own name (never a number: the order is stored in state).
      for (const m of ["configure", "check", "diff", "create", "read", "update", "delete"]) {
        expect(reg.providerText).toContain(`(...a) => f().${m}(a)`);
      }
      expect(reg.providerText).not.toMatch(/\bop\[/);
      expect(reg.providerText).toContain(`k: ${JSON.stringify(kind)}`);
      expect(reg.providerText.length).toBeLessThanOrEqual(2048);
      for (const s of SECRETS) expect(reg.providerText).not.toContain(s);
    },
  );

  it("the longest class name still fits in 2 KB", async () => {
    const reg = await captureRegistration(
      () =>
        new (class Long extends pulumi.dynamic.Resource {
          constructor() {
            super(
              makeProvider("AzureMarketplaceApiKey"),
              "long",
              {},
              {},
              "confluent",
              "AzureMarketplaceApiKey",
            );
          }
        })(),
    );
    expect(reg.providerText.length).toBeLessThanOrEqual(2048);
  });

  it("registers only the given inputs (output keys are undefined) and isInstance recognizes the class", async () => {
    let key: unknown;
    const reg = await captureRegistration(() => (key = new ApiKey("k", { owner: { id: "sa-1" } })));
    expect(Object.keys(reg.inputs).sort()).toEqual(["__provider", "owner"]);
    expect(ApiKey.isInstance(key)).toBe(true);
    expect(ApiKey.isInstance({})).toBe(false);
  });
});
