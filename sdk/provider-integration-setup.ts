import * as pulumi from "@pulumi/pulumi";
import { providerIntegrationSetupSpec } from "../provider/specs/provider-integration-setup";
import { hasType, registration, TOKEN_MODULE, typeTokenOf } from "./base";

/** Inputs of {@link ProviderIntegrationSetup}. pim/v2 has no update of these: every change replaces it. */
export interface ProviderIntegrationSetupArgs {
  /** Name of the integration, 1 to 60 characters. Replaces on change (x-immutable in the API). */
  displayName: pulumi.Input<string>;
  /** The cloud: `"AZURE"` or `"GCP"`. Replaces on change. */
  cloud: pulumi.Input<"AZURE" | "GCP">;
  /** The environment it belongs to (`{ id: "env-…" }`). Replaces on change. */
  environment: pulumi.Input<{ id: pulumi.Input<string> }>;
}

/**
 * A Confluent Cloud provider integration for Azure or GCP (pim/v2), as created: in `DRAFT` status, with
 * Confluent's side made (an Entra app, a Google service account) and no customer side yet. A
 * {@link ProviderIntegrationAuthorization} maps your tenant or service account onto it and validates it.
 * Import ID: `env-…/cspi-…`. An integration still in use cannot be deleted; the error names what uses it.
 */
export class ProviderIntegrationSetup extends pulumi.dynamic.Resource {
  /** Type token: `pulumi-nodejs:dynamic/confluent:ProviderIntegrationSetup`. */
  static readonly __pulumiType = typeTokenOf("ProviderIntegrationSetup");

  /** True when `obj` is a ProviderIntegrationSetup. */
  static isInstance(obj: unknown): obj is ProviderIntegrationSetup {
    return hasType(obj, ProviderIntegrationSetup.__pulumiType);
  }

  /** Name of the integration. Replaces on change. */
  declare readonly displayName: pulumi.Output<string>;
  /** `AZURE` or `GCP`. Replaces on change. */
  declare readonly cloud: pulumi.Output<"AZURE" | "GCP">;
  /** The environment. Replaces on change. */
  declare readonly environment: pulumi.Output<{ id: string }>;
  /**
   * `DRAFT` (no customer side yet), `CREATED` (authorized) or `ACTIVE` (in use), as of the last create or
   * refresh. Output only.
   */
  declare readonly status: pulumi.Output<string>;
  /** CRNs of what uses the integration (connectors …), as of the last create or refresh. Output only. */
  declare readonly usages: pulumi.Output<string[]>;

  /**
   * The id this object was adopted with: set through the `import` resource option; see the README's
   * migration section ("Migrating from @pulumi/confluentcloud"). Undefined for an object this stack created.
   */
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: ProviderIntegrationSetupArgs, opts?: pulumi.CustomResourceOptions) {
    const [provider, props, options] = registration(providerIntegrationSetupSpec, args, opts);
    super(provider, name, props, options, TOKEN_MODULE, "ProviderIntegrationSetup");
  }
}
