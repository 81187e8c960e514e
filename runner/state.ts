/**
 * The runner's stack state: one JSON file per stack, written atomically (temp file + rename) so that a crash
 * mid-write never leaves a torn file. In memory, secret values are in Pulumi's wire form (`{"4dabf…": "1b47…",
 * value}`); in the file each one is encrypted as a Pulumi deployment stores a secret, `{"4dabf…": "1b47…",
 * "ciphertext": "v1:…"}`, by Pulumi's passphrase secrets provider (./passphrase.ts). The salt is kept in the
 * file as `secretsProviders` (Pulumi's `secrets_providers`), so `stack export` copies it as it is and the
 * Pulumi CLI opens the secrets with the same passphrase. A file of format 1 (secrets in plain text) is read
 * as it is and written encrypted at its next write.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { isSecretWire, secretWire, SECRET_SIG, SPECIAL_SIG_KEY, type PropertyMap } from "../protocol";
import {
  IncorrectPassphraseError,
  PASSPHRASE_HOW,
  decryptValue,
  encryptValue,
  keyFromEncryptionSalt,
  newEncryptionSalt,
  readPassphrase,
} from "./passphrase";

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

/**
 * An operation sent to the provider whose end the runner has not recorded yet, as the Pulumi engine keeps
 * `pending_operations`: saved before the provider is asked (so before any request leaves), dropped in the
 * same write that records its result. One still here when a command starts was interrupted (the runner was
 * killed, or the provider host died); the next `up`, `refresh` or `destroy` settles it first (see
 * runner/engine.ts `settlePending`).
 */
export interface PendingOperation {
  /** `creating` (Create) or `updating` (Update), Pulumi's names. */
  type: "creating" | "updating";
  /** When the runner sent the operation to the provider (ISO time, the machine's clock). */
  startedAt: string;
  /**
   * What is needed to find the object: type, URN, name, the inputs sent (and the serialized provider,
   * dependencies, options). `creating`: id "" and no outputs, `secretOutputs` the keys that would be secret;
   * `updating`: the entry as it was, with the inputs sent.
   */
  resource: ResourceState;
}

/** The secrets provider of a stack's state, as Pulumi writes `secrets_providers` for the passphrase one. */
export interface SecretsProviders {
  type: "passphrase";
  /** `salt`: `v1:<base64 salt>:<"pulumi" encrypted with the key>`, the form of a stack file's encryptionsalt. */
  state: { salt: string };
}

/** The whole stack. */
export interface StackState {
  /** Format version: 2 stores secrets encrypted (a file of version 1 is read and written as 2). */
  version: 2;
  /** The passphrase provider's salt, once a secret has been stored. */
  secretsProviders?: SecretsProviders;
  /** Project name from Pulumi.yaml. */
  project: string;
  /** Stack name. */
  stack: string;
  /** Resources in creation order. */
  resources: ResourceState[];
  /** Stack outputs (secret ones in wire form). */
  outputs: PropertyMap;
  /** Operations an interrupted run left unfinished (absent when none; files before it have none). */
  pendingOperations?: PendingOperation[];
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

const pendingSchema = z.object({
  type: z.enum(["creating", "updating"]),
  startedAt: z.string(),
  resource: resourceSchema,
});

const stackSchema = z.object({
  version: z.union([z.literal(1), z.literal(2)]),
  secretsProviders: z
    .object({ type: z.literal("passphrase"), state: z.object({ salt: z.string() }) })
    .optional(),
  project: z.string(),
  stack: z.string(),
  resources: z.array(resourceSchema),
  outputs: z.record(z.unknown()),
  pendingOperations: z.array(pendingSchema).optional(),
});

/** An empty stack. */
export function emptyState(project: string, stack: string): StackState {
  return { version: 2, project, stack, resources: [], outputs: {} };
}

/** The message of a command that must store a secret with no passphrase set. */
export function noPassphraseMessage(what: string): string {
  return `${what} and no passphrase is set; ${PASSPHRASE_HOW}`;
}

/** True when a passphrase is set (PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE). */
export function hasPassphrase(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.PULUMI_CONFIG_PASSPHRASE !== undefined || (env.PULUMI_CONFIG_PASSPHRASE_FILE ?? "") !== "";
}

/** An encrypted secret as a Pulumi deployment stores it. */
function isCiphertext(v: unknown): v is { ciphertext: string } {
  return isSecretWire(v) && typeof (v as unknown as Record<string, unknown>).ciphertext === "string";
}

/** True when `v` holds a secret (in wire form or encrypted) anywhere. */
export function holdsSecret(v: unknown): boolean {
  if (isSecretWire(v)) return true;
  if (Array.isArray(v)) return v.some(holdsSecret);
  if (typeof v === "object" && v !== null) return Object.values(v).some(holdsSecret);
  return false;
}

/** `v` with every secret passed through `f` (nested secrets are left to `f`). */
function mapSecrets(v: unknown, f: (secret: Record<string, unknown>) => unknown): unknown {
  if (isSecretWire(v)) return f(v as unknown as Record<string, unknown>);
  if (Array.isArray(v)) return v.map((x) => mapSecrets(x, f));
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapSecrets(x, f)]));
  }
  return v;
}

