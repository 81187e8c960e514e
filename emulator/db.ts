import type { ApiKeyRecord } from "./objects/api-keys";
import type { ByokKeyRecord } from "./objects/byok-keys";
import type { IdentityPoolRecord, IdentityProviderRecord } from "./objects/identity-providers";
import type { IntegrationRecord } from "./objects/integrations";
import type { InvitationRecord } from "./objects/invitations";
import type { IpFilterRecord } from "./objects/ip-filters";
import type { IpGroupRecord } from "./objects/ip-groups";
import type { RoleBindingRecord } from "./objects/role-bindings";
import type { ServiceAccountRecord } from "./objects/service-accounts";
import type { UserRecord } from "./objects/users";

/** Fields every stored object has. */
export interface BaseRecord {
  id: string;
  created_at: string;
  updated_at: string;
  /** Epoch ms from which a GET by id finds the object (`--read-lag`: eventual consistency). */
  visible_at_ms: number;
}

/** The object kinds the emulator stores, in dump order. */
export const TABLES = [
  "users",
  "service_accounts",
  "api_keys",
  "invitations",
  "ip_groups",
  "ip_filters",
  "role_bindings",
  "identity_providers",
  "identity_pools",
  "integrations",
  "byok_keys",
] as const;

/** One of {@link TABLES}. */
export type TableName = (typeof TABLES)[number];

/** The record type stored in each table. */
export interface TableTypes {
  users: UserRecord;
  service_accounts: ServiceAccountRecord;
  api_keys: ApiKeyRecord;
  invitations: InvitationRecord;
  ip_groups: IpGroupRecord;
  ip_filters: IpFilterRecord;
  role_bindings: RoleBindingRecord;
  identity_providers: IdentityProviderRecord;
  identity_pools: IdentityPoolRecord;
  integrations: IntegrationRecord;
  byok_keys: ByokKeyRecord;
}

/** What the data file holds. */
export interface DbSnapshot {
  version: 1;
  counters: Record<string, number>;
  tables: { [K in TableName]: TableTypes[K][] };
}

type Tables = { [K in TableName]: Map<string, TableTypes[K]> };

function emptyTables(): Tables {
  const t: Partial<Record<TableName, Map<string, unknown>>> = {};
  for (const name of TABLES) t[name] = new Map();
  return t as Tables;
}

/**
 * Every object, in memory (Maps keyed by id, in creation order), plus the id counters. Counters survive
 * a reset so that ids are never reused, as the API promises.
 */
export class Db {
  tables: Tables = emptyTables();
  counters: Record<string, number> = {};

  /** A fresh id: prefix + base-36 counter, zero-padded (`sa-00000a`). */
  nextId(prefix: string, width = 6): string {
    const n = (this.counters[prefix] ?? 0) + 1;
    this.counters[prefix] = n;
    return prefix + n.toString(36).padStart(width, "0");
  }

  /** Empties every table; counters stay. */
  clear(): void {
    this.tables = emptyTables();
  }

  /** A plain-JSON copy for the data file. */
  snapshot(): DbSnapshot {
    const tables: Partial<Record<TableName, unknown[]>> = {};
    for (const name of TABLES) tables[name] = [...this.tables[name].values()];
    return { version: 1, counters: { ...this.counters }, tables: tables as DbSnapshot["tables"] };
  }

  /** Replaces the content with a snapshot read from the data file. */
  restore(snapshot: DbSnapshot): void {
    this.clear();
    this.counters = { ...snapshot.counters };
    for (const name of TABLES) {
      const map = this.tables[name] as Map<string, BaseRecord>;
      for (const rec of (snapshot.tables[name] ?? []) as BaseRecord[]) map.set(rec.id, rec);
    }
  }
}
