import type { Env } from "../context";
import type { BaseRecord, Db } from "../db";
import type { Requirement } from "../rbac";
import type { Route } from "../router";
import type { Seed } from "../seed";

/**
 * One table of stored objects: its name (the key in the data file's `db.tables` and in `GET /_emulator/dump`)
 * and, as a type, its row. Handlers reach the rows with `ctx.env.db.rows(table)`.
 */
export interface Table<Row extends BaseRecord = BaseRecord> {
  readonly name: string;
  /** Fields `GET /_emulator/dump` leaves out (secret hashes); the data file keeps them. */
  readonly hiddenInDump: readonly string[];
  /** Never set: carries the row type. */
  readonly row?: Row;
}

/** Declares a table: `export const widgets = table<WidgetRecord>("widgets")`. */
export function table<Row extends BaseRecord>(
  name: string,
  options: { hiddenInDump?: readonly (keyof Row & string)[] } = {},
): Table<Row> {
  return { name, hiddenInDump: options.hiddenInDump ?? [] };
}

/** What RBAC sees of a request on one of an object's routes. */
export interface AccessRequest {
  readonly env: Env;
  readonly method: string;
  /** GET or HEAD. */
  readonly read: boolean;
  /** The matched route's path pattern (`/iam/v2/service-accounts/:id`). */
  readonly pattern: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body (undefined for reads). */
  readonly body: unknown;
}

/** What a request needs (emulator/rbac.ts checks it); undefined: no check here (the handler answers). */
export type Access = (req: AccessRequest) => Requirement | undefined;

/**
 * Everything the emulator knows about one object (or a family served together), in the object's own file.
 * Register it with one line in emulator/objects/index.ts; the database, router, data file, dump, reset,
 * seed and RBAC take what they need from here.
 */
export interface EmulatorObject {
  /** Plural noun for messages (`service accounts`). */
  readonly name: string;
  /** Its tables, in data-file and dump order; `[]` for objects served from the seed. */
  readonly tables: readonly Table[];
  /** Its API routes. */
  readonly routes: readonly Route[];
  /**
   * What each of its routes needs under RBAC (emulator/rbac.ts has the role table and helpers such as
   * `orgWide`). `null` only for routes outside Cloud RBAC (Azure Resource Manager's bearer token): a new
   * Cloud API object must say what it needs, so forgetting it cannot leave its routes open.
   */
  readonly access: Access | null;
  /** Test hooks under `/_emulator/` (admin credentials only); a successful write is persisted. */
  readonly controlRoutes?: readonly Route[];
  /** Puts seeded rows into its tables: at start (without a data file) and at every reset. */
  readonly applySeed?: (db: Db, seed: Seed, now: number) => void;
}

/** Whether a module's export is an {@link EmulatorObject} (what ./index.ts and scripts/registry.ts collect). */
export function isEmulatorObject(value: unknown): value is EmulatorObject {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<Record<keyof EmulatorObject, unknown>>;
  return typeof v.name === "string" && Array.isArray(v.tables) && Array.isArray(v.routes) && "access" in v;
}
