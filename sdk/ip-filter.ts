import * as pulumi from "@pulumi/pulumi";
import { ipFilterSpec } from "../provider/specs/ip-filter";
import { hasType, registration, TOKEN_MODULE, typeTokenOf } from "./base";

/** Inputs of {@link IpFilter}. */
export interface IpFilterArgs {
  /**
   * Name of the filter, 1 to 64 characters: letters, digits, spaces and `[ ] | & + - _ / . ,`. Updates in
   * place.
   */
  filterName: pulumi.Input<string>;
  /** `management` or `multiple`. Updates in place. */
  resourceGroup: pulumi.Input<"management" | "multiple">;
  /** Ids of the IP groups the filter allows (`ipg-…`), 1 to 25. Order does not matter. Updates in place. */
  ipGroups: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Operation groups the filter applies to (with `resourceGroup: "multiple"`), e.g. `MANAGEMENT`, `SCHEMA`.
   * Order does not matter. Updates in place. @default chosen by the server
   */
  operationGroups?: pulumi.Input<pulumi.Input<string>[]>;
  /** Scope of the filter, a CRN (an organization or environment). Updates in place. @default the organization */
  resourceScope?: pulumi.Input<string>;
}

/** A Confluent Cloud IP filter (iam/v2). Import ID: `ipf-…`. */
export class IpFilter extends pulumi.dynamic.Resource {
  /** Type token: `pulumi-nodejs:dynamic/confluent:IpFilter`. */
  static readonly __pulumiType = typeTokenOf("IpFilter");

  /** True when `obj` is an IpFilter. */
  static isInstance(obj: unknown): obj is IpFilter {
    return hasType(obj, IpFilter.__pulumiType);
  }

  /** Name of the filter. Updates in place. */
  declare readonly filterName: pulumi.Output<string>;
  /** `management` or `multiple`. Updates in place. */
  declare readonly resourceGroup: pulumi.Output<string>;
  /** IP group ids. Updates in place. */
  declare readonly ipGroups: pulumi.Output<string[]>;
  /** Operation groups. Updates in place. */
  declare readonly operationGroups: pulumi.Output<string[]>;
  /** Scope CRN. Replaces on change. */
  declare readonly resourceScope: pulumi.Output<string>;

  /**
   * The id this object was adopted with: set through the `import` resource option; see the README's
   * migration section ("Migrating from @pulumi/confluentcloud"). Undefined for an object this stack created.
   */
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: IpFilterArgs, opts?: pulumi.CustomResourceOptions) {
    const [provider, props, options] = registration(ipFilterSpec, args, opts);
    super(provider, name, props, options, TOKEN_MODULE, "IpFilter");
  }
}
