/**
 * Certificate authorities and their certificate identity pools (certificate-authority_v2.yaml): mutual-TLS
 * identities. Written from the spec:
 * - CA: POST needs `display_name`, `description`, `certificate_chain` (PEM certificates) and
 *   `certificate_chain_filename`; the spec lists no 422 for its POST and PUT, so a bad body is **400** with
 *   `source.pointer`. Update is **PUT** with the whole body: `display_name` and `description` are required, a
 *   `certificate_chain` needs its `certificate_chain_filename` (the spec: "Must be set if certificate is
 *   updated") and may be left out to keep the chain; the CRL fields not sent are removed (a full update).
 *   The chain is parsed: `fingerprints` (SHA-1, upper-case hex), `serial_numbers` and `expiration_dates` come
 *   from the certificates themselves; the chain is never stored nor answered. `crl_chain` (a PEM
 *   `X509 CRL`) wins over `crl_url` ("Defaults to this over crl_url"): `crl_source` `LOCAL` / `URL`; after an
 *   upload `crl_url` answers the text `Local file uploaded` (ADDENDA.md). `require_crl_on_client_certificate`
 *   (ADDENDA.md: newer than the YAML) defaults to false, is kept by a PUT that leaves it out, and is 400 when
 *   true while the request configures no CRL.
 *   DELETE answers **200** with the CA. Deleting a CA that still has pools is **400** (the only client
 *   error the spec's DELETE lists besides 401/403/404) naming the pools.
 * - Pools under `…/{certificate_authority_id}/identity-pools`: POST and PUT need `display_name`,
 *   `description`, `external_identifier` and `filter` (422 otherwise, as the spec lists; a filter longer than
 *   `--filter-max-length`, default 300, is 400); `?assigned_resource_owner=` on POST binds that principal
 *   ResourceOwner on the new pool (emulator/objects/resource-owner.ts); DELETE
 *   answers **200** with the pool; `principal` is the pool's id (`User:pool-…` in role bindings). A missing
 *   CA or pool is 404 in the standard envelope (the spec's example).
 */
import { X509Certificate } from "node:crypto";
import { z } from "zod";
import { crn, metadata, nowIso, type Ctx } from "../context";
import { crudRoutes } from "../crud";
import type { BaseRecord } from "../db";
import { apiError, conflict, type ApiError } from "../errors";
import { orgWide } from "../rbac";
import { checkFilterLength } from "../validate";
import { deleteOwnedBy } from "./cascade";
import { assignedResourceOwner, grantResourceOwner } from "./resource-owner";
import { table, type EmulatorObject } from "./types";

/** What the emulator keeps of a chain: what the API answers about it, never the chain. */
interface ChainFacts {
  fingerprints: string[];
  serial_numbers: string[];
  expiration_dates: string[];
}

/** A stored certificate authority. */
export interface CertificateAuthorityRecord extends BaseRecord, ChainFacts {
  display_name: string;
  description: string;
  certificate_chain_filename: string;
  crl_source?: "LOCAL" | "URL";
  crl_url?: string;
  crl_updated_at?: string;
  /** Client certificates are refused unless a CRL is configured and checked (absent: false). */
  require_crl_on_client_certificate?: boolean;
}

/** A stored certificate identity pool. */
export interface CertificatePoolRecord extends BaseRecord {
  ca_id: string;
  display_name: string;
  description: string;
  external_identifier: string;
  filter: string;
}

export const certificateAuthoritiesTable = table<CertificateAuthorityRecord>("certificate_authorities");
export const certificatePoolsTable = table<CertificatePoolRecord>("certificate_pools");

const PATH = "/iam/v2/certificate-authorities";
const POOLS = `${PATH}/:ca/identity-pools`;

const PEM_CERT = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/** The facts of a PEM chain, or the reason it is not one. */
function parseChain(pem: string): ChainFacts | string {
  const blocks = [...pem.matchAll(PEM_CERT)].map((m) => m[0]);
  if (blocks.length === 0) return "contains no PEM certificate (-----BEGIN CERTIFICATE-----)";
  const facts: ChainFacts = { fingerprints: [], serial_numbers: [], expiration_dates: [] };
  for (const [i, block] of blocks.entries()) {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(block);
    } catch {
      return `certificate ${i + 1} of ${blocks.length} is not a valid X.509 certificate`;
    }
    facts.fingerprints.push(cert.fingerprint.replace(/:/g, "").toUpperCase());
    facts.serial_numbers.push(cert.serialNumber.toUpperCase());
    facts.expiration_dates.push(new Date(cert.validTo).toISOString().replace(/\.\d{3}Z$/, "Z"));
  }
  return facts;
}

const PEM_CRL = /^\s*-----BEGIN X509 CRL-----[A-Za-z0-9+/=\s]+-----END X509 CRL-----\s*$/;

