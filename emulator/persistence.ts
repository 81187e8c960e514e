import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { DbSnapshot } from "./db";
import type { Seed } from "./seed";

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

/** Reads the data file, or undefined when it does not exist yet. */
export function readDataFile(path: string): DataFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  const parsed = JSON.parse(text) as Partial<DataFile>;
  if (!parsed || typeof parsed !== "object" || !parsed.db || !parsed.seed) {
    throw new Error(`${path} is not an emulator data file`);
  }
  return parsed as DataFile;
}
