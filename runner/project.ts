/**
 * Reads a Pulumi project the way the CLI does, as far as the runner needs: `Pulumi.yaml` (name, runtime,
 * main) and the stack's config from `Pulumi.<stack>.yaml`, plus `--config key=value` overrides.
 */
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import { z } from "zod";
import {
  decryptValue,
  IncorrectPassphraseError,
  keyFromEncryptionSalt,
  PASSPHRASE_HOW,
  readPassphrase,
} from "./passphrase";

// js-yaml comes with @pulumi/pulumi (no dependency of our own); take it from there.
export const yaml = createRequire(require.resolve("@pulumi/pulumi/package.json"))("js-yaml") as {
  load(text: string): unknown;
  dump(value: unknown, options?: { lineWidth?: number; sortKeys?: boolean }): string;
};

/** What the runner takes from Pulumi.yaml. */
export interface ProjectInfo {
  /** Project name (qualifies unqualified config keys). */
  name: string;
  /** The folder holding Pulumi.yaml. */
  dir: string;
  /** Absolute path of the program to require (Pulumi.yaml `main`, else the folder). */
  main: string;
}

const projectSchema = z.object({
  name: z.string().min(1),
  runtime: z.union([z.string(), z.object({ name: z.string() }).passthrough()]),
  main: z.string().optional(),
});

const stackFileSchema = z
  .object({
    config: z.record(z.unknown()).nullish(),
  })
  .passthrough()
  .nullish();

function readYaml(file: string): unknown {
  return yaml.load(fs.readFileSync(file, "utf8"));
}

/** Reads `<dir>/Pulumi.yaml`. */
export function readProject(dir: string): ProjectInfo {
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
  if (!file) throw new Error(`no Pulumi.yaml in ${dir}`);
  const parsed = projectSchema.safeParse(readYaml(file));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
  }
  const runtime = typeof parsed.data.runtime === "string" ? parsed.data.runtime : parsed.data.runtime.name;
  if (runtime !== "nodejs") throw new Error(`${file}: runtime ${runtime} is not supported (only nodejs)`);
  return { name: parsed.data.name, dir, main: path.resolve(dir, parsed.data.main ?? ".") };
}

