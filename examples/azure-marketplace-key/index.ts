// For Confluent organizations bought through the Azure Marketplace: create a Kafka API key through Azure
// Resource Manager (Microsoft.Confluent), authenticated with an Azure AD token instead of a Cloud API key.
// The token comes from AZURE_ACCESS_TOKEN (e.g. `az account get-access-token --query accessToken -o tsv`);
// the ARM endpoint from AZURE_RESOURCE_MANAGER_ENDPOINT or the config below.
import * as pulumi from "@pulumi/pulumi";
import * as confluentcloud from "pulumi-confluent-iam";

const config = new pulumi.Config();
const armEndpoint = config.get("azureResourceManagerEndpoint");

const key = new confluentcloud.AzureMarketplaceApiKey("orders-kafka-key", {
  subscriptionId: config.get("subscriptionId") ?? "00000000-0000-4000-8000-0000000000cc",
  resourceGroupName: config.get("resourceGroupName") ?? "confluent-rg",
  organizationName: config.get("organizationName") ?? "acme-confluent",
  managedResource: {
    id: config.get("kafkaClusterId") ?? "lkc-demo01",
    environment: { id: config.get("environmentId") ?? "env-demo01" },
  },
  displayName: config.get("displayName") ?? "orders-kafka-key",
  description: "Kafka API key for the orders service, created through Azure",
  ...(armEndpoint ? { azureResourceManagerEndpoint: armEndpoint } : {}),
});

export const apiKeyId = key.id;
export const apiKeySecret = pulumi.secret(key.secret);
