import * as pulumi from "@pulumi/pulumi";
import { apiKeyRotationSpec } from "../provider/specs/api-key-rotation";
import type { ApiKeyManagedResource, ApiKeyOwner } from "./api-key";
import { hasType, registration, TOKEN_MODULE, typeTokenOf } from "./base";

/** Inputs of {@link ApiKeyRotation}. */
export interface ApiKeyRotationArgs {
  /** Name of each key. @default "" Changing it renames the keys in place. */
  displayName?: pulumi.Input<string>;
  /** Description of each key. @default "" Changing it updates the keys in place. */
  description?: pulumi.Input<string>;
  /** Who owns the keys. Changing it replaces the rotation (new keys; the old ones are deleted). */
  owner: pulumi.Input<ApiKeyOwner>;
  /**
   * The resource the keys are for. Leave it out for Cloud API keys. Changing it replaces the rotation.
   * @default undefined (Cloud API keys)
   */
  managedResource?: pulumi.Input<ApiKeyManagedResource>;
  /**
   * How long a key stays the active one: an ISO-8601 duration of weeks, days, hours, minutes or seconds
   * (`"P90D"`, `"P13W"`), or a number of days. Months and years are refused (their length varies). The
   * first `up` (or `preview`) after `nextRotationAt` rotates. Changing it moves `nextRotationAt` (no API
   * call, unless the new period is already over).
   * @example "P90D"
   */
  rotationPeriod: pulumi.Input<string | number>;
  /**
   * How long the previous key stays valid after a new one becomes active: the time your consumers need to
   * pick up the new secret (their redeploy time, with a margin). Must be shorter than `rotationPeriod`.
   * Same formats as `rotationPeriod`.
   * @default "P7D"
   */
  overlap?: pulumi.Input<string | number>;
  /** Any value; changing it rotates the key at the next `up` (e.g. after a suspected leak). */
  rotationTrigger?: pulumi.Input<unknown>;
}

/** The key in use. */
export interface ApiKeyRotationActiveKey {
  /** The key's id (its API key). */
  id: string;
  /** The key's secret. */
  secret: string;
  /** When it was created (ISO-8601). */
  createdAt: string;
}

/** The key in use before the last rotation, valid until `retiresAt`. */
export interface ApiKeyRotationPreviousKey {
  /** The key's id (its API key). */
  id: string;
  /** The key's secret. */
  secret: string;
  /** From when the next `up` deletes it (ISO-8601): the rotation's time plus `overlap`. */
  retiresAt: string;
}

/**
 * A Confluent Cloud API key that is replaced every `rotationPeriod` without an outage: the new key is
 * created and waited for until it authenticates, then becomes `active`, and the former one stays valid as
 * `previous` for `overlap` before an `up` deletes it. At most two keys are alive. Run `up` on a schedule
 * (daily) so rotations and retirements happen when due; `preview` shows them as updates, naming why.
 * See the README section "Rotating API keys".
 */
export class ApiKeyRotation extends pulumi.dynamic.Resource {
  /** Type token: `pulumi-nodejs:dynamic/confluent:ApiKeyRotation`. */
  static readonly __pulumiType = typeTokenOf("ApiKeyRotation");

  /** True when `obj` is an ApiKeyRotation. */
  static isInstance(obj: unknown): obj is ApiKeyRotation {
    return hasType(obj, ApiKeyRotation.__pulumiType);
  }

  /** Name of the keys. Updates in place. */
  declare readonly displayName: pulumi.Output<string>;
  /** Description of the keys. Updates in place. */
  declare readonly description: pulumi.Output<string>;
  /** Owner of the keys. Replaces on change. */
  declare readonly owner: pulumi.Output<{ id: string; apiVersion?: string; kind?: string }>;
  /** Resource the keys are for; undefined for Cloud keys. Replaces on change. */
  declare readonly managedResource: pulumi.Output<
    { id: string; apiVersion?: string; kind?: string; environment?: { id: string } } | undefined
  >;
  /** How long a key stays active. */
  declare readonly rotationPeriod: pulumi.Output<string | number>;
  /** How long the previous key stays valid after a rotation. */
  declare readonly overlap: pulumi.Output<string | number | undefined>;
  /** The value whose change rotates now. */
  declare readonly rotationTrigger: pulumi.Output<unknown>;
  /** The key consumers use (a Pulumi secret). */
  declare readonly active: pulumi.Output<ApiKeyRotationActiveKey>;
  /**
   * The key in use before the last rotation, while it lives (a Pulumi secret); undefined once retired.
   * Consumers that have not picked up `active` yet still authenticate with it.
   */
  declare readonly previous: pulumi.Output<ApiKeyRotationPreviousKey | undefined>;
  /**
   * A key a rotation created that has not authenticated yet (a Pulumi secret); the next `up` finishes the
   * rotation. Undefined normally; consumers never use it.
   */
  declare readonly pending: pulumi.Output<ApiKeyRotationActiveKey | undefined>;
  /** When the active key is due for rotation (ISO-8601): its `createdAt` plus `rotationPeriod`. */
  declare readonly nextRotationAt: pulumi.Output<string>;

  /** Always undefined: a rotation cannot adopt an existing key (its secret is not known). */
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: ApiKeyRotationArgs, opts?: pulumi.CustomResourceOptions) {
    const [provider, props, options] = registration(apiKeyRotationSpec, args, opts);
    super(provider, name, props, options, TOKEN_MODULE, "ApiKeyRotation");
  }
}
