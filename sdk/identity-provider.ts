import * as pulumi from "@pulumi/pulumi";
import { identityProviderSpec } from "../provider/specs/identity-provider";
import { hasType, registration, TOKEN_MODULE, typeTokenOf } from "./base";

/** Inputs of {@link IdentityProvider}. */
export interface IdentityProviderArgs {
  /** Name of the provider. Reconciliation after a failed create looks for it by this name. Updates in place. */
  displayName: pulumi.Input<string>;
  /** Free-text description. @default "" Updates in place. */
  description?: pulumi.Input<string>;
  /**
   * The OIDC issuer URL, as in the tokens' `iss` claim. Updates in place.
   * @example "https://login.microsoftonline.com/<tenant id>/v2.0"
   */
  issuer: pulumi.Input<string>;
  /**
   * Where the provider's signing keys (JWKS) are published; Confluent fetches them from here. Updates in place.
   * @example "https://login.microsoftonline.com/common/discovery/v2.0/keys"
   */
  jwksUri: pulumi.Input<string>;
  /** The claim that identifies a token's subject, e.g. `claims.sub`. @default chosen by the server (`claims.sub`) Updates in place. */
  identityClaim?: pulumi.Input<string>;
  /**
   * Any string; changing it makes Confluent fetch the JWKS again (`PATCH …/identity-providers/{id}/jwks`), for
   * instance after the provider rotated its keys. The answer's status is recorded in {@link IdentityProvider.jwksStatus}.
   * Only the refresh is sent (no update of the provider itself). Setting it at create does nothing: create
   * fetches the keys anyway.
   * @example new Date().toISOString().slice(0, 10) (refresh on the first run of each day)
   */
  jwksRefreshTrigger?: pulumi.Input<string>;
}

/** A Confluent Cloud OIDC identity provider (iam/v2). Import ID: `op-…`. */
export class IdentityProvider extends pulumi.dynamic.Resource {
  /** Type token: `pulumi-nodejs:dynamic/confluent:IdentityProvider`. */
  static readonly __pulumiType = typeTokenOf("IdentityProvider");

  /** True when `obj` is an IdentityProvider. */
  static isInstance(obj: unknown): obj is IdentityProvider {
    return hasType(obj, IdentityProvider.__pulumiType);
  }

  /** Name of the provider. Updates in place. */
  declare readonly displayName: pulumi.Output<string>;
  /** Description; `""` when none. Updates in place. */
  declare readonly description: pulumi.Output<string>;
  /** Issuer URL. Updates in place. */
  declare readonly issuer: pulumi.Output<string>;
  /** JWKS URL. Updates in place. */
  declare readonly jwksUri: pulumi.Output<string>;
  /** Identity claim. Updates in place. */
  declare readonly identityClaim: pulumi.Output<string>;
  /** See {@link IdentityProviderArgs.jwksRefreshTrigger}. */
  declare readonly jwksRefreshTrigger: pulumi.Output<string | undefined>;
  /**
   * Status the last JWKS refresh answered (`REFRESHED`, `OK`, `INVALID_JWKS_URI`, `ERROR_FETCHING_JWKS`);
   * undefined until `jwksRefreshTrigger` first changes. Output only.
   */
  declare readonly jwksStatus: pulumi.Output<string | undefined>;
  /** `ENABLED`. Output only. */
  declare readonly state: pulumi.Output<string>;

  /**
   * The id this object was adopted with: set through the `import` resource option; see the README's
   * migration section ("Migrating from @pulumi/confluentcloud"). Undefined for an object this stack created.
   */
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: IdentityProviderArgs, opts?: pulumi.CustomResourceOptions) {
    const [provider, props, options] = registration(identityProviderSpec, args, opts);
    super(provider, name, props, options, TOKEN_MODULE, "IdentityProvider");
  }
}