const chainField = z.string().superRefine((v, c) => {
  const parsed = parseChain(v);
  if (typeof parsed === "string") c.addIssue({ code: "custom", message: `certificate_chain ${parsed}` });
});
const crlChain = z.string().regex(PEM_CRL, "crl_chain must be one PEM-encoded X509 CRL");
const crlUrl = z.string().url("crl_url must be a URL");
const name = z.string().min(1, "display_name must not be empty");

const caCreate = z.object({
  display_name: name,
  description: z.string(),
  certificate_chain: chainField,
  certificate_chain_filename: z.string().min(1, "certificate_chain_filename must not be empty"),
  crl_url: crlUrl.optional(),
  crl_chain: crlChain.optional(),
  require_crl_on_client_certificate: z.boolean().optional(),
});
const caUpdate = z
  .object({
    display_name: name,
    description: z.string(),
    certificate_chain: chainField.optional(),
    certificate_chain_filename: z.string().min(1, "certificate_chain_filename must not be empty").optional(),
    crl_url: crlUrl.optional(),
    crl_chain: crlChain.optional(),
    require_crl_on_client_certificate: z.boolean().optional(),
  })
  .superRefine((v, c) => {
    if (v.certificate_chain !== undefined && v.certificate_chain_filename === undefined) {
      c.addIssue({
        code: "custom",
        path: ["certificate_chain_filename"],
        message: "certificate_chain_filename must be set when certificate_chain is updated",
      });
    }
  });

// Its length limit is the organization's (checkFilterLength), not the schema's.
const filter = z.string().min(1, "filter must not be empty");
const poolBody = z.object({
  display_name: name,
  description: z.string(),
  external_identifier: z.string().min(1, "external_identifier must not be empty"),
  filter,
});

/** What the API answers as `crl_url` once a CRL file was uploaded (`crl_chain`): text, not a URL. */
export const CRL_UPLOADED = "Local file uploaded";

/**
 * `require_crl_on_client_certificate: true` with no CRL source (neither `crl_chain` nor `crl_url` in the
 * body): 400, since such a CA would refuse every client certificate.
 */
function checkCrlRequired(required: boolean, input: { crl_url?: string; crl_chain?: string }): void {
  if (!required || input.crl_chain !== undefined || input.crl_url !== undefined) return;
  throw apiError(
    400,
    "invalid_input",
    "require_crl_on_client_certificate can be true only with a CRL: set crl_url or crl_chain in the same request",
    { pointer: "/require_crl_on_client_certificate" },
  );
}

function crlOf(
  ctx: Ctx,
  input: { crl_url?: string; crl_chain?: string },
): Pick<CertificateAuthorityRecord, "crl_source" | "crl_url" | "crl_updated_at"> {
  if (input.crl_chain !== undefined) {
    return { crl_source: "LOCAL", crl_url: CRL_UPLOADED, crl_updated_at: nowIso(ctx) };
  }
  if (input.crl_url !== undefined) {
    return { crl_source: "URL", crl_url: input.crl_url, crl_updated_at: nowIso(ctx) };
  }
  return {};
}

function caMissing(ctx: Ctx): ApiError {
  const id = ctx.params.ca ?? ctx.params.id ?? "";
  return apiError(404, "not_found", `Certificate authority ${id} not found`);
}

function poolMissing(ctx: Ctx): ApiError {
  return apiError(404, "not_found", `Certificate identity pool ${ctx.params.id ?? ""} not found`);
}

function renderCa(ctx: Ctx, ca: CertificateAuthorityRecord): unknown {
  const body: Record<string, unknown> = {
    api_version: "iam/v2",
    kind: "CertificateAuthority",
    id: ca.id,
    metadata: metadata(ctx, `${PATH}/${ca.id}`, crn(ctx, `certificate-authority=${ca.id}`), ca),
    display_name: ca.display_name,
    description: ca.description,
    fingerprints: ca.fingerprints,
    expiration_dates: ca.expiration_dates,
    serial_numbers: ca.serial_numbers,
    certificate_chain_filename: ca.certificate_chain_filename,
    require_crl_on_client_certificate: ca.require_crl_on_client_certificate ?? false,
    state: "ENABLED",
  };
  if (ca.crl_source !== undefined) body.crl_source = ca.crl_source;
  if (ca.crl_url !== undefined) body.crl_url = ca.crl_url;
  if (ca.crl_updated_at !== undefined) body.crl_updated_at = ca.crl_updated_at;
  return body;
}

function renderPool(ctx: Ctx, p: CertificatePoolRecord): unknown {
  return {
    api_version: "iam/v2",
    kind: "CertificateIdentityPool",
    id: p.id,
    metadata: metadata(
      ctx,
      `${PATH}/${p.ca_id}/identity-pools/${p.id}`,
      crn(ctx, `certificate-authority=${p.ca_id}/identity-pool=${p.id}`),
      p,
    ),
    display_name: p.display_name,
    description: p.description,
    external_identifier: p.external_identifier,
    filter: p.filter,
    principal: p.id,
    state: "ENABLED",
  };
}

