import * as pulumi from "@pulumi/pulumi";
import { byokKeySpec } from "../provider/specs/byok-key";
import { hasType, registration, TOKEN_MODULE, typeTokenOf } from "./base";

/** An AWS KMS key. */
export interface ByokKeyAwsArgs {
  /** The KMS key ARN, e.g. `arn:aws:kms:us-west-2:123456789012:key/…`. Replaces on change. */
  keyArn: pulumi.Input<string>;
}

/** An Azure Key Vault key. */
export interface ByokKeyAzureArgs {
  /** The key's URL, e.g. `https://my-vault.vault.azure.net/keys/my-key/<version>`. Replaces on change. */
  keyIdentifier: pulumi.Input<string>;
  /** The Key Vault's Azure resource id (`/subscriptions/…/vaults/my-vault`). Replaces on change. */
  keyVaultId: pulumi.Input<string>;
  /** The Azure tenant id (a UUID). Replaces on change. */
  tenantId: pulumi.Input<string>;
}

/** A Google Cloud KMS key. */
export interface ByokKeyGcpArgs {
  /** The key's resource id, `projects/…/locations/…/keyRings/…/cryptoKeys/…`. Replaces on change. */
  keyId: pulumi.Input<string>;
}

/** Inputs of {@link ByokKey}: exactly one of `aws`, `azure`, `gcp`. */
export interface ByokKeyArgs {
  /** Name of the key. @default "" Updates in place. */
  displayName?: pulumi.Input<string>;
  /** An AWS KMS key. Replaces on change. */
  aws?: pulumi.Input<ByokKeyAwsArgs>;
  /** An Azure Key Vault key. Replaces on change. */
  azure?: pulumi.Input<ByokKeyAzureArgs>;
  /** A Google Cloud KMS key. Replaces on change. */
  gcp?: pulumi.Input<ByokKeyGcpArgs>;
}

/**
 * A customer-managed key registered with Confluent Cloud (byok/v1), for self-managed encryption of clusters.
 * After create, grant Confluent access: the roles in `aws.roles`, the application `azure.applicationId`, or the
 * group `gcp.securityGroup`. Registering a key that is already registered fails with the existing id and the
 * resource option that adopts it (`{ import: "cck-…" }`). Import ID: `cck-…`.
 */
export class ByokKey extends pulumi.dynamic.Resource {
  /** Type token: `pulumi-nodejs:dynamic/confluent:ByokKey`. */
  static readonly __pulumiType = typeTokenOf("ByokKey");

  /** True when `obj` is a ByokKey. */
  static isInstance(obj: unknown): obj is ByokKey {
    return hasType(obj, ByokKey.__pulumiType);
  }

  /** Name of the key. Updates in place. */
  declare readonly displayName: pulumi.Output<string>;
  /** The AWS key and the IAM roles Confluent uses (allow them in the key policy). */
  declare readonly aws: pulumi.Output<{ keyArn: string; roles: string[] } | undefined>;
  /** The Azure key and the application Confluent uses (grant it access to the vault). */
  declare readonly azure: pulumi.Output<
    { keyIdentifier: string; keyVaultId: string; tenantId: string; applicationId: string } | undefined
  >;
  /** The GCP key and the Google group Confluent uses (grant it the key's encrypter/decrypter role). */
  declare readonly gcp: pulumi.Output<{ keyId: string; securityGroup: string } | undefined>;
  /** `AWS`, `Azure` or `GCP`. Output only. */
  declare readonly provider: pulumi.Output<string>;
  /** `AVAILABLE` or `IN_USE`. Output only. */
  declare readonly state: pulumi.Output<string>;

  /**
   * The id this object was adopted with: set through the `import` resource option; see the README's
   * migration section ("Migrating from @pulumi/confluentcloud"). Undefined for an object this stack created.
   */
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: ByokKeyArgs, opts?: pulumi.CustomResourceOptions) {
    const [provider, props, options] = registration(byokKeySpec, args, opts);
    super(provider, name, props, options, TOKEN_MODULE, "ByokKey");
  }
}
