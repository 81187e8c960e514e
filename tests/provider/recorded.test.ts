import * as fs from "fs";
import * as path from "path";
import type { z } from "zod";
import {
  azureMarketplaceApiKeyResponse,
  azureMarketplaceApiKeySpec,
} from "../../provider/specs/azure-marketplace-api-key";
import { byokKeyResponse, byokKeySpec } from "../../provider/specs/byok-key";
import { identityPoolResponse, identityPoolSpec } from "../../provider/specs/identity-pool";
import {
  providerIntegrationResponse,
  providerIntegrationSpec,
} from "../../provider/specs/provider-integration";
import { recordedEntries, specsByRecordedFolder } from "./support/recorded-folders";

const RECORDED = "/work/shared/recorded";
const SEEDS = "/work/shared/seeds";

// Which response schema answers which recorded folder, from each spec's own routes (list bodies are checked
// item by item); tests/invariants.test.ts checks that every recorded folder has a spec.
const schemas: Record<string, z.ZodTypeAny> = Object.fromEntries(
  [...specsByRecordedFolder()].map(([folder, spec]) => [folder, spec.response]),
);

const read = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(RECORDED, file), "utf8"));

const bodies = recordedEntries.filter(
  (e) =>
    e.kind === "response_body" &&
    Object.keys(schemas).some((k) => e.file.startsWith(`${k}/`)) &&
    e.used_as.every((u) => (u.mock_status ?? 200) < 300),
);

describe("recorded real API bodies parse with the provider's response schemas", () => {
  it("covers the recordings of every object with a schema", () => {
    expect(bodies.length).toBeGreaterThanOrEqual(40);
    for (const folder of Object.keys(schemas)) {
      expect({ folder, found: bodies.some((b) => b.file.startsWith(`${folder}/`)) }).toEqual({
        folder,
        found: true,
      });
    }
  });

  it.each(bodies.map((e) => [e.file] as const))("%s", (file) => {
    const folder = Object.keys(schemas).find((k) => file.startsWith(`${k}/`))!;
    const schema = schemas[folder]!;
    const body = JSON.parse(fs.readFileSync(path.join(RECORDED, file), "utf8")) as Record<string, unknown>;
    const items = Array.isArray(body.data) ? (body.data as unknown[]) : [body];
    for (const item of items) {
      const r = schema.safeParse(item);
      expect(r.success ? "ok" : JSON.stringify(r.error.issues)).toBe("ok");
    }
  });
});

describe("recorded bodies map to the outputs the SDK classes declare", () => {
  it("a pim/v1 integration: iam_role_arn and external_id come under config, and become aws.iamRoleArn / aws.externalId", () => {
    const body = providerIntegrationResponse.parse(read("pim-v1/integrations/get__aws_integration.json"));
    expect(providerIntegrationSpec.toOutputs(body)).toEqual({
      displayName: "s3_provider_integration",
      environment: { id: "env-00000" },
      aws: {
        customerRoleArn: "arn:aws:iam::000000000000:role/my-test-aws-role",
        iamRoleArn: "arn:aws:iam::000000000000:role/my-test-aws-role",
        externalId: "95c35493-41aa-44f8-9154-5a25cbbc1865",
      },
      usages: [
        "crn://confluent.cloud/organization=9bb441c4-edef-46ac-8a41-c49e44a3fd9a/environment=env-456xy/cloud-cluster=lkc-123abc/connector=my_datagen_connector",
      ],
    });
  });

  it("BYOK keys: the server-filled roles / application_id / security_group, provider and state", () => {
    const aws = byokKeySpec.toOutputs(
      byokKeyResponse.parse(read("byok-v1/keys/create_and_get__aws_key.json")),
    );
    expect(aws).toEqual(
      expect.objectContaining({
        aws: {
          keyArn: "arn:aws:kms:us-west-2:111111111111:key/11111111-1111-1111-1111-111111111111",
          roles: [
            "arn:aws:iam::111111111111:role/testRoleId1",
            "arn:aws:iam::111111111111:role/testRoleId2",
            "arn:aws:iam::111111111111:role/testRoleId3",
          ],
        },
        azure: undefined,
        gcp: undefined,
        provider: "AWS",
        state: "AVAILABLE",
      }),
    );
    const azure = byokKeySpec.toOutputs(
      byokKeyResponse.parse(read("byok-v1/keys/create_and_get__azure_key.json")),
    );
    expect(azure.azure).toEqual({
      keyIdentifier: "https://test-vault.vault.azure.net/keys/test-key/dd554e3117e74ed8bbcd43390e1e3824",
      keyVaultId:
        "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/test-vault/providers/Microsoft.KeyVault/vaults/test-vault",
      tenantId: "11111111-1111-1111-1111-111111111111",
      applicationId: "11111111-1111-1111-1111-111111111111",
    });
    const gcp = byokKeySpec.toOutputs(
      byokKeyResponse.parse(read("byok-v1/keys/get__gcp_key_with_validation.json")),
    );
    expect(gcp).toEqual(
      expect.objectContaining({
        displayName: "Key for billing cluster",
        gcp: {
          keyId:
            "projects/exampleproject/locations/us-central1/keyRings/testkeyring/cryptoKeys/testbyokkey/cryptoKeyVersions/3",
          securityGroup: "testgroupid@domain.com",
        },
        state: "IN_USE",
      }),
    );
  });

  it("an identity pool names its provider only in metadata: the import gets identityProvider from the CRN", () => {
    const body = identityPoolResponse.parse(read("iam-v2/identity-pools/create_and_get__identity_pool.json"));
    expect(identityPoolSpec.toOutputs(body)).toEqual({
      identityProvider: { id: "op-4EY" },
      displayName: "My Identity Pool",
      description: "Prod Access to Kafka clusters to Release Engineering",
      identityClaim: "claims.sub",
      filter: 'claims.aud=="confluent" && claims.group!="invalid_group"',
      principal: "pool-AzXR",
    });
  });

  it("the Azure Resource Manager sample answer of seed 003 parses and maps (no environment in its resource)", () => {
    const seedText = fs.readFileSync(
      fs
        .readdirSync(SEEDS)
        .map((f) => path.join(SEEDS, f))
        .find((f) => /003_/.test(f))!,
      "utf8",
    );
    const sample = seedText.slice(seedText.indexOf("Sample response") + "Sample response".length);
    const json = sample.slice(sample.indexOf("{"), sample.indexOf("\nDefinitions"));
    const body = azureMarketplaceApiKeyResponse.parse(JSON.parse(json));
    expect(azureMarketplaceApiKeySpec.toOutputs(body)).toEqual({
      displayName: "CI kafka access key",
      description: "This API key provides kafka access to cluster x",
      owner: { id: "sa-wwn7mm", kind: "ServiceAccount" },
      resourceKind: "SchemaRegistry",
      secret: "",
    });
  });
});
