import {
  decryptValue,
  deriveKey,
  encryptValue,
  IncorrectPassphraseError,
  keyFromEncryptionSalt,
  newEncryptionSalt,
  readPassphrase,
} from "../../runner/passphrase";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// Vectors made by following Pulumi's passphrase secrets provider (pkg/secrets/passphrase,
// sdk/go/common/resource/config/crypt.go): PBKDF2-HMAC-SHA-256, 1,000,000 iterations, 32-byte key;
// AES-256-GCM with a 12-byte nonce, written v1:<base64 nonce>:<base64 ciphertext+tag>. The key and the
// ciphertexts were checked with Python's hashlib.pbkdf2_hmac and cryptography's AESGCM.
const passphrase = "fake-passphrase-for-tests";
const salt = Buffer.from("0001020304050607", "hex");
const keyHex = "a3ba11c39ff7750c205cd268c74b127e0caa41c1e1f6acaf4c5de34900a2aa3b";
const encryptionSalt = "v1:AAECAwQFBgc=:v1:AAAAAAAAAAAAAAAB:qdyZCBKl7uREjD++XkL6NhO9ZCwteg==";
const secretValue = "v1:CgsMDQ4PEBESExQV:9ioqdIOjK65MXFcXK+Cxne6i+5ZiEp+9EpU4G4PZMii4";

describe("Pulumi's passphrase secrets provider", () => {
  it("derives the key from passphrase and salt (PBKDF2-SHA-256, 1,000,000 iterations, 32 bytes)", () => {
    expect(deriveKey(passphrase, salt).toString("hex")).toBe(keyHex);
  });

  it("encrypts with a given nonce to the known value, and decrypts it", () => {
    const key = Buffer.from(keyHex, "hex");
    expect(encryptValue(key, "pulumi", Buffer.from("000000000000000000000001", "hex"))).toBe(
      "v1:AAAAAAAAAAAAAAAB:qdyZCBKl7uREjD++XkL6NhO9ZCwteg==",
    );
    expect(encryptValue(key, "fake-cloud-secret", Buffer.from("0a0b0c0d0e0f101112131415", "hex"))).toBe(
      secretValue,
    );
    expect(decryptValue(key, secretValue)).toBe("fake-cloud-secret");
  });

  it("opens an encryptionsalt with the right passphrase, and says incorrect passphrase otherwise", () => {
    expect(keyFromEncryptionSalt(passphrase, encryptionSalt).toString("hex")).toBe(keyHex);
    expect(() => keyFromEncryptionSalt("not-the-passphrase", encryptionSalt)).toThrow(
      IncorrectPassphraseError,
    );
    expect(() => keyFromEncryptionSalt("not-the-passphrase", encryptionSalt)).toThrow("incorrect passphrase");
  });

  it("opens the encryptionsalt of Pulumi's own passphrase-manager test (passphrase 'password')", () => {
    // The state string of pulumi/pulumi pkg/secrets/passphrase/manager_test.go, made by the Pulumi CLI.
    const pulumiState = "v1:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==";
    expect(keyFromEncryptionSalt("password", pulumiState)).toHaveLength(32);
    expect(() => keyFromEncryptionSalt("password123", pulumiState)).toThrow("incorrect passphrase");
  });

  it("round-trips a new encryptionsalt and values (random salt and nonces)", () => {
    const made = newEncryptionSalt("another-fake-passphrase");
    expect(made.encryptionSalt).toMatch(/^v1:[A-Za-z0-9+/]{11}=:v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/=]+$/);
    const key = keyFromEncryptionSalt("another-fake-passphrase", made.encryptionSalt);
    expect(key.equals(made.key)).toBe(true);
    const a = encryptValue(key, "same text");
    const b = encryptValue(key, "same text");
    expect(a).not.toBe(b);
    expect(decryptValue(key, a)).toBe("same text");
    expect(decryptValue(key, b)).toBe("same text");
  });

  it("rejects malformed values and a value under another key", () => {
    const key = Buffer.from(keyHex, "hex");
    expect(() => decryptValue(key, "v2:AAAA:BBBB")).toThrow("not a v1:<nonce>:<ciphertext> value");
    expect(() => decryptValue(Buffer.alloc(32), secretValue)).toThrow(
      "the value does not decrypt with this key",
    );
    expect(() => keyFromEncryptionSalt(passphrase, "v2:AAECAwQFBgc=:x")).toThrow(
      "encryptionsalt has the unknown version v2 (expected v1)",
    );
  });

  it("reads the passphrase from PULUMI_CONFIG_PASSPHRASE, else PULUMI_CONFIG_PASSPHRASE_FILE (trimmed)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "passphrase-"));
    const file = path.join(dir, "phrase");
    fs.writeFileSync(file, "from-the-file\n");
    expect(readPassphrase({ PULUMI_CONFIG_PASSPHRASE: "direct", PULUMI_CONFIG_PASSPHRASE_FILE: file })).toBe(
      "direct",
    );
    expect(readPassphrase({ PULUMI_CONFIG_PASSPHRASE_FILE: file })).toBe("from-the-file");
    expect(readPassphrase({})).toBeUndefined();
    const missing = path.join(dir, "absent");
    expect(() => readPassphrase({ PULUMI_CONFIG_PASSPHRASE_FILE: missing })).toThrow(
      `PULUMI_CONFIG_PASSPHRASE_FILE ${missing} cannot be read (ENOENT)`,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
