import { createHash } from "node:crypto";
import { z } from "zod";
import { crn, find, findVisible, metadata, newBase, nowIso, type Ctx } from "../context";
import type { BaseRecord } from "../db";
import { flatError, invalidField, type ApiError } from "../errors";
import { paginate } from "../pagination";
import { orgWide } from "../rbac";
import type { Route } from "../router";
import { checkFilterLength, parseBody } from "../validate";
import { deleteOwnedBy } from "./cascade";
import { assignedResourceOwner, grantResourceOwner } from "./resource-owner";
import { table, type EmulatorObject } from "./types";

/** One JSON Web Key, as the API answers it in `keys`. */
export interface Jwk {
  kty: string;
  kid: string;
  use: string;
  n: string;
  e: string;
  x5c: string[];
  x5t: string;
  issuer: string;
}

/** A stored OIDC identity provider. */
export interface IdentityProviderRecord extends BaseRecord {
  display_name: string;
  description: string;
  issuer: string;
  jwks_uri: string;
  identity_claim: string;
  keys: Jwk[];
  jwks_last_refresh_at: string;
}

/** A stored identity pool (under a provider). */
export interface IdentityPoolRecord extends BaseRecord {
  provider_id: string;
  display_name: string;
  description: string;
  identity_claim: string;
  filter: string;
}

export const identityProvidersTable = table<IdentityProviderRecord>("identity_providers");
export const identityPoolsTable = table<IdentityPoolRecord>("identity_pools");

const PATH = "/iam/v2/identity-providers";

const url = (field: string) => z.string().url(`${field} must be a valid URI`);
const providerCreate = z.object({
  display_name: z.string().min(1, "display_name must not be empty"),
  description: z.string(),
  issuer: url("issuer"),
  jwks_uri: url("jwks_uri"),
  identity_claim: z.string().min(1, "identity_claim must not be empty").optional(),
});
const providerUpdate = providerCreate.partial();

// Its length limit is the organization's (checkFilterLength), not the schema's.
const filter = z.string().min(1, "filter must not be empty");
const poolCreate = z.object({
  display_name: z.string().min(1, "display_name must not be empty"),
  description: z.string(),
  identity_claim: z.string().min(1, "identity_claim must not be empty"),
  filter,
});
const poolUpdate = poolCreate.partial();

function providerMissing(ctx: Ctx, id: string): ApiError {
  return flatError(
    404,
    404,
    `Identity Provider ${id} not found or disabled for Organization ${ctx.env.seed.organization_id}`,
  );
}

/** A fake but well-formed signing key, derived from the provider id so answers are stable. */
function fakeKeys(id: string, issuer: string): Jwk[] {
  const digest = (salt: string, bytes: number): Buffer => {
    const out: Buffer[] = [];
    for (let i = 0; out.length * 32 < bytes; i++)
      out.push(createHash("sha256").update(`${salt}:${id}:${i}`).digest());
    return Buffer.concat(out).subarray(0, bytes);
  };
  const kid = digest("kid", 15).toString("base64url");
  return [
    {
      kty: "RSA",
      kid,
      use: "sig",
      n: digest("n", 256).toString("base64url"),
      e: "AQAB",
      x5c: [digest("x5c", 300).toString("base64")],
      x5t: kid,
      issuer,
    },
  ];
}

/** The filter is a CEL expression; the emulator only checks that brackets and quotes balance. */
function checkFilter(expr: string): void {
  let depth = 0;
  let quote: string | undefined;
  for (const ch of expr) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "(") depth++;
    else if (ch === ")" && --depth < 0) break;
  }
  if (depth !== 0 || quote) throw invalidField("/filter", "Invalid syntax in policy expression");
}

function renderProvider(ctx: Ctx, p: IdentityProviderRecord): unknown {
  return {
    api_version: "iam/v2",
    kind: "IdentityProvider",
    id: p.id,
    metadata: metadata(ctx, `${PATH}/${p.id}`, crn(ctx, `identity-provider=${p.id}`), p),
    display_name: p.display_name,
    description: p.description,
    state: "ENABLED",
    issuer: p.issuer,
    jwks_uri: p.jwks_uri,
    identity_claim: p.identity_claim,
    keys: p.keys,
  };
}

