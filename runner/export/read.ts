/**
 * Reads an organization through the API for `confluent-iam export`: the organization, its environments and
 * the Kafka clusters and Schema Registries in them (the scopes of role bindings), then every object of the
 * kinds asked for, each list at its largest page size.
 */
import { z } from "zod";
import { ConfluentApiError, type ConfluentClient } from "../../provider/client";
import { KINDS, type ExportKind, type KindInfo, type ReadObject } from "./kinds";

/** A scope of role bindings. */
export interface Scope {
  /** `organization`, `environment`, `kafka-cluster`, `schema-registry`. */
  level: "organization" | "environment" | "kafka-cluster" | "schema-registry";
  /** The API id (organization UUID, `env-…`, `lkc-…`, `lsrc-…`). */
  id: string;
  /** Its CRN. */
  crn: string;
}

/** An environment as read. */
export interface Environment {
  id: string;
  displayName: string;
}

/** What the organization holds. */
export interface Organization {
  id: string;
  /** How many organizations the credentials belong to (the first one listed is read). */
  organizationCount: number;
  environments: Environment[];
  scopes: Scope[];
  objects: ReadObject[];
}

/** Options of {@link readOrganization}. */
export interface ReadOptions {
  /** Kinds to read. */
  kinds: readonly ExportKind[];
  /** Only these environments (all when empty). */
  environments: readonly string[];
}

const CRN_ROOT = "crn://confluent.cloud";

const idItem = z.object({ id: z.string() }).passthrough();
const envItem = z.object({ id: z.string(), display_name: z.string().optional() }).passthrough();

/** The error for a list the credentials may not read: names the kind, the role, and `--exclude`. */
export class ListPermissionError extends Error {
  constructor(
    readonly what: string,
    readonly request: string,
    readonly status: number,
    hint: string,
    exclude: string,
  ) {
    super(`cannot list ${what}: ${request} answered ${status}. ${hint} ${exclude}`);
    this.name = "ListPermissionError";
  }
}

async function listAll<T>(
  client: ConfluentClient,
  path: string,
  itemSchema: z.ZodType<T, z.ZodTypeDef, unknown>,
  pageSize: number,
  query: Record<string, string> | undefined,
  onDenied: (request: string, status: number) => Error,
): Promise<T[]> {
  const out: T[] = [];
  try {
    for await (const item of client.paginate(path, { itemSchema, pageSize, query })) out.push(item);
  } catch (e) {
    if (e instanceof ConfluentApiError && (e.status === 403 || e.status === 401)) {
      const q = new URLSearchParams(query ?? {}).toString();
      throw onDenied(`GET ${path}${q ? `?${q}` : ""}`, e.status);
    }
    throw e;
  }
  return out;
}

const denied =
  (k: KindInfo) =>
  (request: string, status: number): Error =>
    status === 401
      ? new Error(`cannot list ${k.plural}: ${request} answered 401: the API key or secret is wrong.`)
      : new ListPermissionError(
          k.plural,
          request,
          status,
          k.permission,
          `To export without them, add --exclude ${k.kind}.`,
        );

