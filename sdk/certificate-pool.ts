import * as pulumi from "@pulumi/pulumi";
import { certificatePoolSpec } from "../provider/specs/certificate-pool";
import { hasType, registration, TOKEN_MODULE, typeTokenOf } from "./base";

/** Inputs of {@link CertificatePool}. */
export interface CertificatePoolArgs {
  /** The certificate authority the pool belongs to (`{ id: authority.id }`). Replaces on change. */
  certificateAuthority: pulumi.Input<{ id: pulumi.Input<string> }>;
  /** Name of the pool. Updates in place. */
  displayName: pulumi.Input<string>;
  /** Free-text description. @default "" Updates in place. */
  description?: pulumi.Input<string>;
  /** The certificate field that names a client in audit logs, e.g. `CN` or `UID`. Updates in place. */
  externalIdentifier: pulumi.Input<string>;
  /**
   * Which client certificates belong to the pool: a CEL expression over the certificate's fields, not
   * empty. The server judges its syntax and its length (a per-organization limit, 300 characters unless
   * Confluent raised it; its 400 names the limit). Updates in place.
   * @example 'CN == "payments" && O == "Example"'
   */
  filter: pulumi.Input<string>;
  /**
   * The principal to get the ResourceOwner role on the new certificate pool, in the create call itself
   * (`?assigned_resource_owner=`): a user (`u-…`), service account (`sa-…`), identity pool (`pool-…`) or group
   * mapping (`group-…`) id. Lets a principal that may create certificate pools but not grant roles at
   * organization scope hand ownership over. Applied on create only: the API neither reports it nor changes
   * it later, so changing it afterwards sends nothing (a progress line says so; declare a RoleBinding
   * instead), and an object adopted with the `import` option keeps its owners. Not in @pulumi/confluentcloud.
   * @default undefined (no ResourceOwner assigned)
   * @example "sa-abc123"
   */
  assignedResourceOwner?: pulumi.Input<string>;
}

/**
 * A Confluent Cloud certificate pool (iam/v2 certificate identity pool), under a {@link CertificateAuthority}.
 * Grant it roles with a RoleBinding whose principal is `User:<pool id>` (see {@link CertificatePool.principal}).
 * Updated with a PUT of the whole body. Import ID: `op-…/pool-…` (authority id, pool id).
 */
export class CertificatePool extends pulumi.dynamic.Resource {
  /** Type token: `pulumi-nodejs:dynamic/confluent:CertificatePool`. */
  static readonly __pulumiType = typeTokenOf("CertificatePool");

  /** True when `obj` is a CertificatePool. */
  static isInstance(obj: unknown): obj is CertificatePool {
    return hasType(obj, CertificatePool.__pulumiType);
  }

  /** The certificate authority it belongs to. Replaces on change. */
  declare readonly certificateAuthority: pulumi.Output<{ id: string }>;
  /** Name of the pool. Updates in place. */
  declare readonly displayName: pulumi.Output<string>;
  /** Description; `""` when none. Updates in place. */
  declare readonly description: pulumi.Output<string>;
  /** The certificate field that names a client in audit logs. Updates in place. */
  declare readonly externalIdentifier: pulumi.Output<string>;
  /** The CEL filter over the client certificate. Updates in place. */
  declare readonly filter: pulumi.Output<string>;
  /** The principal id the pool's clients act as (`pool-…`; bind `User:<principal>`). Output only. */
  declare readonly principal: pulumi.Output<string>;
  /** `ENABLED`. Output only. */
  declare readonly state: pulumi.Output<string>;

  /** The principal assigned ResourceOwner when the certificate pool was created; see the input. */
  declare readonly assignedResourceOwner: pulumi.Output<string | undefined>;

  /**
   * The id this object was adopted with: set through the `import` resource option; see the README's
   * migration section ("Migrating from @pulumi/confluentcloud"). Undefined for an object this stack created.
   */
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: CertificatePoolArgs, opts?: pulumi.CustomResourceOptions) {
    const [provider, props, options] = registration(certificatePoolSpec, args, opts);
    super(provider, name, props, options, TOKEN_MODULE, "CertificatePool");
  }
}