/**
 * Every property map of a state (resource inputs and outputs, stack outputs, those of pending operations)
 * passed through `f`.
 */
function mapStateValues(state: StackState, f: (v: unknown) => unknown): StackState {
  const mapResource = (r: ResourceState): ResourceState => ({
    ...r,
    inputs: f(r.inputs) as PropertyMap,
    outputs: f(r.outputs) as PropertyMap,
  });
  return {
    ...state,
    resources: state.resources.map(mapResource),
    outputs: f(state.outputs) as PropertyMap,
    ...(state.pendingOperations
      ? {
          pendingOperations: state.pendingOperations.map((p) => ({
            ...p,
            resource: mapResource(p.resource),
          })),
        }
      : {}),
  };
}

/**
 * The key of a state's secrets provider with the passphrase from `env`. `file` and `why` are for the
 * messages: no passphrase, or one that does not open the salt.
 */
export function stateKey(
  file: string,
  providers: SecretsProviders,
  env: NodeJS.ProcessEnv,
  why: string,
): Buffer {
  const passphrase = readPassphrase(env);
  if (passphrase === undefined) throw new Error(`${file}: ${noPassphraseMessage(why)}`);
  try {
    return keyFromEncryptionSalt(passphrase, providers.state.salt);
  } catch (e) {
    if (e instanceof IncorrectPassphraseError) {
      throw new Error(
        `${file}: incorrect passphrase: it does not open the secrets of this state; set ` +
          "PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) to the passphrase its secrets were stored with",
      );
    }
    throw new Error(`${file}: secretsProviders: ${(e as Error).message}`);
  }
}

/** A state with every encrypted secret decrypted to wire form (`key` opens them). */
export function decryptState(state: StackState, key: Buffer, file: string): StackState {
  return mapStateValues(state, (v) =>
    mapSecrets(v, (s) => {
      if (!isCiphertext(s)) return s;
      let text: string;
      try {
        text = decryptValue(key, s.ciphertext);
      } catch (e) {
        throw new Error(`${file}: a secret does not decrypt: ${(e as Error).message}`);
      }
      return secretWire(JSON.parse(text) as unknown);
    }),
  );
}

/** A state with every secret encrypted with `key`, as a Pulumi deployment stores one. */
export function encryptState(state: StackState, key: Buffer): StackState {
  return mapStateValues(state, (v) =>
    mapSecrets(v, (s) =>
      isCiphertext(s)
        ? s
        : {
            [SPECIAL_SIG_KEY]: SECRET_SIG,
            ciphertext: encryptValue(key, JSON.stringify(s.value === undefined ? null : s.value)),
          },
    ),
  );
}

/** True when the state holds any secret. */
export function stateHoldsSecret(state: StackState): boolean {
  const held = (r: ResourceState): boolean => holdsSecret(r.inputs) || holdsSecret(r.outputs);
  return (
    holdsSecret(state.outputs) ||
    state.resources.some(held) ||
    (state.pendingOperations ?? []).some((p) => held(p.resource))
  );
}

/**
 * The state file's text as JSON; a file that is not JSON (cut off by a full disk or an interrupted copy)
 * is an error naming the file and how to restore it. The parser's own message is not quoted: it can hold a
 * piece of the file's text.
 */
function parseStateText(file: string, text: string, stack: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /at position (\d+)/.exec(message)?.[1];
    const position = at !== undefined ? Number(at) : /Unexpected end/.test(message) ? text.length : undefined;
    const where =
      position === undefined
        ? `a file of ${text.length} characters`
        : `it breaks off at character ${position} of ${text.length}`;
    throw new Error(
      `state file ${file} is not valid JSON (${where}): it was cut off or damaged, and nothing was done. ` +
        "Restore it from a backup, or import a `confluent-iam stack export` of stack " +
        `${stack}: confluent-iam stack import --stack ${stack} --state ${file} --file <export.json> --force`,
    );
  }
}

/** `[stack, project]` of a URN (`urn:pulumi:<stack>::<project>::…`), or undefined when it is not one. */
function urnStackProject(urn: string): [string, string] | undefined {
  const m = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
  return m ? [m[1] ?? "", m[2] ?? ""] : undefined;
}

/**
 * Throws unless the state file is stack `stack` of project `project`: the stack and project it records, and
 * those in its resources' URNs. A file of another stack would make the command delete that stack's objects
 * (none of its URNs is in this stack's program). Every format of the file (1 and 2) records both; a file
 * without them is not a state file (the schema refuses it).
 */
