// An Azure provider integration lets Confluent (connectors, for instance) reach resources in your Azure
// tenant through a multi-tenant Entra app of Confluent's. Two steps, two resources:
//  1. ProviderIntegrationSetup makes the integration (DRAFT) and Confluent's app;
//  2. ProviderIntegrationAuthorization checks that your tenant trusts that app, then maps the tenant onto the
//     integration (CREATED). If the tenant is not ready, the up fails naming the command that fixes it.
import * as pulumi from "@pulumi/pulumi";
import * as confluentcloud from "pulumi-confluent-iam";

const config = new pulumi.Config();
const environmentId = config.get("environmentId") ?? "env-demo01";
const azureTenantId = config.get("azureTenantId") ?? "12345678-1234-4234-8234-123456789abc";

const setup = new confluentcloud.ProviderIntegrationSetup("azure", {
  displayName: config.get("displayName") ?? "azure-integration",
  cloud: "AZURE",
  environment: { id: environmentId },
});

const authorization = new confluentcloud.ProviderIntegrationAuthorization("azure-authorization", {
  providerIntegrationId: setup.id,
  environment: { id: environmentId },
  azure: { customerAzureTenantId: azureTenantId },
});

export const integrationId = setup.id;
export const confluentMultiTenantAppId = authorization.azure.apply((a) => a?.confluentMultiTenantAppId);
// What your tenant needs (once): the service principal of Confluent's app.
export const azureSetupCommand = authorization.azure.apply(
  (a) => `az ad sp create --id ${a?.confluentMultiTenantAppId}`,
);
