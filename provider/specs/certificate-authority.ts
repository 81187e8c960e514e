/**
 * CertificateAuthority: iam/v2 certificate-authorities (certificate-authority_v2.yaml), the signing CA that
 * mutual-TLS clients' certificates are checked against. Its update is a **PUT** of the whole body
 * (`put: true`): any changed field sends them all. The chain (`certificate_chain`, PEM certificates) is a
 * secret input the API takes but never answers: it is compared through the `fingerprints` the API computes
 * (after an import, or when a refresh finds the CA's chain changed behind the program's back), and it is
 * checked at preview: a chain that does not parse as PEM certificates fails `check` with the reason (never
 * the value). A CRL comes from `crlChain` (a PEM `X509 CRL`, which the API prefers) or `crlUrl`; after an
 * upload the API answers `crl_url: "Local file uploaded"`, read as no URL. `requireCrlOnClientCertificate`
 * (false unless set; the server refuses true without a CRL) makes the CA refuse client certificates unless a
 * CRL is configured and checked. Deleting a
 * CA that still has certificate pools is refused (400); the error says to delete the pools first.
 */
import { X509Certificate } from "node:crypto";
import { z } from "zod";
import { defineSpec } from "../fields";
import { findInList, metadataSchema, nameInput } from "./common";

/** The `crl_url` the API answers once a CRL file was uploaded (`crl_chain`): text, not a URL (ADDENDA.md). */
export const CRL_UPLOADED = "Local file uploaded";

export const CERTIFICATE_AUTHORITIES_PATH = "/iam/v2/certificate-authorities";
const PATH = CERTIFICATE_AUTHORITIES_PATH;

/** The SHA-1 fingerprints of a PEM chain (upper-case hex, as the API answers), or why it is not one. */
export function chainFingerprints(pem: string): { fingerprints: string[] } | { reason: string } {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) {
    return { reason: "contains no PEM certificate (no -----BEGIN CERTIFICATE----- block)" };
  }
  const fingerprints: string[] = [];
  for (const [i, block] of blocks.entries()) {
    try {
      fingerprints.push(new X509Certificate(block).fingerprint.replace(/:/g, "").toUpperCase());
    } catch {
      return { reason: `certificate ${i + 1} of ${blocks.length} is not a valid X.509 certificate` };
    }
  }
  return { fingerprints };
}

/** Whether a chain holds exactly the certificates whose fingerprints the API answered. */
function sameChain(input: unknown, output: unknown): boolean {
  if (typeof input !== "string" || !Array.isArray(output)) return false;
  const parsed = chainFingerprints(input);
  if (!("fingerprints" in parsed)) return false;
  const answered = output.map((f) => String(f).replace(/:/g, "").toUpperCase());
  return JSON.stringify(parsed.fingerprints) === JSON.stringify(answered);
}

const certificateChain = z.string().superRefine((v, c) => {
  const parsed = chainFingerprints(v);
  if ("reason" in parsed) {
    c.addIssue({
      code: "custom",
      message:
        `must be PEM-encoded X.509 certificates, but it ${parsed.reason}; ` +
        `pass the CA's certificate file as text (e.g. fs.readFileSync("ca.pem", "utf8"))`,
    });
  }
});

const crlChain = z.string().regex(/^\s*-----BEGIN X509 CRL-----[A-Za-z0-9+/=\s]+-----END X509 CRL-----\s*$/, {
  message: "must be one PEM-encoded CRL (-----BEGIN X509 CRL----- … -----END X509 CRL-----); fix it",
});

export const certificateAuthorityInputs = z.object({
  displayName: nameInput(),
  description: z.string().optional(),
  certificateChain,
  certificateChainFilename: z.string().min(1),
  crlChain: crlChain.optional(),
  crlUrl: z.string().url({ message: "must be a URL such as https://example.com/ca.crl; fix it" }).optional(),
  requireCrlOnClientCertificate: z.boolean().optional(),
});
export type CertificateAuthorityInputs = z.infer<typeof certificateAuthorityInputs>;

export const certificateAuthorityResponse = z
  .object({
    api_version: z.string().optional(),
    kind: z.string().optional(),
    id: z.string(),
    metadata: metadataSchema.optional(),
    display_name: z.string(),
    description: z.string().optional(),
    fingerprints: z.array(z.string()).optional(),
    expiration_dates: z.array(z.string()).optional(),
    serial_numbers: z.array(z.string()).optional(),
    certificate_chain_filename: z.string().optional(),
    crl_source: z.string().optional(),
    crl_url: z.string().optional(),
    crl_updated_at: z.string().optional(),
    require_crl_on_client_certificate: z.boolean().optional(),
    state: z.string().optional(),
  })
  .passthrough();
export type CertificateAuthorityResponse = z.infer<typeof certificateAuthorityResponse>;

export const certificateAuthoritySpec = defineSpec<CertificateAuthorityInputs, CertificateAuthorityResponse>({
  kind: "CertificateAuthority",
  noun: "certificate authority",
  importIdFormat: "op-…",
  importIdPattern: /^[^\s/]+$/,
  inputs: certificateAuthorityInputs,
  response: certificateAuthorityResponse,
  goneStatuses: [404],
  readPermissionHint:
    "Grant the credentials' owner OrganizationAdmin (certificate authorities are organization-wide).",

  path: PATH,
  put: true,
  listRead: { route: () => ({ path: PATH }) },
  fields: {
    displayName: { use: "update", api: "display_name" },
    description: { use: "update", api: "description", default: "", sendDefault: true, absent: "" },
    // Never answered: kept as the program gave it (a secret), compared through the fingerprints.
    certificateChain: {
      use: "update",
      api: "certificate_chain",
      secret: true,
      keepWhenAbsent: true,
      writeOnly: { output: "fingerprints", same: sameChain },
    },
    certificateChainFilename: { use: "update", api: "certificate_chain_filename" },
    crlChain: { use: "update", api: "crl_chain", keepWhenAbsent: true },
    // After a CRL file upload the API answers the text "Local file uploaded" here: no URL, never drift.
    crlUrl: {
      use: "update",
      api: "crl_url",
      fromApi: (b) => (b.crl_url === CRL_UPLOADED ? undefined : b.crl_url),
      keepWhenAbsent: true,
    },
    // Newer than the YAML copy (ADDENDA.md); false unless set, and sent in every PUT so it is never lost.
    requireCrlOnClientCertificate: {
      use: "update",
      api: "require_crl_on_client_certificate",
      default: false,
      absent: false,
    },
  },
  outputs: {
    fingerprints: { api: "fingerprints", fromApi: (b) => b.fingerprints ?? [] },
    expirationDates: { fromApi: (b) => b.expiration_dates ?? [] },
    serialNumbers: { fromApi: (b) => b.serial_numbers ?? [] },
    crlSource: { api: "crl_source" },
    crlUpdatedAt: { api: "crl_updated_at" },
    state: { api: "state" },
  },

  findExisting: (client, i) =>
    findInList(client, PATH, certificateAuthorityResponse, (ca) => ca.display_name === i.displayName, {
      pageSize: 100,
    }),
  describeUnique: (i) => `display name ${JSON.stringify(i.displayName)}`,
  deleteHints: {
    400:
      "A certificate authority that still has certificate pools cannot be deleted: delete its CertificatePool " +
      "resources first (a pool whose certificateAuthority.id is this authority's id output is deleted before it " +
      "by pulumi destroy), or delete the pools the error names with `confluent iam certificate-pool delete`.",
  },
});
