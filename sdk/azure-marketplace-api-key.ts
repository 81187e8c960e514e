import * as pulumi from "@pulumi/pulumi";
import { azureMarketplaceApiKeySpec } from "../provider/specs/azure-marketplace-api-key";
import { checkArgsObject, hasType, registration, TOKEN_MODULE, typeTokenOf } from "./base";

/** The Kafka cluster or Schema Registry the key is for. */
export interface AzureMarketplaceApiKeyResource {
  /** Id of the Kafka cluster (`lkc-…`) or Schema Registry (`lsrc-…`). Replaces on change. */
  id: pulumi.Input<string>;
  /** Its environment. Replaces on change. */
  environment: pulumi.Input<{ id: pulumi.Input<string> }>;
}

/** Inputs of {@link AzureMarketplaceApiKey}. Every change but the token and endpoint replaces the key. */
export interface AzureMarketplaceApiKeyArgs {
  /** The Azure subscription of the Confluent organization resource (a UUID). Replaces on change. */
  subscriptionId: pulumi.Input<string>;
  /** The Azure resource group of the Confluent organization resource. Replaces on change. */
  resourceGroupName: pulumi.Input<string>;
  /** Name of the Confluent organization resource in Azure (`Microsoft.Confluent/organizations`). Replaces on change. */
  organizationName: pulumi.Input<string>;
  /** The Kafka cluster or Schema Registry the key is for. Replaces on change. */
  managedResource: pulumi.Input<AzureMarketplaceApiKeyResource>;
  /** Name of the key (Azure's `name`). @default "" Replaces on change. */
  displayName?: pulumi.Input<string>;
  /** Description of the key. @default "" Replaces on change. */
  description?: pulumi.Input<string>;
  /**
   * An Azure AD access token for Azure Resource Manager, made a Pulumi secret by this class. Used by create
   * only and never stored in the stack (it expires within hours): refresh, replace and destroy read the
   * environment variable `AZURE_ACCESS_TOKEN`, which also serves create when this is left out. A new token
   * does not change the key.
   * @default process.env.AZURE_ACCESS_TOKEN
   */
  azureAccessToken?: pulumi.Input<string>;
  /**
   * The Azure Resource Manager endpoint (another Azure cloud). A change updates the stack only.
   * @default process.env.AZURE_RESOURCE_MANAGER_ENDPOINT, else "https://management.azure.com"
   */
  azureResourceManagerEndpoint?: pulumi.Input<string>;
}

/**
 * A Kafka or Schema Registry API key created through Azure Resource Manager, for Confluent organizations
 * bought through the Azure Marketplace (authenticated with an Azure AD token instead of a Cloud API key).
 * The secret is a Pulumi secret, known only to the stack that created the key. Import ID: the key's Azure
 * resource id, `/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Confluent/organizations/<org>/apiKeys/<keyId>`.
 */
export class AzureMarketplaceApiKey extends pulumi.dynamic.Resource {
  /** Type token: `pulumi-nodejs:dynamic/confluent:AzureMarketplaceApiKey`. */
  static readonly __pulumiType = typeTokenOf("AzureMarketplaceApiKey");

  /** True when `obj` is an AzureMarketplaceApiKey. */
  static isInstance(obj: unknown): obj is AzureMarketplaceApiKey {
    return hasType(obj, AzureMarketplaceApiKey.__pulumiType);
  }

  /** Azure subscription id. Replaces on change. */
  declare readonly subscriptionId: pulumi.Output<string>;
  /** Azure resource group. Replaces on change. */
  declare readonly resourceGroupName: pulumi.Output<string>;
  /** Confluent organization resource name. Replaces on change. */
  declare readonly organizationName: pulumi.Output<string>;
  /** The cluster or Schema Registry. Replaces on change. */
  declare readonly managedResource: pulumi.Output<{ id: string; environment?: { id: string } }>;
  /** Name of the key. Replaces on change. */
  declare readonly displayName: pulumi.Output<string>;
  /** Description of the key. Replaces on change. */
  declare readonly description: pulumi.Output<string>;
  /** The ARM endpoint in use, when set. */
  declare readonly azureResourceManagerEndpoint: pulumi.Output<string | undefined>;
  /** Who owns the key in Confluent (the organization's Marketplace owner). Output only. */
  declare readonly owner: pulumi.Output<{ id: string; kind?: string }>;
  /** `Cluster` (Kafka) or `SchemaRegistry`. Output only. */
  declare readonly resourceKind: pulumi.Output<string>;
  /**
   * The key's secret (a Pulumi secret). Known only to the stack that created the key; `""` for a key adopted
   * with the `import` resource option.
   */
  declare readonly secret: pulumi.Output<string>;

  /**
   * The id this object was adopted with: set through the `import` resource option; see the README's
   * migration section ("Migrating from @pulumi/confluentcloud"). Undefined for an object this stack created.
   */
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: AzureMarketplaceApiKeyArgs, opts?: pulumi.CustomResourceOptions) {
    // Before the spread below, which would hide an Output given as the whole args.
    checkArgsObject("AzureMarketplaceApiKey", args);
    const withSecretToken: AzureMarketplaceApiKeyArgs =
      args.azureAccessToken === undefined
        ? args
        : { ...args, azureAccessToken: pulumi.secret(args.azureAccessToken) };
    const [provider, props, options] = registration(azureMarketplaceApiKeySpec, withSecretToken, opts);
    super(provider, name, props, options, TOKEN_MODULE, "AzureMarketplaceApiKey");
  }
}
