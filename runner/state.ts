/**
 * The runner's stack state: one JSON file per stack, written atomically (temp file + rename) so that a crash
 * mid-write never leaves a torn file. Secret values are kept in Pulumi's wire form (`{"4dabf…": "1b47…",
 * value}`) so that anything printing state can tell them apart; the file is not encrypted (it stands in for
 * the engine's local backend and lives in a git-ignored folder).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { isSecretWire, secretWire, type PropertyMap } from "../protocol";

/** One resource as the runner last saw it. */
export interface ResourceState {
  /** Its URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
  urn: string;
  /** Type token, e.g. `pulumi-nodejs:dynamic/confluent:ServiceAccount`. */
  type: string;
  /** Logical name. */
  name: string;
  /** The provider's id of the object. */
  id: string;
  /** Checked inputs, without `__provider`. */
  inputs: PropertyMap;
  /** Outputs, without `__provider`; keys listed in `secretOutputs` are wrapped as secrets. */
  outputs: PropertyMap;
  /** The serialized dynamic provider (`__provider`) the object was last created, updated or read with. */
  provider: string;
  /** URNs of the resources this one's inputs referred to (deleted after this one). */
  dependencies: string[];
  /** Output keys that are secret (`additionalSecretOutputs`, or secret because a secret input flowed in). */
  secretOutputs: string[];
  /** The program asked for delete-before-replace. */
  deleteBeforeReplace?: boolean;
  /** Created, but the provider reported that it failed to initialize: the object exists and is kept. */
  initFailed?: boolean;
  /** The old copy of a replaced resource, waiting to be deleted (create-before-delete). */
  pendingDelete?: boolean;
  /** The program set `protect`: deleting it fails. */
  protect?: boolean;
  /** The program set `retainOnDelete`: it is dropped from state without deleting the object. */
  retainOnDelete?: boolean;
  /** The parent's URN, when the parent is not the stack (a component resource). */
  parent?: string;
  /** A component resource: no object of its own (id and provider are ""), outputs from registerOutputs. */
  component?: boolean;
}

/** The whole stack. */
export interface StackState {
  /** Format version. */
  version: 1;
  /** Project name from Pulumi.yaml. */
  project: string;
  /** Stack name. */
  stack: string;
  /** Resources in creation order. */
  resources: ResourceState[];
  /** Stack outputs (secret ones in wire form). */
  outputs: PropertyMap;
}

const resourceSchema = z.object({
  urn: z.string(),
  type: z.string(),
  name: z.string(),
  id: z.string(),
  inputs: z.record(z.unknown()),
  outputs: z.record(z.unknown()),
  provider: z.string(),
  dependencies: z.array(z.string()),
  secretOutputs: z.array(z.string()),
  deleteBeforeReplace: z.boolean().optional(),
  initFailed: z.boolean().optional(),
  pendingDelete: z.boolean().optional(),
  protect: z.boolean().optional(),
  retainOnDelete: z.boolean().optional(),
  parent: z.string().optional(),
  component: z.boolean().optional(),
});

const stackSchema = z.object({
  version: z.literal(1),
  project: z.string(),
  stack: z.string(),
  resources: z.array(resourceSchema),
  outputs: z.record(z.unknown()),
});

/** An empty stack. */
export function emptyState(project: string, stack: string): StackState {
  return { version: 1, project, stack, resources: [], outputs: {} };
}

/** Reads a state file; a missing file is an empty stack. */
export function loadState(file: string, project: string, stack: string): StackState {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return emptyState(project, stack);
    throw e;
  }
  const parsed = stackSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `state file ${file} is not valid: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? ""}`,
    );
  }
  return parsed.data;
}

/**
 * Writes the state atomically: a temp file beside the target (same file system, so rename is atomic), fsync,
 * then rename over the old file.
 */
export function saveState(file: string, state: StackState): void {
  // Serialize first: a value JSON cannot carry must fail before anything touches the disk.
  const text = JSON.stringify(state, null, 2) + "\n";
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  try {
    const fd = fs.openSync(tmp, "w", 0o600);
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Wraps the listed top-level keys as secrets (already-wrapped values stay as they are). */
export function markSecrets(props: PropertyMap, keys: readonly string[]): PropertyMap {
  const out: PropertyMap = { ...props };
  for (const k of keys) {
    if (k in out && out[k] !== undefined && !isSecretWire(out[k])) out[k] = secretWire(out[k]);
  }
  return out;
}

/** Top-level keys whose value is a secret in wire form. */
export function secretKeysOf(props: PropertyMap): string[] {
  return Object.keys(props).filter((k) => isSecretWire(props[k]));
}

/** A copy with every secret replaced by the text `[secret]`, for display. */
export function maskSecrets(v: unknown): unknown {
  if (isSecretWire(v)) return "[secret]";
  if (Array.isArray(v)) return v.map(maskSecrets);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskSecrets(x)]));
  }
  return v;
}
