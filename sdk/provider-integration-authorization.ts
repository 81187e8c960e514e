import * as pulumi from "@pulumi/pulumi";
import { providerIntegrationAuthorizationSpec } from "../provider/specs/provider-integration-authorization";
import { hasType, registration, TOKEN_MODULE, typeTokenOf } from "./base";

/** Inputs of {@link ProviderIntegrationAuthorization}: exactly one of `azure` and `gcp`. */
export interface ProviderIntegrationAuthorizationArgs {
  /** The integration to authorize: a {@link ProviderIntegrationSetup}'s id (`cspi-…`). Replaces on change. */
  providerIntegrationId: pulumi.Input<string>;
  /** The integration's environment (`{ id: "env-…" }`). Replaces on change. */
  environment: pulumi.Input<{ id: pulumi.Input<string> }>;
  /**
   * For an Azure integration: your Microsoft Entra tenant, where the service principal of Confluent's app
   * lives. Updates in place while the integration is `DRAFT`; once it is `CREATED` the API refuses a change
   * (the error says to replace the setup).
   * @example { customerAzureTenantId: "12345678-1234-1234-1234-123456789abc" }
   */
  azure?: pulumi.Input<{ customerAzureTenantId: pulumi.Input<string> }>;
  /**
   * For a GCP integration: your Google service account that Confluent impersonates. Updates in place while
   * the integration is `DRAFT`; once it is `CREATED` the API refuses a change (the error says to replace
   * the setup).
   * @example { customerGoogleServiceAccount: "connectors@my-project.iam.gserviceaccount.com" }
   */
  gcp?: pulumi.Input<{ customerGoogleServiceAccount: pulumi.Input<string> }>;
}

/** The Azure side of an authorization, with Confluent's app. */
export interface ProviderIntegrationAuthorizationAzure {
  /** Your tenant (the input). */
  customerAzureTenantId: string;
  /** Confluent's multi-tenant app: create its service principal in your tenant (`az ad sp create --id …`). */
  confluentMultiTenantAppId: string;
}

/** The GCP side of an authorization, with Confluent's service account. */
export interface ProviderIntegrationAuthorizationGcp {
  /** Your service account (the input). */
  customerGoogleServiceAccount: string;
  /** Confluent's service account: grant it Token Creator on yours. */
  googleServiceAccount: string;
}

/**
 * Authorizes a pim/v2 provider integration made by a {@link ProviderIntegrationSetup}: validates your Azure
 * tenant or Google service account (`POST /pim/v2/integrations:validate`), then maps it onto the
 * integration (`PATCH`, which makes it `CREATED`). A cloud side that is not ready fails the create with
 * nothing changed, naming what is missing and the command that fixes it. Delete sends nothing: the API
 * cannot remove a customer configuration, so the integration keeps it until its setup is deleted. Import
 * ID: `env-…/cspi-…`.
 */
export class ProviderIntegrationAuthorization extends pulumi.dynamic.Resource {
  /** Type token: `pulumi-nodejs:dynamic/confluent:ProviderIntegrationAuthorization`. */
  static readonly __pulumiType = typeTokenOf("ProviderIntegrationAuthorization");

  /** True when `obj` is a ProviderIntegrationAuthorization. */
  static isInstance(obj: unknown): obj is ProviderIntegrationAuthorization {
    return hasType(obj, ProviderIntegrationAuthorization.__pulumiType);
  }

  /** The integration's id. Replaces on change. */
  declare readonly providerIntegrationId: pulumi.Output<string>;
  /** The environment. Replaces on change. */
  declare readonly environment: pulumi.Output<{ id: string }>;
  /** The Azure side, with `confluentMultiTenantAppId` filled in by Confluent; undefined for GCP. */
  declare readonly azure: pulumi.Output<ProviderIntegrationAuthorizationAzure | undefined>;
  /** The GCP side, with `googleServiceAccount` filled in by Confluent; undefined for Azure. */
  declare readonly gcp: pulumi.Output<ProviderIntegrationAuthorizationGcp | undefined>;

  /**
   * The id this object was adopted with: set through the `import` resource option; see the README's
   * migration section ("Migrating from @pulumi/confluentcloud"). Undefined for an object this stack created.
   */
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: ProviderIntegrationAuthorizationArgs, opts?: pulumi.CustomResourceOptions) {
    const [provider, props, options] = registration(providerIntegrationAuthorizationSpec, args, opts);
    super(provider, name, props, options, TOKEN_MODULE, "ProviderIntegrationAuthorization");
  }
}
