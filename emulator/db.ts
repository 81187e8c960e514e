import type { Table } from "./objects/types";

/** Fields every stored object has. */
export interface BaseRecord {
  id: string;
  created_at: string;
  updated_at: string;
  /** Epoch ms from which a GET by id finds the object (`--read-lag`: eventual consistency). */
  visible_at_ms: number;
}

/** What the data file holds: every registered table by name (emulator/objects/index.ts), in order. */
export interface DbSnapshot {
  version: 1;
  counters: Record<string, number>;
  tables: Record<string, BaseRecord[]>;
}

/**
 * Every object, in memory (one Map per registered table, keyed by id, in creation order), plus the id
 * counters. Counters survive a reset so that ids are never reused, as the API promises.
 */
export class Db {
  /** The registered tables, in data-file and dump order. */
  readonly tableList: readonly Table[];
  counters: Record<string, number> = {};
  private tables = new Map<string, Map<string, BaseRecord>>();

  constructor(tables: readonly Table[]) {
    const seen = new Set<string>();
    for (const t of tables) {
      if (seen.has(t.name)) throw new Error(`two registered objects declare the table ${t.name}`);
      seen.add(t.name);
    }
    this.tableList = tables;
    this.clear();
  }

  /** The rows of a table, by id. */
  rows<Row extends BaseRecord>(table: Table<Row>): Map<string, Row> {
    const rows = this.tables.get(table.name);
    if (rows === undefined) {
      throw new Error(
        `the table ${table.name} is not registered: add its object to the list in emulator/objects/index.ts`,
      );
    }
    return rows as Map<string, Row>;
  }

  /** A fresh id: prefix + base-36 counter, zero-padded (`sa-00000a`). */
  nextId(prefix: string, width = 6): string {
    const n = (this.counters[prefix] ?? 0) + 1;
    this.counters[prefix] = n;
    return prefix + n.toString(36).padStart(width, "0");
  }

  /** Empties every table; counters stay. */
  clear(): void {
    this.tables = new Map(this.tableList.map((t) => [t.name, new Map()]));
  }

  /** A plain-JSON copy for the data file. */
  snapshot(): DbSnapshot {
    const tables: Record<string, BaseRecord[]> = {};
    for (const t of this.tableList) tables[t.name] = [...this.rows(t).values()];
    return { version: 1, counters: { ...this.counters }, tables };
  }

  /** Replaces the content with a snapshot read from the data file; a table it lacks starts empty. */
  restore(snapshot: DbSnapshot): void {
    this.clear();
    this.counters = { ...snapshot.counters };
    for (const t of this.tableList) {
      const rows = this.rows(t);
      for (const rec of snapshot.tables[t.name] ?? []) rows.set(rec.id, rec);
    }
  }
}
