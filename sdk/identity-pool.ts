import * as pulumi from "@pulumi/pulumi";
import { identityPoolSpec } from "../provider/specs/identity-pool";
import { hasType, registration, TOKEN_MODULE, typeTokenOf } from "./base";

/** Inputs of {@link IdentityPool}. */
export interface IdentityPoolArgs {
  /** The identity provider the pool belongs to (`{ id: provider.id }`). Replaces on change. */
  identityProvider: pulumi.Input<{ id: pulumi.Input<string> }>;
  /** Name of the pool. Updates in place. */
  displayName: pulumi.Input<string>;
  /** Free-text description. @default "" Updates in place. */
  description?: pulumi.Input<string>;
  /** The claim that identifies a token's subject, e.g. `claims.sub`. Updates in place. */
  identityClaim: pulumi.Input<string>;
  /**
   * Which tokens belong to the pool: a CEL expression over the claims, not empty. The server judges its
   * syntax and its length (a per-organization limit, 300 characters unless Confluent raised it; its 400 names
   * the limit). Updates in place.
   * @example 'claims.aud=="confluent" && claims.group!="invalid_group"'
   */
  filter: pulumi.Input<string>;
  /**
   * The principal to get the ResourceOwner role on the new identity pool, in the create call itself: a user
   * (`u-…`), service account (`sa-…`), identity pool (`pool-…`) or group mapping (`group-…`) id. Lets a
   * principal that may create identity pools but not grant roles at organization scope (an EnvironmentAdmin) hand
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
 * A Confluent Cloud identity pool (iam/v2), under an identity provider. Grant it roles with a RoleBinding whose
 * principal is `User:<pool id>` (see {@link IdentityPool.principal}). Import ID: `op-…/pool-…`.
 */
export class IdentityPool extends pulumi.dynamic.Resource {
  /** Type token: `pulumi-nodejs:dynamic/confluent:IdentityPool`. */
  static readonly __pulumiType = typeTokenOf("IdentityPool");

  /** True when `obj` is an IdentityPool. */
  static isInstance(obj: unknown): obj is IdentityPool {
    return hasType(obj, IdentityPool.__pulumiType);
  }

  /** The identity provider. Replaces on change. */
  declare readonly identityProvider: pulumi.Output<{ id: string }>;
  /** Name of the pool. Updates in place. */
  declare readonly displayName: pulumi.Output<string>;
  /** Description; `""` when none. Updates in place. */
  declare readonly description: pulumi.Output<string>;
  /** Identity claim. Updates in place. */
  declare readonly identityClaim: pulumi.Output<string>;
  /** Filter expression. Updates in place. */
  declare readonly filter: pulumi.Output<string>;
  /** The pool's principal id for role bindings (the pool id). Output only. */
  declare readonly principal: pulumi.Output<string>;

  /** The principal assigned ResourceOwner when the identity pool was created; see the input. */
  declare readonly assignedResourceOwner: pulumi.Output<string | undefined>;

  /**
   * The id this object was adopted with: set through the `import` resource option; see the README's
   * migration section ("Migrating from @pulumi/confluentcloud"). Undefined for an object this stack created.
   */
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: IdentityPoolArgs, opts?: pulumi.CustomResourceOptions) {
    const [provider, props, options] = registration(identityPoolSpec, args, opts);
    super(provider, name, props, options, TOKEN_MODULE, "IdentityPool");
  }
}
