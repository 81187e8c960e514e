import * as pulumi from "@pulumi/pulumi";
import { invitationSpec } from "../provider/specs/invitation";
import { hasType, registration, TOKEN_MODULE, typeTokenOf } from "./base";

/** Inputs of {@link Invitation}. */
export interface InvitationArgs {
  /** Email address of the invitee. Replaces on change. */
  email: pulumi.Input<string>;
  /**
   * `AUTH_TYPE_LOCAL` or `AUTH_TYPE_SSO`. Replaces on change.
   * @default chosen by the server (SSO when the organization has SSO enabled)
   */
  authType?: pulumi.Input<"AUTH_TYPE_LOCAL" | "AUTH_TYPE_SSO">;
  /**
   * An accepted invitation cannot be deleted through the API. With `true`, destroying an accepted invitation
   * only drops it from the stack (the user stays); with `false`, destroying it fails. Updates in place.
   * @default false
   */
  allowDeletion?: pulumi.Input<boolean>;
}

/** A Confluent Cloud invitation (iam/v2). Import ID: `i-…`. */
export class Invitation extends pulumi.dynamic.Resource {
  /** Type token: `pulumi-nodejs:dynamic/confluent:Invitation`. */
  static readonly __pulumiType = typeTokenOf("Invitation");

  /** True when `obj` is an Invitation. */
  static isInstance(obj: unknown): obj is Invitation {
    return hasType(obj, Invitation.__pulumiType);
  }

  /** Email of the invitee. Replaces on change. */
  declare readonly email: pulumi.Output<string>;
  /** Authentication type. Replaces on change. */
  declare readonly authType: pulumi.Output<string>;
  /** See {@link InvitationArgs.allowDeletion}. */
  declare readonly allowDeletion: pulumi.Output<boolean | undefined>;
  /** `INVITE_STATUS_SENT`, `INVITE_STATUS_ACCEPTED`, … Output only. */
  declare readonly status: pulumi.Output<string>;
  /** When it was accepted; `""` until then. Output only. */
  declare readonly acceptedAt: pulumi.Output<string>;
  /** When it expires. Output only. */
  declare readonly expiresAt: pulumi.Output<string>;
  /** The invited user, `[{ id }]`. Output only. */
  declare readonly users: pulumi.Output<{ id: string }[]>;
  /** Who sent the invitation, `[{ id }]`. Output only. */
  declare readonly creators: pulumi.Output<{ id: string }[]>;

  /**
   * The id this object was adopted with: set through the `import` resource option; see the README's
   * migration section ("Migrating from @pulumi/confluentcloud"). Undefined for an object this stack created.
   */
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: InvitationArgs, opts?: pulumi.CustomResourceOptions) {
    const [provider, props, options] = registration(invitationSpec, args, opts);
    super(provider, name, props, options, TOKEN_MODULE, "Invitation");
  }
}
