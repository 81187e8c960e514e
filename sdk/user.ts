import * as pulumi from "@pulumi/pulumi";
import { userSpec } from "../provider/specs/user";
import { hasType, registration, TOKEN_MODULE, typeTokenOf } from "./base";

/** Inputs of {@link User}. */
export interface UserArgs {
  /** The user's full name. Updates in place. @default the name the user has */
  fullName?: pulumi.Input<string>;
}

/**
 * A Confluent Cloud user (iam/v2). Users cannot be created through the API: invite them with
 * {@link Invitation}, then adopt the user with the resource option `{ import: "u-…" }` (the Pulumi CLI's
 * `pulumi import` command does not work for dynamic providers, pulumi/pulumi#16175). Deleting the resource
 * removes the user from the organization, and the API deletes the user's API keys with it. Import ID: `u-…`.
 */
export class User extends pulumi.dynamic.Resource {
  /** Type token: `pulumi-nodejs:dynamic/confluent:User`. */
  static readonly __pulumiType = typeTokenOf("User");

  /** True when `obj` is a User. */
  static isInstance(obj: unknown): obj is User {
    return hasType(obj, User.__pulumiType);
  }

  /** Full name. Updates in place. */
  declare readonly fullName: pulumi.Output<string>;
  /** Email address. Output only. */
  declare readonly email: pulumi.Output<string>;
  /** `AUTH_TYPE_LOCAL` or `AUTH_TYPE_SSO`. Output only. */
  declare readonly authType: pulumi.Output<string>;

  /**
   * The id this object was adopted with: set through the `import` resource option; see the README's
   * migration section ("Migrating from @pulumi/confluentcloud"). Undefined for an object this stack created.
   */
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: UserArgs = {}, opts?: pulumi.CustomResourceOptions) {
    const [provider, props, options] = registration(userSpec, args, opts);
    super(provider, name, props, options, TOKEN_MODULE, "User");
  }
}
