import * as pulumi from "@pulumi/pulumi";
import { serviceAccountSpec } from "../provider/specs/service-account";
import { hasType, registration, TOKEN_MODULE, typeTokenOf } from "./base";

/** Inputs of {@link ServiceAccount}. */
export interface ServiceAccountArgs {
  /**
   * The service account's name, unique in the organization, 1 to 64 characters.
   * Changing it renames the account in place.
   * @example "ci-deployer"
   */
  displayName: pulumi.Input<string>;
  /**
   * Free-text description.
   * @default "" (no description)
   * Changing it updates the account in place.
   */
  description?: pulumi.Input<string>;
  /**
   * The principal to get the ResourceOwner role on the new service account, in the create call itself: a user
   * (`u-…`), service account (`sa-…`), identity pool (`pool-…`) or group mapping (`group-…`) id. Lets a
   * principal that may create service accounts but not grant roles at organization scope (an EnvironmentAdmin) hand
   * ownership over; a RoleBinding for the same would need AlterAccess. Applied on create only: the API
   * neither reports it nor changes it later, so changing it afterwards sends nothing (a progress line says
   * so; declare a RoleBinding instead), and an object adopted with the `import` option keeps its owners.
   * Not in @pulumi/confluentcloud (terraform-provider-confluent #1036, #946).
   * @default undefined (no ResourceOwner assigned)
   * @example "u-abc123"
   */
  assignedResourceOwner?: pulumi.Input<string>;
}

/**
 * A Confluent Cloud service account (iam/v2). Import ID: `sa-…`. Creating one whose display name is taken
 * fails with the existing account's id and the resource option that adopts it (`{ import: "sa-…" }`; the
 * Pulumi CLI's `pulumi import` command does not work for dynamic providers, pulumi/pulumi#16175).
 */
export class ServiceAccount extends pulumi.dynamic.Resource {
  /** Type token: `pulumi-nodejs:dynamic/confluent:ServiceAccount`. */
  static readonly __pulumiType = typeTokenOf("ServiceAccount");

  /** True when `obj` is a ServiceAccount. */
  static isInstance(obj: unknown): obj is ServiceAccount {
    return hasType(obj, ServiceAccount.__pulumiType);
  }

  /** The service account's name (unique in the organization). Updates in place. */
  declare readonly displayName: pulumi.Output<string>;
  /** Its description; `""` when none. Updates in place. */
  declare readonly description: pulumi.Output<string>;
  /** API version of the object, `iam/v2`. Output only. */
  declare readonly apiVersion: pulumi.Output<string>;
  /** Kind of the object, `ServiceAccount`. Output only. */
  declare readonly kind: pulumi.Output<string>;

  /** The principal assigned ResourceOwner when the service account was created; see the input. */
  declare readonly assignedResourceOwner: pulumi.Output<string | undefined>;

  /**
   * The id this object was adopted with: set through the `import` resource option; see the README's
   * migration section ("Migrating from @pulumi/confluentcloud"). Undefined for an object this stack created.
   */
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: ServiceAccountArgs, opts?: pulumi.CustomResourceOptions) {
    const [provider, props, options] = registration(serviceAccountSpec, args, opts);
    super(provider, name, props, options, TOKEN_MODULE, "ServiceAccount");
  }
}
