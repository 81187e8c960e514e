/**
 * Pulumi's passphrase secrets provider, implemented from its documented method with node:crypto only (no
 * dependency, so the state encryption can reuse it):
 *
 * - key: PBKDF2 with HMAC-SHA-256 over the passphrase and the stack's salt, 1,000,000 iterations, 32 bytes;
 * - a value: AES-256-GCM with a random 12-byte nonce and no additional data, written
 *   `v1:<base64 nonce>:<base64 ciphertext followed by the 16-byte tag>`;
 * - the stack's `encryptionsalt`: `v1:<base64 of 8 random salt bytes>:<the value "pulumi" encrypted with the
 *   key>`, so a wrong passphrase is detected before any value is decrypted.
 *
 * The passphrase comes from `PULUMI_CONFIG_PASSPHRASE`, else from the file named by
 * `PULUMI_CONFIG_PASSPHRASE_FILE` (trimmed), as with the Pulumi CLI.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

/** PBKDF2 iterations of Pulumi's passphrase provider. */
const PBKDF2_ITERATIONS = 1_000_000;
/** AES-256 key length in bytes. */
const KEY_BYTES = 32;
/** Salt length Pulumi generates. */
const SALT_BYTES = 8;
/** AES-GCM nonce length. */
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** The plaintext that `encryptionsalt` carries encrypted, to check the passphrase. */
const CHECK_VALUE = "pulumi";

/** The passphrase does not open the stack's `encryptionsalt`. */
export class IncorrectPassphraseError extends Error {
  constructor() {
    super("incorrect passphrase");
    this.name = "IncorrectPassphraseError";
  }
}

// Deriving a key takes about a second; a process that reads the same stack twice derives it once.
const keyCache = new Map<string, Buffer>();

/** PBKDF2-SHA-256(passphrase, salt, 1,000,000 iterations) → 32-byte key. */
export function deriveKey(passphrase: string, salt: Buffer): Buffer {
  const cacheKey = crypto
    .createHash("sha256")
    .update(salt.toString("base64"))
    .update("\0")
    .update(passphrase)
    .digest("hex");
  const cached = keyCache.get(cacheKey);
  if (cached) return cached;
  const key = crypto.pbkdf2Sync(
    Buffer.from(passphrase, "utf8"),
    salt,
    PBKDF2_ITERATIONS,
    KEY_BYTES,
    "sha256",
  );
  keyCache.set(cacheKey, key);
  return key;
}

/** Encrypts one value as `v1:<nonce>:<ciphertext+tag>` (the nonce is random unless given, for test vectors). */
export function encryptValue(key: Buffer, plaintext: string, nonce?: Buffer): string {
  const iv = nonce ?? crypto.randomBytes(NONCE_BYTES);
  if (iv.length !== NONCE_BYTES) throw new Error(`the nonce must be ${NONCE_BYTES} bytes`);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `v1:${iv.toString("base64")}:${sealed.toString("base64")}`;
}

/** Decrypts a `v1:<nonce>:<ciphertext+tag>` value; throws when it is malformed or the key does not fit. */
export function decryptValue(key: Buffer, value: string): string {
  const parts = value.split(":");
  if (parts.length !== 3 || parts[0] !== "v1") {
    throw new Error("not a v1:<nonce>:<ciphertext> value");
  }
  const iv = Buffer.from(parts[1] ?? "", "base64");
  const sealed = Buffer.from(parts[2] ?? "", "base64");
  if (iv.length !== NONCE_BYTES || sealed.length < TAG_BYTES) {
    throw new Error("not a v1:<nonce>:<ciphertext> value");
  }
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, iv);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]).toString("utf8");
  } catch {
    throw new Error("the value does not decrypt with this key");
  }
}

/** Makes a new `encryptionsalt` for a passphrase, with its key. */
export function newEncryptionSalt(
  passphrase: string,
  salt?: Buffer,
): { encryptionSalt: string; key: Buffer } {
  const s = salt ?? crypto.randomBytes(SALT_BYTES);
  const key = deriveKey(passphrase, s);
  return { encryptionSalt: `v1:${s.toString("base64")}:${encryptValue(key, CHECK_VALUE)}`, key };
}

/**
 * The key of a stack: derived from the passphrase and the `encryptionsalt`'s salt, and checked against its
 * encrypted "pulumi". Throws {@link IncorrectPassphraseError} when the check fails, or an Error when the
 * `encryptionsalt` is malformed.
 */
export function keyFromEncryptionSalt(passphrase: string, encryptionSalt: string): Buffer {
  const first = encryptionSalt.indexOf(":");
  const second = encryptionSalt.indexOf(":", first + 1);
  if (first < 0 || second < 0) throw new Error("encryptionsalt is not v1:<salt>:<check value>");
  if (encryptionSalt.slice(0, first) !== "v1") {
    throw new Error(`encryptionsalt has the unknown version ${encryptionSalt.slice(0, first)} (expected v1)`);
  }
  const salt = Buffer.from(encryptionSalt.slice(first + 1, second), "base64");
  if (salt.length === 0) throw new Error("encryptionsalt is not v1:<salt>:<check value>");
  const key = deriveKey(passphrase, salt);
  let check: string;
  try {
    check = decryptValue(key, encryptionSalt.slice(second + 1));
  } catch {
    throw new IncorrectPassphraseError();
  }
  if (check !== CHECK_VALUE) throw new IncorrectPassphraseError();
  return key;
}

/** How to set a passphrase (the end of every message about a missing or wrong one). */
export const PASSPHRASE_HOW =
  "set PULUMI_CONFIG_PASSPHRASE to the passphrase, or PULUMI_CONFIG_PASSPHRASE_FILE to a file containing it";

/**
 * The passphrase from the environment: `PULUMI_CONFIG_PASSPHRASE` when set (even empty, as with the
 * Pulumi CLI), else the trimmed contents of `PULUMI_CONFIG_PASSPHRASE_FILE`; undefined when neither is set.
 */
export function readPassphrase(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const direct = env.PULUMI_CONFIG_PASSPHRASE;
  if (direct !== undefined) return direct;
  const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
  if (file === undefined || file === "") return undefined;
  const abs = path.resolve(file);
  try {
    return fs.readFileSync(abs, "utf8").trim();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "error";
    throw new Error(`PULUMI_CONFIG_PASSPHRASE_FILE ${abs} cannot be read (${code})`);
  }
}
