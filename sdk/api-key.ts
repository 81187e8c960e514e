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

/**
 * The resource a key is scoped to:
 * - a Kafka cluster: `{ id: "lkc-…", apiVersion: "cmk/v2", kind: "Cluster", environment: { id: "env-…" } }`;
 * - a Schema Registry: `{ id: "lsrc-…", apiVersion: "srcm/v3", kind: "Cluster", environment: { id } }`;
 * - a Flink region: `{ id: "aws.us-east-1", apiVersion: "fcpm/v2", kind: "Region", environment: { id } }`
 *   (the environment is required);
 * - Tableflow: `{ id: "tableflow", apiVersion: "tableflow/v1", kind: "Tableflow" }` (no environment);
 * - Global: `{ id: "global", apiVersion: "global/v1", kind: "Global" }` (no environment).
 */
export interface ApiKeyManagedResource {
  /** Id of the resource, e.g. `lkc-abc123`, `aws.us-east-1`, `tableflow` or `global`. */
  id: pulumi.Input<string>;
  /**
   * API version of the resource, e.g. `cmk/v2`. Tells the key's kind apart (with `kind` and the id); sent to
   * the API only for Flink (`fcpm/v2`), Tableflow and Global keys. Only the id is compared.
   */
  apiVersion?: pulumi.Input<string>;
  /** Kind of the resource, e.g. `Cluster` or `Region`. Used as `apiVersion` is; only the id is compared. */
  kind?: pulumi.Input<string>;
  /**
   * Environment of the resource: required for a Flink key, not allowed for Tableflow and Global keys; for
   * Kafka and Schema Registry keys it is how the readiness wait finds the cluster's endpoint.
   */
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
   * Skip waiting, after create, until the new key works. The new key itself calls a route of the place it is
   * for until it authenticates: Cloud and Global keys `GET /org/v2/environments`, Kafka keys the cluster's
   * REST endpoint, Schema Registry keys the registry's. Flink, Tableflow and ksqlDB keys have no documented
   * route to try, so they are not waited for (a progress line says so). The wait is bounded (5 minutes); if
   * it fails, the key stays in the stack with the error. Changing it updates in place (no API call).
   * @default false
   */
  disableWaitForReady?: pulumi.Input<boolean>;
  /**
   * The secret of an existing key this resource adopts (with the `import` resource option), for a team that
   * keeps it in a vault or in stack config (`config.requireSecret(...)`). Made a Pulumi secret by this class
   * and stored only encrypted. The provider checks it with one authenticated call (the key's readiness probe:
   * a Cloud key calls `GET /org/v2/environments?page_size=1` with it) and keeps it as the {@link ApiKey.secret}
   * output; a wrong secret fails, naming the key, never the value. It is sent to the API in no other call.
   * Kinds with no probe (Flink, Tableflow) keep it unchecked, and a progress line says so. A key being
   * created (no `import` option) refuses it: the API makes a new key's secret.
   * @default undefined (an adopted key's secret output is `""`)
   */
  secret?: pulumi.Input<string>;
}

/**
 * A Confluent Cloud API key (iam/v2). Import IDs: `<keyId>` or `<envId>/<keyId>`. The secret is known to a
 * key created by this stack, and to a key adopted with the `import` resource option whose program gives its
 * `secret` input; otherwise an adopted key's secret is empty (the API showed it once, when the key was made).
 * An adopted key is not waited for.
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
   * The key's secret (a Pulumi secret). Known for keys created by this stack, and for a key adopted with the
   * `import` resource option together with its `secret` input (checked); `""` for a key adopted without it.
   */
  declare readonly secret: pulumi.Output<string>;

  /**
   * The id this object was adopted with: set through the `import` resource option; see the README's
   * migration section ("Migrating from @pulumi/confluentcloud"). Undefined for an object this stack created.
   */
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: ApiKeyArgs, opts?: pulumi.CustomResourceOptions) {
    const secretArgs: ApiKeyArgs =
      args.secret === undefined ? args : { ...args, secret: pulumi.secret(args.secret) };
    const [provider, props, options] = registration(apiKeySpec, secretArgs, opts);
    super(provider, name, props, options, TOKEN_MODULE, "ApiKey");
  }
}