function checkStateIdentity(
  file: string,
  recorded: { project: string; stack: string; resources: readonly { urn: string }[] },
  project: string,
  stack: string,
): void {
  if (recorded.project !== project) {
    throw new Error(
      `state file ${file} holds stack ${recorded.stack} of project ${recorded.project}, but this command runs ` +
        `stack ${stack} of project ${project}: nothing was done. Run the command in project ` +
        `${recorded.project}'s folder (--cwd), or give project ${project} its own state file (without --state ` +
        `it is .state/${stack}.json in the project's folder)`,
    );
  }
  if (recorded.stack !== stack) {
    throw new Error(
      `state file ${file} holds stack ${recorded.stack} of project ${project}, but this command runs stack ` +
        `${stack}: nothing was done. Pass --stack ${recorded.stack} to work on stack ${recorded.stack}, or give ` +
        `stack ${stack} its own state file (without --state it is .state/${stack}.json in the project's folder)`,
    );
  }
  for (const r of recorded.resources) {
    const of = urnStackProject(r.urn);
    if (of === undefined || (of[0] === stack && of[1] === project)) continue;
    throw new Error(
      `state file ${file} holds stack ${stack} of project ${project}, but its resource ${r.urn} is of stack ` +
        `${of[0]} of project ${of[1]} (a file copied from another stack and edited?): nothing was done. Pass ` +
        `--stack ${of[0]} to work on stack ${of[0]}, or restore stack ${stack}'s own state file`,
    );
  }
}

/**
 * Reads, parses and checks a state file without decrypting it: undefined when it does not exist. Throws
 * when it is not JSON, not a state file, or the state of another stack or project. Commands call it before
 * any API call (runner/worker.ts); {@link loadState} does the same and then decrypts.
 */
export function readStateFile(file: string, project: string, stack: string): StackState | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  const parsed = stackSchema.safeParse(parseStateText(file, text, stack));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `state file ${file} is not valid: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? ""}`,
    );
  }
  checkStateIdentity(file, parsed.data, project, stack);
  const { pendingOperations, ...rest } = parsed.data;
  return {
    ...rest,
    version: 2,
    ...(pendingOperations && pendingOperations.length > 0 ? { pendingOperations } : {}),
  };
}

/**
 * Reads a state file; a missing file is an empty stack. A file of another stack or project is refused
 * ({@link readStateFile}). Encrypted secrets are decrypted with the passphrase from `env` (needed only when
 * the file holds one).
 */
export function loadState(
  file: string,
  project: string,
  stack: string,
  env: NodeJS.ProcessEnv = process.env,
): StackState {
  const state = readStateFile(file, project, stack);
  if (state === undefined) return emptyState(project, stack);
  let anyCiphertext = false;
  mapStateValues(state, (v) =>
    mapSecrets(v, (s) => {
      if (isCiphertext(s)) anyCiphertext = true;
      return s;
    }),
  );
  if (!anyCiphertext) return state;
  if (!state.secretsProviders) {
    throw new Error(`${file}: the state holds encrypted secrets but no secretsProviders (its salt)`);
  }
  return decryptState(
    state,
    stateKey(file, state.secretsProviders, env, "the state holds encrypted secrets"),
    file,
  );
}

/**
 * Writes the state atomically: a temp file beside the target (same file system, so rename is atomic), fsync,
 * then rename over the old file. Secrets are encrypted with the passphrase from `env` (a state holding none
 * needs no passphrase); the first secret stored makes the salt. Returns the secrets provider the file
 * names, for the next write to reuse.
 */
export function saveState(
  file: string,
  state: StackState,
  env: NodeJS.ProcessEnv = process.env,
): SecretsProviders | undefined {
  let providers = state.secretsProviders;
  let onDisk: StackState = { ...state, version: 2 };
  if (stateHoldsSecret(state)) {
    let key: Buffer;
    if (providers) {
      key = stateKey(file, providers, env, "the state holds encrypted secrets");
    } else {
      const passphrase = readPassphrase(env);
      if (passphrase === undefined)
        throw new Error(`${file}: ${noPassphraseMessage("a secret must be stored encrypted in the state")}`);
      const made = newEncryptionSalt(passphrase);
      providers = { type: "passphrase", state: { salt: made.encryptionSalt } };
      key = made.key;
    }
    onDisk = { ...encryptState(state, key), version: 2, secretsProviders: providers };
  }
  // Serialize first: a value JSON cannot carry must fail before anything touches the disk.
  const text = JSON.stringify(orderedKeys(onDisk), null, 2) + "\n";
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
  return providers;
}

/** The state's top-level fields in a fixed order (version, project, stack, secretsProviders, ...). */
function orderedKeys(state: StackState): StackState {
  const { version, project, stack, secretsProviders, resources, outputs, pendingOperations } = state;
  return {
    version,
    project,
    stack,
    ...(secretsProviders ? { secretsProviders } : {}),
    resources,
    outputs,
    ...(pendingOperations && pendingOperations.length > 0 ? { pendingOperations } : {}),
  };
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
