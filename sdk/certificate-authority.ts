import * as pulumi from "@pulumi/pulumi";
import { certificateAuthoritySpec } from "../provider/specs/certificate-authority";
import { checkArgsObject, hasType, registration, TOKEN_MODULE, typeTokenOf } from "./base";

/** Inputs of {@link CertificateAuthority}. */
export interface CertificateAuthorityArgs {
  /** Name of the certificate authority. Reconciliation after a failed create looks for it by this name. Updates in place. */
  displayName: pulumi.Input<string>;
  /** Free-text description. @default "" Updates in place. */
  description?: pulumi.Input<string>;
  /**
   * The signing certificate chain, PEM-encoded (`-----BEGIN CERTIFICATE-----` blocks), made a Pulumi secret by
   * this class. Preview fails, naming the reason, when it does not parse as certificates. The API never
   * answers it: after an import, or when the authority's chain was changed outside the program, it is
   * compared through {@link CertificateAuthority.fingerprints}. Updates in place.
   * @example fs.readFileSync("ca.pem", "utf8")
   */
  certificateChain: pulumi.Input<string>;
  /** The name of the chain's file, e.g. `ca.pem` (the API records it). Updates in place. */
  certificateChainFilename: pulumi.Input<string>;
  /** A certificate revocation list, PEM-encoded (`-----BEGIN X509 CRL-----`); the API prefers it to `crlUrl`. Updates in place. */
  crlChain?: pulumi.Input<string>;
  /** Where the API fetches the certificate revocation list from. Updates in place. */
  crlUrl?: pulumi.Input<string>;
  /**
   * Refuse a client certificate unless a certificate revocation list is configured (`crlChain` or `crlUrl`)
   * and checked, as @pulumi/confluentcloud's input of the same name. The API refuses `true` without a CRL.
   * Updates in place.
   * @default false
   */
  requireCrlOnClientCertificate?: pulumi.Input<boolean>;
}

/**
 * A Confluent Cloud certificate authority (iam/v2): client certificates it signed authenticate over mutual
 * TLS as the {@link CertificatePool}s under it. Updated with a PUT of the whole body. A certificate authority
 * that still has pools cannot be deleted (delete the pools first; `pulumi destroy` does when the pools name
 * it through its `id` output). Import ID: `op-…`.
 */
export class CertificateAuthority extends pulumi.dynamic.Resource {
  /** Type token: `pulumi-nodejs:dynamic/confluent:CertificateAuthority`. */
  static readonly __pulumiType = typeTokenOf("CertificateAuthority");

  /** True when `obj` is a CertificateAuthority. */
  static isInstance(obj: unknown): obj is CertificateAuthority {
    return hasType(obj, CertificateAuthority.__pulumiType);
  }

  /** Name of the certificate authority. Updates in place. */
  declare readonly displayName: pulumi.Output<string>;
  /** Description; `""` when none. Updates in place. */
  declare readonly description: pulumi.Output<string>;
  /** The chain as the program gave it (a Pulumi secret; absent after an import). Updates in place. */
  declare readonly certificateChain: pulumi.Output<string | undefined>;
  /** The chain's file name. Updates in place. */
  declare readonly certificateChainFilename: pulumi.Output<string>;
  /** The certificate revocation list as the program gave it. Updates in place. */
  declare readonly crlChain: pulumi.Output<string | undefined>;
  /**
   * The URL of the certificate revocation list. Updates in place. After a CRL file upload (`crlChain`) the API
   * answers the text `Local file uploaded` here; that reads as no URL (the program's value stays).
   */
  declare readonly crlUrl: pulumi.Output<string | undefined>;
  /** Whether client certificates are refused unless a CRL is configured and checked. Updates in place. */
  declare readonly requireCrlOnClientCertificate: pulumi.Output<boolean>;
  /** SHA-1 fingerprints of the chain's certificates, in chain order (upper-case hex). Output only. */
  declare readonly fingerprints: pulumi.Output<string[]>;
  /** When each certificate of the chain expires (ISO 8601). Output only. */
  declare readonly expirationDates: pulumi.Output<string[]>;
  /** Serial numbers of the chain's certificates (hex). Output only. */
  declare readonly serialNumbers: pulumi.Output<string[]>;
  /** Where the CRL comes from: `LOCAL` (crlChain) or `URL` (crlUrl); undefined without one. Output only. */
  declare readonly crlSource: pulumi.Output<string | undefined>;
  /** When the CRL was last updated. Output only. */
  declare readonly crlUpdatedAt: pulumi.Output<string | undefined>;
  /** `ENABLED`. Output only. */
  declare readonly state: pulumi.Output<string>;

  /**
   * The id this object was adopted with: set through the `import` resource option; see the README's
   * migration section ("Migrating from @pulumi/confluentcloud"). Undefined for an object this stack created.
   */
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: CertificateAuthorityArgs, opts?: pulumi.CustomResourceOptions) {
    // Before the spread below, which would hide an Output given as the whole args.
    checkArgsObject("CertificateAuthority", args);
    const secretArgs: CertificateAuthorityArgs =
      args.certificateChain === undefined
        ? args
        : { ...args, certificateChain: pulumi.secret(args.certificateChain) };
    const [provider, props, options] = registration(certificateAuthoritySpec, secretArgs, opts);
    super(provider, name, props, options, TOKEN_MODULE, "CertificateAuthority");
  }
}