function renderPool(ctx: Ctx, pool: IdentityPoolRecord): unknown {
  return {
    api_version: "iam/v2",
    kind: "IdentityPool",
    id: pool.id,
    metadata: metadata(
      ctx,
      `${PATH}/${pool.provider_id}/identity-pools/${pool.id}`,
      crn(ctx, `identity-provider=${pool.provider_id}/identity-pool=${pool.id}`),
      pool,
    ),
    display_name: pool.display_name,
    description: pool.description,
    identity_claim: pool.identity_claim,
    filter: pool.filter,
    principal: pool.id,
    state: "ENABLED",
  };
}

/** Identity providers: server-filled `keys` and `state`; JWKS refresh; delete takes the pools with it. */
const providerRoutes: Route[] = [
  {
    method: "GET",
    path: PATH,
    handler: (ctx) =>
      paginate(
        ctx,
        [...ctx.env.db.rows(identityProvidersTable).values()],
        { defaultSize: 10, maxSize: 100 },
        { apiVersion: "iam/v2", kind: "IdentityProviderList" },
        (p) => renderProvider(ctx, p),
      ),
  },
  {
    method: "POST",
    path: PATH,
    handler: (ctx) => {
      const input = parseBody(providerCreate, ctx.body);
      const base = newBase(ctx, ctx.env.db.nextId("op-", 5));
      const p: IdentityProviderRecord = {
        ...base,
        display_name: input.display_name,
        description: input.description,
        issuer: input.issuer,
        jwks_uri: input.jwks_uri,
        identity_claim: input.identity_claim ?? "claims.sub",
        keys: fakeKeys(base.id, input.issuer),
        jwks_last_refresh_at: base.created_at,
      };
      ctx.env.db.rows(identityProvidersTable).set(p.id, p);
      return {
        status: 201,
        body: renderProvider(ctx, p),
        headers: { Location: `${ctx.base}${PATH}/${p.id}` },
      };
    },
  },
  {
    method: "GET",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const id = ctx.params.id ?? "";
      const p = findVisible(ctx, identityProvidersTable, id);
      if (!p) throw providerMissing(ctx, id);
      return { status: 200, body: renderProvider(ctx, p) };
    },
  },
  {
    method: "PATCH",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const id = ctx.params.id ?? "";
      const p = find(ctx, identityProvidersTable, id);
      if (!p) throw providerMissing(ctx, id);
      const input = parseBody(providerUpdate, ctx.body);
      if (input.display_name !== undefined) p.display_name = input.display_name;
      if (input.description !== undefined) p.description = input.description;
      if (input.issuer !== undefined) p.issuer = input.issuer;
      if (input.jwks_uri !== undefined) p.jwks_uri = input.jwks_uri;
      if (input.identity_claim !== undefined) p.identity_claim = input.identity_claim;
      p.updated_at = nowIso(ctx);
      return { status: 200, body: renderProvider(ctx, p) };
    },
  },
  {
    method: "DELETE",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const id = ctx.params.id ?? "";
      const p = find(ctx, identityProvidersTable, id);
      if (!p) throw providerMissing(ctx, id);
      ctx.env.db.rows(identityProvidersTable).delete(id);
      for (const pool of [...ctx.env.db.rows(identityPoolsTable).values()]) {
        if (pool.provider_id === id) {
          ctx.env.db.rows(identityPoolsTable).delete(pool.id);
          deleteOwnedBy(ctx, pool.id);
        }
      }
      return { status: 204 };
    },
  },
  {
    method: "PATCH",
    path: `${PATH}/:id/jwks`,
    handler: (ctx) => {
      const id = ctx.params.id ?? "";
      const p = find(ctx, identityProvidersTable, id);
      if (!p) throw providerMissing(ctx, id);
      p.jwks_last_refresh_at = nowIso(ctx);
      return {
        status: 200,
        body: {
          api_version: "iam/v2",
          kind: "Jwks",
          spec: { jwks_status: "REFRESHED" },
          status: { jwks_status: "REFRESHED", jwks_last_refresh_at: p.jwks_last_refresh_at },
        },
      };
    },
  },
];