/** Qualifies a config key with the project name unless it already has a namespace. */
export function qualifyKey(key: string, project: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/** Stack config: plain string values keyed `namespace:key`, and which keys are secret. */
export interface StackConfig {
  /** Values (objects and arrays JSON-encoded, as the CLI passes them to programs). */
  values: Record<string, string>;
  /** Keys whose values are secrets. */
  secretKeys: string[];
}

/** Config keys that carry credentials, so they are treated as secrets. */
const secretConfigKeys = new Set([
  "confluentcloud:cloudApiSecret",
  "confluentcloud:cloudApiKey",
  "confluentcloud:oauthExternalClientSecret",
  "confluentcloud:oauthExternalAccessToken",
]);

/** What a `Pulumi.<stack>.yaml` holds that the runner uses. */
export interface StackFile {
  /** Its path. */
  file: string;
  /** Whether it exists. */
  exists: boolean;
  /** `encryptionsalt:` (the passphrase provider's state). */
  encryptionSalt: string | undefined;
  /** `secretsprovider:` (absent for the passphrase provider and for Pulumi Cloud's default). */
  secretsProvider: string | undefined;
  /** The `config:` map as written (keys as in the file). */
  config: Record<string, unknown>;
  /** The whole document, to write back with other top-level keys kept. */
  document: Record<string, unknown>;
}

/** Reads `Pulumi.<stack>.yaml` (an absent file is an empty stack). */
export function readStackFile(project: ProjectInfo, stack: string): StackFile {
  const file = path.join(project.dir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) {
    return {
      file,
      exists: false,
      encryptionSalt: undefined,
      secretsProvider: undefined,
      config: {},
      document: {},
    };
  }
  const parsed = stackFileSchema.safeParse(readYaml(file));
  if (!parsed.success) throw new Error(`${file}: not a stack settings file`);
  const document = (parsed.data ?? {}) as Record<string, unknown>;
  const str = (k: string): string | undefined => {
    const v = document[k];
    return typeof v === "string" && v !== "" ? v : undefined;
  };
  return {
    file,
    exists: true,
    encryptionSalt: str("encryptionsalt"),
    secretsProvider: str("secretsprovider"),
    config: parsed.data?.config ?? {},
    document,
  };
}

/** The secure value of a config entry (`{ secure: "v1:…" }`), if it is one. */
function secureOf(v: unknown): string | undefined {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
  const keys = Object.keys(v);
  const secure = (v as { secure?: unknown }).secure;
  return keys.length === 1 && typeof secure === "string" ? secure : undefined;
}

/** Whether a config value holds a `secure:` value anywhere (objects may nest them). */
function hasSecure(v: unknown): boolean {
  if (secureOf(v) !== undefined) return true;
  if (Array.isArray(v)) return v.some(hasSecure);
  if (typeof v === "object" && v !== null) return Object.values(v).some(hasSecure);
  return false;
}

const SUPPORTED_PROVIDER =
  "this runner supports only the passphrase provider (an encryptionsalt: line); switch with " +
  "`pulumi stack change-secrets-provider passphrase`, or pass the values with --config or the environment";

/**
 * The key that opens the stack file's `secure:` values, for the config key `key` that needs it: checks
 * the secrets provider, that a passphrase is set, and that it is the stack's. Every error names the file.
 */
export function stackKey(stackFile: StackFile, key: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  const { file, secretsProvider, encryptionSalt } = stackFile;
  if (secretsProvider !== undefined && secretsProvider !== "passphrase") {
    throw new Error(
      `${file}: ${key} is encrypted by the secrets provider ${secretsProvider}, which this runner cannot use; ` +
        SUPPORTED_PROVIDER,
    );
  }
  if (encryptionSalt === undefined) {
    throw new Error(
      `${file}: ${key} is encrypted, but the file has no encryptionsalt: its secrets provider is Pulumi Cloud ` +
        `(the default), which this runner cannot use; ` +
        SUPPORTED_PROVIDER,
    );
  }
  const passphrase = readPassphrase(env);
  if (passphrase === undefined) {
    throw new Error(`${file}: ${key} is encrypted and no passphrase is set; ${PASSPHRASE_HOW}`);
  }
  try {
    return keyFromEncryptionSalt(passphrase, encryptionSalt);
  } catch (e) {
    if (e instanceof IncorrectPassphraseError) {
      throw new Error(
        `${file}: incorrect passphrase: it does not open this stack file's encryptionsalt; ` +
          `set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) to the passphrase this stack was created with`,
      );
    }
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}

/** Replaces every `secure:` value inside `v` with its plaintext. */
function decryptTree(v: unknown, key: Buffer, file: string, configKey: string): unknown {
  const secure = secureOf(v);
  if (secure !== undefined) {
    try {
      return decryptValue(key, secure);
    } catch (e) {
      throw new Error(
        `${file}: ${configKey}: ${(e as Error).message} (the passphrase is this stack's; was the value copied ` +
          `from another stack file?)`,
      );
    }
  }
  if (Array.isArray(v)) return v.map((x) => decryptTree(x, key, file, configKey));
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decryptTree(x, key, file, configKey)]));
  }
  return v;
}

/**
 * Reads `Pulumi.<stack>.yaml`'s `config:` map and applies `--config key=value` overrides. Encrypted
 * (`secure:`) values are decrypted as Pulumi's passphrase secrets provider does (the file's
 * `encryptionsalt`, the passphrase from `PULUMI_CONFIG_PASSPHRASE` / `PULUMI_CONFIG_PASSPHRASE_FILE`) and are
 * secrets. A key given with `--config` is not decrypted (the override wins).
 */
export function readStackConfig(
  project: ProjectInfo,
  stack: string,
  overrides: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): StackConfig {
  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  const overridden = new Map<string, string>();
  for (const o of overrides) {
    const eq = o.indexOf("=");
    if (eq <= 0) throw new Error(`--config expects key=value, got ${JSON.stringify(o)}`);
    overridden.set(qualifyKey(o.slice(0, eq), project.name), o.slice(eq + 1));
  }
  const stackFile = readStackFile(project, stack);
  let key: Buffer | undefined;
  for (const [rawKey, raw] of Object.entries(stackFile.config)) {
    const k = qualifyKey(rawKey, project.name);
    let v = raw;
    if (hasSecure(raw)) {
      secretKeys.add(k);
      if (overridden.has(k)) continue;
      key ??= stackKey(stackFile, k, env);
      v = decryptTree(raw, key, stackFile.file, k);
    }
    values[k] = typeof v === "string" ? v : JSON.stringify(v);
  }
  for (const [k, v] of overridden) values[k] = v;
  for (const k of Object.keys(values)) if (secretConfigKeys.has(k)) secretKeys.add(k);
  return { values, secretKeys: [...secretKeys].sort() };
}
