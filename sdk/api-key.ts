import * as pulumi from "@pulumi/pulumi";
import { apiKeySpec } from "../provider/specs/api-key";
import { hasType, registration, TOKEN_MODULE, typeTokenOf } from "./base";

/** The owner of an API key: a service account or a user. */
export interface ApiKeyOwner {
  /** Id of the owner, e.g. `sa-abc123` or `u-abc123`. */
  id: pulumi.Input<string>;
  /** API version of the owner, e.g. `iam/v2`. Informational: only the id is compared. */
  apiVersion?: pulumi.Input<string>;
  /** Kind of the owner: `ServiceAccount` or `User`. Informational: only the id is compared. */
  kind?: pulumi.Input<string>;
}

/** The resource a key is scoped to (a Kafka cluster, a Schema Registry, a Flink region …). */
export interface ApiKeyManagedResource {
  /** Id of the resource, e.g. `lkc-abc123`. */
  id: pulumi.Input<string>;
  /** API version of the resource, e.g. `cmk/v2`. Informational: only the id is compared. */
  apiVersion?: pulumi.Input<string>;
  /** Kind of the resource, e.g. `Cluster`. Informational: only the id is compared. */
  kind?: pulumi.Input<string>;
  /** Environment of the resource. */
  environment?: pulumi.Input<{ id: pulumi.Input<string> }>;
}

/** Inputs of {@link ApiKey}. */
export interface ApiKeyArgs {
  /** Name of the key. @default "" Changing it updates the key in place. */
  displayName?: pulumi.Input<string>;
  /** Description of the key. @default "" Changing it updates the key in place. */
  description?: pulumi.Input<string>;
  /** Who owns the key. Changing it replaces the key (a new key and secret). */
  owner: pulumi.Input<ApiKeyOwner>;
  /**
   * The resource the key is for. Leave it out for a Cloud API key. Changing it replaces the key.
   * @default undefined (a Cloud API key)
   */
  managedResource?: pulumi.Input<ApiKeyManagedResource>;
  /**
   * Skip waiting, after create, until the new key works. For a Cloud key we wait until the key itself
   * authenticates; for a resource key, until its record is readable through the Cloud API (the cluster's own
   * endpoint is not known to the provider). The wait is bounded (5 minutes); if it fails, the key stays in
   * the stack with the error. Changing it updates in place (no API call).
   * @default false
   */
  disableWaitForReady?: pulumi.Input<boolean>;
}

/**
 * A Confluent Cloud API key (iam/v2). Import IDs: `<keyId>` or `<envId>/<keyId>`. The secret is only known
 * to a key created by this stack: a key adopted with the `import` resource option has an empty secret (the API
 * showed it once, when the key was made), and is not waited for.
 */
export class ApiKey extends pulumi.dynamic.Resource {
  /** Type token: `pulumi-nodejs:dynamic/confluent:ApiKey`. */
  static readonly __pulumiType = typeTokenOf("ApiKey");

  /** True when `obj` is an ApiKey. */
  static isInstance(obj: unknown): obj is ApiKey {
    return hasType(obj, ApiKey.__pulumiType);
  }

  /** Name of the key. Updates in place. */
  declare readonly displayName: pulumi.Output<string>;
  /** Description of the key. Updates in place. */
  declare readonly description: pulumi.Output<string>;
  /** Owner of the key. Replaces on change. */
  declare readonly owner: pulumi.Output<{ id: string; apiVersion?: string; kind?: string }>;
  /** Resource the key is for; undefined for a Cloud key. Replaces on change. */
  declare readonly managedResource: pulumi.Output<
    { id: string; apiVersion?: string; kind?: string; environment?: { id: string } } | undefined
  >;
  /** Whether the readiness wait is skipped. */
  declare readonly disableWaitForReady: pulumi.Output<boolean | undefined>;
  /**
   * The key's secret (a Pulumi secret). Known only for keys created by this stack; `""` for a key adopted
   * with the `import` resource option (keep using the secret where it is stored, or replace the key).
   */
  declare readonly secret: pulumi.Output<string>;

  /**
   * The id this object was adopted with: set through the `import` resource option; see the README's
   * migration section ("Migrating from @pulumi/confluentcloud"). Undefined for an object this stack created.
   */
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: ApiKeyArgs, opts?: pulumi.CustomResourceOptions) {
    const [provider, props, options] = registration(apiKeySpec, args, opts);
    super(provider, name, props, options, TOKEN_MODULE, "ApiKey");
  }
}