const POOLS = `${PATH}/:provider/identity-pools`;

function provider(ctx: Ctx): IdentityProviderRecord {
  const id = ctx.params.provider ?? "";
  const p = find(ctx, identityProvidersTable, id);
  // Recorded: a pool under a missing provider answers with the provider's message.
  if (!p) throw flatError(404, 404, `Provider ${id} either doesn't exist or is not active`);
  return p;
}

function pool(ctx: Ctx, visibleOnly: boolean): IdentityPoolRecord {
  const p = provider(ctx);
  const id = ctx.params.id ?? "";
  const found = visibleOnly ? findVisible(ctx, identityPoolsTable, id) : find(ctx, identityPoolsTable, id);
  if (!found || found.provider_id !== p.id) throw flatError(404, 404, `Identity Pool ${id} not found`);
  return found;
}

/** Identity pools under a provider: all four fields required on create. */
const poolRoutes: Route[] = [
  {
    method: "GET",
    path: POOLS,
    handler: (ctx) => {
      const p = provider(ctx);
      const items = [...ctx.env.db.rows(identityPoolsTable).values()].filter((x) => x.provider_id === p.id);
      // Recorded: the pool list carries no api_version.
      return paginate(ctx, items, { defaultSize: 10, maxSize: 100 }, { kind: "IdentityPoolList" }, (x) =>
        renderPool(ctx, x),
      );
    },
  },
  {
    method: "POST",
    path: POOLS,
    handler: (ctx) => {
      const p = provider(ctx);
      const input = parseBody(poolCreate, ctx.body);
      checkFilterLength(ctx, input.filter);
      checkFilter(input.filter);
      const owner = assignedResourceOwner(ctx);
      const rec: IdentityPoolRecord = {
        ...newBase(ctx, ctx.env.db.nextId("pool-", 4)),
        provider_id: p.id,
        ...input,
      };
      ctx.env.db.rows(identityPoolsTable).set(rec.id, rec);
      grantResourceOwner(ctx, owner, `identity-provider=${p.id}/identity-pool=${rec.id}`);
      return {
        status: 201,
        body: renderPool(ctx, rec),
        headers: { Location: `${ctx.base}${PATH}/${p.id}/identity-pools/${rec.id}` },
      };
    },
  },
  {
    method: "GET",
    path: `${POOLS}/:id`,
    handler: (ctx) => ({ status: 200, body: renderPool(ctx, pool(ctx, true)) }),
  },
  {
    method: "PATCH",
    path: `${POOLS}/:id`,
    handler: (ctx) => {
      const rec = pool(ctx, false);
      const input = parseBody(poolUpdate, ctx.body);
      checkFilterLength(ctx, input.filter);
      if (input.filter !== undefined) checkFilter(input.filter);
      if (input.display_name !== undefined) rec.display_name = input.display_name;
      if (input.description !== undefined) rec.description = input.description;
      if (input.identity_claim !== undefined) rec.identity_claim = input.identity_claim;
      if (input.filter !== undefined) rec.filter = input.filter;
      rec.updated_at = nowIso(ctx);
      return { status: 200, body: renderPool(ctx, rec) };
    },
  },
  {
    method: "DELETE",
    path: `${POOLS}/:id`,
    handler: (ctx) => {
      const rec = pool(ctx, false);
      ctx.env.db.rows(identityPoolsTable).delete(rec.id);
      deleteOwnedBy(ctx, rec.id);
      return { status: 204 };
    },
  },
];

/** OIDC identity providers and the identity pools under them (pools go with their provider). */
export const identityProviders: EmulatorObject = {
  name: "identity providers and pools",
  tables: [identityProvidersTable, identityPoolsTable],
  routes: [...providerRoutes, ...poolRoutes],
  access: (r) => orgWide(r.method, "identity"),
};
