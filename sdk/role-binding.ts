import * as pulumi from "@pulumi/pulumi";
import { roleBindingSpec } from "../provider/specs/role-binding";
import { hasType, registration, TOKEN_MODULE, typeTokenOf } from "./base";

/** Inputs of {@link RoleBinding}. Every change replaces the binding (the API has no update). */
export interface RoleBindingArgs {
  /** Who gets the role: `User:<id>` (users, service accounts, identity pools) or `Group:<id>`. Replaces on change. */
  principal: pulumi.Input<string>;
  /** The role, e.g. `CloudClusterAdmin`, `DeveloperRead`. Replaces on change. */
  roleName: pulumi.Input<string>;
  /**
   * Where the role applies, as a CRN pattern (`crn://confluent.cloud/organization=…/environment=env-…`).
   * Compared after URL-decoding, so `%3A` and `:` are the same. Replaces on change.
   */
  crnPattern: pulumi.Input<string>;
  /** Accepted for compatibility with @pulumi/confluentcloud; this provider never sleeps after create. @default false */
  disableWaitForReady?: pulumi.Input<boolean>;
}

/** A Confluent Cloud role binding (iam/v2). Import ID: `rb-…`. */
export class RoleBinding extends pulumi.dynamic.Resource {
  /** Type token: `pulumi-nodejs:dynamic/confluent:RoleBinding`. */
  static readonly __pulumiType = typeTokenOf("RoleBinding");

  /** True when `obj` is a RoleBinding. */
  static isInstance(obj: unknown): obj is RoleBinding {
    return hasType(obj, RoleBinding.__pulumiType);
  }

  /** The principal. Replaces on change. */
  declare readonly principal: pulumi.Output<string>;
  /** The role name. Replaces on change. */
  declare readonly roleName: pulumi.Output<string>;
  /** The CRN pattern, as the API returns it. Replaces on change. */
  declare readonly crnPattern: pulumi.Output<string>;
  /** Accepted for compatibility; has no effect. */
  declare readonly disableWaitForReady: pulumi.Output<boolean | undefined>;

  /**
   * The id this object was adopted with: set through the `import` resource option; see the README's
   * migration section ("Migrating from @pulumi/confluentcloud"). Undefined for an object this stack created.
   */
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: RoleBindingArgs, opts?: pulumi.CustomResourceOptions) {
    const [provider, props, options] = registration(roleBindingSpec, args, opts);
    super(provider, name, props, options, TOKEN_MODULE, "RoleBinding");
  }
}
