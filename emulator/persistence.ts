import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";
import type { DbSnapshot } from "./db";
import { objects } from "./objects";
import { parseSeed, seedSchema, type Seed } from "./seed";

/** The data file: the seed in force and every object with the id counters. */
export interface DataFile {
  seed: Seed;
  db: DbSnapshot;
}

/**
 * Writes the file so that a kill -9 at any moment leaves either the old or the new version: a temporary
 * file in the same directory, fsync, rename over the old one, fsync the directory.
 */
export function writeDataFile(path: string, data: DataFile): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeSync(fd, JSON.stringify(data));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  try {
    const dir = openSync(dirname(path), "r");
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic there.
  }
}

/** Every stored object has these; the rest of a record is the object's own fields. */
const recordSchema = z
  .object({
    id: z.string().min(1),
    created_at: z.string(),
    updated_at: z.string(),
    visible_at_ms: z.number(),
  })
  .passthrough();

/**
 * The whole data file, with one table per registered object table. Strict at every level that names things (a
 * misnamed table or field is an error, not an empty table lost at the next write); a table missing from an
 * older file is empty; the counters are required, or new ids would repeat old ones.
 */
function dataFileSchema(tables: readonly string[]) {
  return z
    .object({
      seed: seedSchema,
      db: z
        .object({
          version: z.literal(1),
          counters: z.record(z.string(), z.number().int().min(0)),
          tables: z
            .object(Object.fromEntries(tables.map((t) => [t, z.array(recordSchema).default([])])))
            .strict(),
        })
        .strict(),
    })
    .strict();
}

/** The table names of the registered objects (emulator/objects/index.ts), in order. */
const REGISTERED_TABLES: readonly string[] = objects.flatMap((o) => o.tables.map((t) => t.name));

function where(path: readonly (string | number)[]): string {
  return path.length === 0 ? "the top level" : path.join(".");
}

/**
 * Reads and checks the whole data file, or undefined when it does not exist yet. Anything else it cannot
 * read (unreadable, truncated, not JSON, not the expected shape) throws an Error naming the file and the
 * problem, so the emulator stops before it would write over the file.
 */
export function readDataFile(
  path: string,
  tables: readonly string[] = REGISTERED_TABLES,
): DataFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOENT") return undefined;
    throw new Error(`cannot read the data file ${path}: ${err.message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(
      `the data file ${path} is not valid JSON (truncated or damaged?): ${e instanceof Error ? e.message : String(e)}. ` +
        `It was left as it is; restore it from a copy, or start with another --data file.`,
    );
  }
  const parsed = dataFileSchema(tables).safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${where(i.path)}: ${i.message}`)
      .join("; ");
    throw new Error(
      `the data file ${path} is not an emulator data file this version can read: ${problems}. It was left as ` +
        `it is; fix it, or start with another --data file.`,
    );
  }
  let seed: Seed;
  try {
    seed = parseSeed(parsed.data.seed);
  } catch (e) {
    throw new Error(`the data file ${path} holds an ${e instanceof Error ? e.message : String(e)}`);
  }
  return { seed, db: parsed.data.db as unknown as DbSnapshot };
}
