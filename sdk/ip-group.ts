import * as pulumi from "@pulumi/pulumi";
import { ipGroupSpec } from "../provider/specs/ip-group";
import { hasType, registration, TOKEN_MODULE, typeTokenOf } from "./base";

/** Inputs of {@link IpGroup}. */
export interface IpGroupArgs {
  /**
   * Name of the group, 1 to 64 characters: letters, digits, spaces and `[ ] | & + - _ / . ,`. Updates in
   * place.
   */
  groupName: pulumi.Input<string>;
  /**
   * CIDR blocks, 1 to 25 (e.g. `192.168.0.0/24`, `2001:db8::/32`). Order does not matter. Updates in place.
   */
  cidrBlocks: pulumi.Input<pulumi.Input<string>[]>;
}

/** A Confluent Cloud IP group (iam/v2). Import ID: `ipg-…`. */
export class IpGroup extends pulumi.dynamic.Resource {
  /** Type token: `pulumi-nodejs:dynamic/confluent:IpGroup`. */
  static readonly __pulumiType = typeTokenOf("IpGroup");

  /** True when `obj` is an IpGroup. */
  static isInstance(obj: unknown): obj is IpGroup {
    return hasType(obj, IpGroup.__pulumiType);
  }

  /** Name of the group. Updates in place. */
  declare readonly groupName: pulumi.Output<string>;
  /** CIDR blocks. Updates in place. */
  declare readonly cidrBlocks: pulumi.Output<string[]>;

  /**
   * The id this object was adopted with: set through the `import` resource option; see the README's
   * migration section ("Migrating from @pulumi/confluentcloud"). Undefined for an object this stack created.
   */
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: IpGroupArgs, opts?: pulumi.CustomResourceOptions) {
    const [provider, props, options] = registration(ipGroupSpec, args, opts);
    super(provider, name, props, options, TOKEN_MODULE, "IpGroup");
  }
}