/** display_name is unique among the organization's CAs (an assumption, as for service accounts). */
function caUnique(ctx: Ctx, displayName: string, self?: string): void {
  for (const ca of ctx.env.db.rows(certificateAuthoritiesTable).values()) {
    if (ca.display_name === displayName && ca.id !== self) {
      throw conflict(
        `Certificate authority name is already in use: ${displayName}`,
        `${ctx.base}${PATH}/${ca.id}`,
      );
    }
  }
}

function poolsOf(ctx: Ctx, caId: string): CertificatePoolRecord[] {
  return [...ctx.env.db.rows(certificatePoolsTable).values()].filter((p) => p.ca_id === caId);
}

const caRoutes = crudRoutes({
  path: PATH,
  table: certificateAuthoritiesTable,
  newId: (ctx) => ctx.env.db.nextId("op-"),
  missing: caMissing,
  render: renderCa,
  list: {
    limits: { defaultSize: 10, maxSize: 100 },
    shape: { apiVersion: "iam/v2", kind: "CertificateAuthorityList" },
  },
  create: {
    schema: caCreate,
    invalidStatus: 400,
    check: (_ctx, input) => checkCrlRequired(input.require_crl_on_client_certificate ?? false, input),
    build: (ctx, input, base): CertificateAuthorityRecord => ({
      ...base,
      display_name: input.display_name,
      description: input.description,
      certificate_chain_filename: input.certificate_chain_filename,
      ...(parseChain(input.certificate_chain) as ChainFacts),
      ...crlOf(ctx, input),
      require_crl_on_client_certificate: input.require_crl_on_client_certificate ?? false,
    }),
  },
  update: {
    method: "PUT",
    schema: caUpdate,
    invalidStatus: 400,
    // A PUT that leaves the flag out keeps it, so a PUT that drops the CRL of a CA that requires one is 400.
    check: (_ctx, ca, input) =>
      checkCrlRequired(
        input.require_crl_on_client_certificate ?? ca.require_crl_on_client_certificate ?? false,
        input,
      ),
    apply: (ctx, ca, input) => {
      ca.display_name = input.display_name;
      ca.description = input.description;
      if (input.certificate_chain !== undefined) {
        Object.assign(ca, parseChain(input.certificate_chain) as ChainFacts);
        ca.certificate_chain_filename = input.certificate_chain_filename ?? ca.certificate_chain_filename;
      }
      delete ca.crl_source;
      delete ca.crl_url;
      delete ca.crl_updated_at;
      Object.assign(ca, crlOf(ctx, input));
      if (input.require_crl_on_client_certificate !== undefined) {
        ca.require_crl_on_client_certificate = input.require_crl_on_client_certificate;
      }
    },
  },
  unique: (ctx, input, self) => caUnique(ctx, input.display_name, self?.id),
  delete: {
    answer: 200,
    refuse: (ctx, ca) => {
      const pools = poolsOf(ctx, ca.id).map((p) => p.id);
      if (pools.length > 0) {
        throw apiError(
          400,
          "invalid_request",
          `Certificate authority ${ca.id} still has ${pools.length} identity pool${pools.length === 1 ? "" : "s"} ` +
            `(${pools.join(", ")}); delete them first`,
        );
      }
    },
  },
});

const poolRoutes = crudRoutes({
  path: POOLS,
  table: certificatePoolsTable,
  newId: (ctx) => ctx.env.db.nextId("pool-"),
  missing: poolMissing,
  render: renderPool,
  list: {
    limits: { defaultSize: 10, maxSize: 100 },
    shape: { apiVersion: "iam/v2", kind: "CertificateIdentityPoolList" },
  },
  parent: {
    check: (ctx) => {
      if (!ctx.env.db.rows(certificateAuthoritiesTable).has(ctx.params.ca ?? "")) throw caMissing(ctx);
    },
    owns: (ctx, p) => p.ca_id === ctx.params.ca,
  },
  create: {
    schema: poolBody,
    // The owner is checked before anything is made, and bound once the pool exists (as identity pools do).
    check: (ctx, input) => {
      checkFilterLength(ctx, input.filter);
      assignedResourceOwner(ctx);
    },
    created: (ctx, p) =>
      grantResourceOwner(
        ctx,
        assignedResourceOwner(ctx),
        `certificate-authority=${p.ca_id}/identity-pool=${p.id}`,
      ),
    build: (ctx, input, base): CertificatePoolRecord => ({ ...base, ca_id: ctx.params.ca ?? "", ...input }),
  },
  update: {
    method: "PUT",
    schema: poolBody,
    check: (ctx, _p, input) => checkFilterLength(ctx, input.filter),
    apply: (_ctx, p, input) => Object.assign(p, input),
  },
  delete: { answer: 200, cascade: (ctx, p) => deleteOwnedBy(ctx, p.id) },
});

/** Certificate authorities (PUT, chain parsed, no delete while pools remain) and their identity pools. */
export const certificateAuthorities: EmulatorObject = {
  name: "certificate authorities",
  tables: [certificateAuthoritiesTable, certificatePoolsTable],
  routes: [...caRoutes, ...poolRoutes],
  access: (r) => orgWide(r.method, "identity"),
};
