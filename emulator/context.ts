import type { BaseRecord, Db } from "./db";
import type { Table } from "./objects/types";
import type { RevokedBinding } from "./rbac";
import type { Seed } from "./seed";

/** Settings that can change at runtime (`PUT /_emulator/faults`). */
export interface Settings {
  /** Requests per second per credential; 0 = off. */
  rateLimit: number;
  latencyMs: number;
  latencyJitterMs: number;
  /** Probability of a 5xx answer per API request. */
  fault5xx: number;
  /** Probability of a connection destroyed mid-request. */
  faultReset: number;
  /** Probability of a 429 answer. */
  fault429: number;
  /** Seed of the fault PRNG; setting it restarts the sequence. */
  faultSeed: number;
  /** How long a new object answers "missing" to GET by id. */
  readLagMs: number;
  /** How long a new API key takes before it authenticates. */
  keyPropagationMs: number;
}

/** What handlers see of the emulator. */
export interface Env {
  readonly db: Db;
  readonly seed: Seed;
  readonly settings: Settings;
  /** Origin (and base path) of list answers' `metadata.next` links; "" = the request's own origin. */
  readonly nextLinkOrigin: string;
  /** Longest `filter` of identity pools, group mappings and certificate pools (`--filter-max-length`). */
  readonly filterMaxLength: number;
  /** Deleted role bindings that keep counting for authorization until `--read-lag` has passed. */
  readonly revokedBindings: RevokedBinding[];
  /** Clock (epoch ms). */
  now(): number;
}

/** One API request, as handlers see it. */
export interface Ctx {
  readonly method: string;
  readonly path: string;
  /** Path parameters captured by the router (`:id`). */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Parsed JSON body (undefined when there was none). */
  readonly body: unknown;
  /** `http://<Host header>`: the origin of absolute links. */
  readonly base: string;
  readonly env: Env;
  /** Whether the caller may see environment `id` (RBAC); absent: every environment. */
  readonly seesEnvironment?: (id: string) => boolean;
}

/** A handler's successful answer. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A route handler. Errors are thrown as {@link ApiError}. */
export type Handler = (ctx: Ctx) => Reply;

/** ISO timestamp of the emulator clock. */
export function nowIso(ctx: Ctx): string {
  return new Date(ctx.env.now()).toISOString();
}

/** Fresh base fields for a new record; `read lag` starts now. */
export function newBase(ctx: Ctx, id: string): BaseRecord {
  const now = ctx.env.now();
  const iso = new Date(now).toISOString();
  return { id, created_at: iso, updated_at: iso, visible_at_ms: now + ctx.env.settings.readLagMs };
}

/** A CRN under the seed organization: `crn://confluent.cloud/organization=<org>/<path>`. */
export function crn(ctx: Ctx, path: string): string {
  return `crn://confluent.cloud/organization=${ctx.env.seed.organization_id}${path ? `/${path}` : ""}`;
}

/** The standard `metadata` of an object. */
export function metadata(
  ctx: Ctx,
  selfPath: string,
  resourceName: string,
  rec: BaseRecord,
): Record<string, string> {
  return {
    self: ctx.base + selfPath,
    resource_name: resourceName,
    created_at: rec.created_at,
    updated_at: rec.updated_at,
  };
}

/** Looks an object up for a write or a list (read lag does not apply). */
export function find<Row extends BaseRecord>(ctx: Ctx, table: Table<Row>, id: string): Row | undefined {
  return ctx.env.db.rows(table).get(id);
}

/** Looks an object up for a GET by id: a new object stays invisible for `--read-lag`. */
export function findVisible<Row extends BaseRecord>(
  ctx: Ctx,
  table: Table<Row>,
  id: string,
): Row | undefined {
  const rec = find(ctx, table, id);
  if (rec === undefined || rec.visible_at_ms > ctx.env.now()) return undefined;
  return rec;
}

/** True when the request body carries the key (PATCH: only present fields change). */
export function has(obj: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key) && obj[key] !== undefined;
}
