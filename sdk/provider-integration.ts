import * as pulumi from "@pulumi/pulumi";
import { providerIntegrationSpec } from "../provider/specs/provider-integration";
import { hasType, registration, TOKEN_MODULE, typeTokenOf } from "./base";

/** Inputs of {@link ProviderIntegration}. The API has no update: every change replaces the integration. */
export interface ProviderIntegrationArgs {
  /** Name of the integration, 1 to 60 characters. Replaces on change. */
  displayName: pulumi.Input<string>;
  /** The environment it belongs to (`{ id: "env-…" }`). Replaces on change. */
  environment: pulumi.Input<{ id: pulumi.Input<string> }>;
  /**
   * The AWS side: the IAM role in your account that Confluent assumes. Replaces on change.
   * @example { customerRoleArn: "arn:aws:iam::123456789012:role/confluent-s3-sink" }
   */
  aws: pulumi.Input<{ customerRoleArn: pulumi.Input<string> }>;
}

/** The AWS side of an integration, with what Confluent answered. */
export interface ProviderIntegrationAws {
  /** The role in your account that Confluent assumes (the input). */
  customerRoleArn: string;
  /** The Confluent role that assumes it: allow it in your role's trust policy. */
  iamRoleArn: string;
  /** The external id your role's trust policy must require (against the confused-deputy problem). */
  externalId: string;
}

/**
 * A Confluent Cloud provider integration (pim/v1, AWS): lets connectors and other Confluent services assume an
 * IAM role in your account. Import ID: `env-…/cspi-…`. An integration still in use cannot be deleted; the
 * error names what uses it.
 */
export class ProviderIntegration extends pulumi.dynamic.Resource {
  /** Type token: `pulumi-nodejs:dynamic/confluent:ProviderIntegration`. */
  static readonly __pulumiType = typeTokenOf("ProviderIntegration");

  /** True when `obj` is a ProviderIntegration. */
  static isInstance(obj: unknown): obj is ProviderIntegration {
    return hasType(obj, ProviderIntegration.__pulumiType);
  }

  /** Name of the integration. Replaces on change. */
  declare readonly displayName: pulumi.Output<string>;
  /** The environment. Replaces on change. */
  declare readonly environment: pulumi.Output<{ id: string }>;
  /** The AWS side, with `iamRoleArn` and `externalId` filled in by Confluent. */
  declare readonly aws: pulumi.Output<ProviderIntegrationAws>;
  /** CRNs of what uses the integration (connectors …), as of the last create or refresh. Output only. */
  declare readonly usages: pulumi.Output<string[]>;

  /**
   * The id this object was adopted with: set through the `import` resource option; see the README's
   * migration section ("Migrating from @pulumi/confluentcloud"). Undefined for an object this stack created.
   */
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: ProviderIntegrationArgs, opts?: pulumi.CustomResourceOptions) {
    const [provider, props, options] = registration(providerIntegrationSpec, args, opts);
    super(provider, name, props, options, TOKEN_MODULE, "ProviderIntegration");
  }
}