/** Reads the organization: scopes first (cheap), then each kind. */
export async function readOrganization(client: ConfluentClient, opts: ReadOptions): Promise<Organization> {
  const scopeDenied =
    (what: string) =>
    (request: string, status: number): Error =>
      status === 401
        ? new Error(`cannot list ${what}: ${request} answered 401: the API key or secret is wrong.`)
        : new ListPermissionError(
            what,
            request,
            status,
            "Grant the credentials' owner a role that can see the environments (e.g. OrganizationAdmin, or EnvironmentAdmin with --environment).",
            "Role bindings and provider integrations are read per environment; to export without them, add --exclude RoleBinding,ProviderIntegration,ProviderIntegrationSetup,ProviderIntegrationAuthorization.",
          );
  const orgs = await listAll(
    client,
    "/org/v2/organizations",
    idItem,
    100,
    undefined,
    scopeDenied("organizations"),
  );
  const orgId = orgs[0]?.id;
  if (orgId === undefined) throw new Error("GET /org/v2/organizations answered no organization");
  const orgCrn = `${CRN_ROOT}/organization=${orgId}`;
  const kinds = KINDS.filter((k) => opts.kinds.includes(k.kind));
  const needsEnvs = kinds.some((k) => k.scope === "environment" || k.scope === "crn");
  const allEnvs = needsEnvs
    ? await listAll(client, "/org/v2/environments", envItem, 100, undefined, scopeDenied("environments"))
    : [];
  for (const wanted of opts.environments) {
    if (needsEnvs && !allEnvs.some((e) => e.id === wanted)) {
      throw new Error(
        `--environment ${wanted}: no such environment in organization ${orgId} (it has ${allEnvs.map((e) => e.id).join(", ") || "none"})`,
      );
    }
  }
  const environments = allEnvs
    .filter((e) => opts.environments.length === 0 || opts.environments.includes(e.id))
    .map((e) => ({ id: e.id, displayName: e.display_name ?? e.id }));

  const scopes: Scope[] = [{ level: "organization", id: orgId, crn: orgCrn }];
  if (kinds.some((k) => k.scope === "crn")) {
    for (const env of environments) {
      const envCrn = `${orgCrn}/environment=${env.id}`;
      scopes.push({ level: "environment", id: env.id, crn: envCrn });
      const q = { environment: env.id };
      for (const c of await listAll(
        client,
        "/cmk/v2/clusters",
        idItem,
        100,
        q,
        scopeDenied("Kafka clusters"),
      ))
        scopes.push({ level: "kafka-cluster", id: c.id, crn: `${envCrn}/cloud-cluster=${c.id}` });
      for (const r of await listAll(
        client,
        "/srcm/v3/clusters",
        idItem,
        100,
        q,
        scopeDenied("Schema Registries"),
      ))
        scopes.push({ level: "schema-registry", id: r.id, crn: `${envCrn}/schema-registry=${r.id}` });
    }
  }

  const objects: ReadObject[] = [];
  const seen = new Set<string>();
  const add = (o: ReadObject | undefined): void => {
    if (o === undefined) return;
    const key = `${o.kind}\u0000${o.id}`;
    if (seen.has(key)) return;
    seen.add(key);
    objects.push(o);
  };
  // Two kinds may be one list (pim/v2 setups and authorizations): each list is read once.
  const lists = new Map<string, Promise<unknown[]>>();
  for (const k of kinds) {
    const list = (path: string, query?: Record<string, string>): Promise<unknown[]> => {
      const key = `${path}?${new URLSearchParams(query ?? {}).toString()}`;
      let got = lists.get(key);
      if (got === undefined) {
        got = listAll(client, path, k.itemSchema, k.pageSize, query, denied(k));
        lists.set(key, got);
      }
      return got;
    };
    switch (k.scope) {
      case "organization":
        for (const item of await list(k.path)) add(k.convert(item));
        break;
      case "environment":
        for (const env of environments)
          for (const item of await list(k.path, { environment: env.id })) add(k.convert(item));
        break;
      case "identityProvider": {
        const providers = objects.filter((o) => o.kind === "IdentityProvider").map((o) => o.id);
        const ids =
          providers.length > 0 || opts.kinds.includes("IdentityProvider")
            ? providers
            : (await listAll(client, "/iam/v2/identity-providers", idItem, 100, undefined, denied(k))).map(
                (p) => p.id,
              );
        for (const op of ids)
          for (const item of await list(`${k.path}/${encodeURIComponent(op)}/identity-pools`))
            add(k.convert(item, op));
        break;
      }
      case "certificateAuthority": {
        const authorities = objects.filter((o) => o.kind === "CertificateAuthority").map((o) => o.id);
        const ids =
          authorities.length > 0 || opts.kinds.includes("CertificateAuthority")
            ? authorities
            : (await listAll(client, k.path, idItem, 100, undefined, denied(k))).map((p) => p.id);
        for (const ca of ids)
          for (const item of await list(`${k.path}/${encodeURIComponent(ca)}/identity-pools`))
            add(k.convert(item, ca));
        break;
      }
      case "crn":
        // The list is a partial match on crn_pattern, so a wider scope may return a narrower one's bindings
        // too: each binding is kept once, and only when it lies in a scope that was asked for.
        for (const s of scopes)
          for (const item of await list(k.path, { crn_pattern: s.crn })) {
            const o = k.convert(item);
            if (o !== undefined && inScopes(String(o.inputs.crnPattern), orgCrn, environments)) add(o);
          }
        break;
    }
  }
  return { id: orgId, organizationCount: orgs.length, environments, scopes, objects };
}

/** A binding's CRN lies in the organization and, when it names an environment, in one that was read. */
function inScopes(crn: string, orgCrn: string, environments: readonly Environment[]): boolean {
  let decoded = crn;
  try {
    decoded = decodeURIComponent(crn);
  } catch {
    // keep it as it is
  }
  if (decoded !== orgCrn && !decoded.startsWith(`${orgCrn}/`)) return false;
  const env = /\/environment=([^/]+)/.exec(decoded)?.[1];
  return env === undefined || environments.some((e) => e.id === env);
}
