import * as pulumi from "@pulumi/pulumi";
import { groupMappingSpec } from "../provider/specs/group-mapping";
import { hasType, registration, TOKEN_MODULE, typeTokenOf } from "./base";

/** Inputs of {@link GroupMapping}. */
export interface GroupMappingArgs {
  /** Name of the mapping. Reconciliation after a failed create looks for it by this name. Updates in place. */
  displayName: pulumi.Input<string>;
  /** Free-text description. @default "" Updates in place. */
  description?: pulumi.Input<string>;
  /**
   * Which SSO users the mapping takes in: a CEL expression over the login's claims, not empty. The server
   * judges its length (a per-organization limit, 300 characters unless Confluent raised it; its 400 names the
   * limit). Updates in place.
   * @example '"engineering" in claims.group || "marketing" in claims.group'
   */
  filter: pulumi.Input<string>;
}

/**
 * A Confluent Cloud SSO group mapping (iam/v2/sso): the SSO users its filter matches act as one principal,
 * `User:<id>`, which role bindings grant roles to. Import ID: `group-…`.
 */
export class GroupMapping extends pulumi.dynamic.Resource {
  /** Type token: `pulumi-nodejs:dynamic/confluent:GroupMapping`. */
  static readonly __pulumiType = typeTokenOf("GroupMapping");

  /** True when `obj` is a GroupMapping. */
  static isInstance(obj: unknown): obj is GroupMapping {
    return hasType(obj, GroupMapping.__pulumiType);
  }

  /** Name of the mapping. Updates in place. */
  declare readonly displayName: pulumi.Output<string>;
  /** Description; `""` when none. Updates in place. */
  declare readonly description: pulumi.Output<string>;
  /** The CEL filter over the login's claims. Updates in place. */
  declare readonly filter: pulumi.Output<string>;
  /** The principal the mapping's users act as, as the API names it. Output only. */
  declare readonly principal: pulumi.Output<string | undefined>;
  /** `ENABLED`. Output only. */
  declare readonly state: pulumi.Output<string>;

  /**
   * The id this object was adopted with: set through the `import` resource option; see the README's
   * migration section ("Migrating from @pulumi/confluentcloud"). Undefined for an object this stack created.
   */
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: GroupMappingArgs, opts?: pulumi.CustomResourceOptions) {
    const [provider, props, options] = registration(groupMappingSpec, args, opts);
    super(provider, name, props, options, TOKEN_MODULE, "GroupMapping");
  }
}
