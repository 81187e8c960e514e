// Bring-your-own-key: register one customer-managed key per cloud with Confluent. The key fields are
// immutable in the API: changing the AWS key ARN replaces the Confluent key object (a new one is registered,
// then the old one is removed).
import * as pulumi from "@pulumi/pulumi";
import * as confluentcloud from "pulumi-confluent-iam";

const config = new pulumi.Config();
const awsKeyArn =
  config.get("awsKeyArn") ?? "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555";
const azureTenantId = config.get("azureTenantId") ?? "00000000-0000-4000-8000-0000000000aa";
const azureKeyVaultId =
  config.get("azureKeyVaultId") ??
  "/subscriptions/00000000-0000-4000-8000-0000000000bb/resourceGroups/security/providers/Microsoft.KeyVault/vaults/confluent-keys";
const azureKeyIdentifier =
  config.get("azureKeyIdentifier") ??
  "https://confluent-keys.vault.azure.net/keys/kafka-byok/0123456789abcdef0123456789abcdef";
const gcpKeyId =
  config.get("gcpKeyId") ??
  "projects/acme-security/locations/us-central1/keyRings/confluent/cryptoKeys/kafka-byok";

const aws = new confluentcloud.ByokKey("aws-key", {
  displayName: config.get("awsDisplayName") ?? "kafka-byok-aws",
  aws: { keyArn: awsKeyArn },
});
const azure = new confluentcloud.ByokKey("azure-key", {
  displayName: "kafka-byok-azure",
  azure: { tenantId: azureTenantId, keyVaultId: azureKeyVaultId, keyIdentifier: azureKeyIdentifier },
});
const gcp = new confluentcloud.ByokKey("gcp-key", {
  displayName: "kafka-byok-gcp",
  gcp: { keyId: gcpKeyId },
});

export const awsKeyId = aws.id;
// The IAM roles Confluent needs in the AWS key policy, the Azure application to grant access to the vault,
// and the Google group to grant the KMS role to.
export const awsKeyPolicyRoles = aws.aws.apply((a) => a?.roles ?? []);
export const azureKeyId = azure.id;
export const azureApplicationId = azure.azure.apply((a) => a?.applicationId);
export const gcpByokKeyId = gcp.id;
export const gcpSecurityGroup = gcp.gcp.apply((g) => g?.securityGroup);
