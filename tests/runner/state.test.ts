import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SECRET_SIG, SPECIAL_SIG_KEY } from "../../protocol";
import { decryptValue, keyFromEncryptionSalt } from "../../runner/passphrase";
import { StateWriter } from "../../runner/state-writer";
import {
  emptyState,
  loadState,
  markSecrets,
  maskSecrets,
  saveState,
  secretKeysOf,
  type StackState,
} from "../../runner/state";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "runner-state-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const PASSPHRASE = "fake-passphrase-for-state-tests";
const env = { PULUMI_CONFIG_PASSPHRASE: PASSPHRASE };

const sample = (): StackState => ({
  ...emptyState("proj", "dev"),
  resources: [
    {
      urn: "urn:pulumi:dev::proj::pulumi-nodejs:dynamic/confluent:ApiKey::k",
      type: "pulumi-nodejs:dynamic/confluent:ApiKey",
      name: "k",
      id: "KEY1",
      inputs: { displayName: "k" },
      outputs: markSecrets({ displayName: "k", secret: "fake-secret-value" }, ["secret"]),
      provider: "exports.handler = () => ({});",
      dependencies: [],
      secretOutputs: ["secret"],
    },
  ],
  outputs: { keySecret: { [SPECIAL_SIG_KEY]: SECRET_SIG, value: "fake-secret-value" } },
});

describe("state file", () => {
  it("a missing file is an empty stack", () => {
    expect(loadState(path.join(dir, "none.json"), "proj", "dev")).toEqual({
      version: 2,
      project: "proj",
      stack: "dev",
      resources: [],
      outputs: {},
    });
  });

  it("round-trips, creates the folder, leaves no temp file and is readable only by its owner", () => {
    const file = path.join(dir, ".state", "dev.json");
    saveState(file, sample(), env);
    // The first secret stored makes the passphrase provider's salt, kept in the file.
    expect(loadState(file, "proj", "dev", env)).toEqual({
      ...sample(),
      secretsProviders: {
        type: "passphrase",
        state: { salt: expect.stringMatching(/^v1:[^:]+:v1:/) as string },
      },
    });
    expect(fs.readdirSync(path.dirname(file))).toEqual(["dev.json"]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it("stores each secret encrypted as a Pulumi deployment does, with the salt in secretsProviders", () => {
    const file = path.join(dir, "dev.json");
    saveState(file, sample(), env);
    const text = fs.readFileSync(file, "utf8");
    expect(text).not.toContain("fake-secret-value");
    const raw = JSON.parse(text) as {
      version: number;
      secretsProviders: { type: string; state: { salt: string } };
      resources: Array<{ outputs: Record<string, unknown> }>;
      outputs: Record<string, unknown>;
    };
    expect(raw.version).toBe(2);
    expect(raw.secretsProviders.type).toBe("passphrase");
    const secret = raw.resources[0]?.outputs.secret as Record<string, string>;
    expect(Object.keys(secret).sort()).toEqual(["4dabf18193072939515e22adb298388d", "ciphertext"]);
    expect(secret["4dabf18193072939515e22adb298388d"]).toBe("1b47061264138c4ac30d75fd1eb44270");
    // The ciphertext is the JSON text of the value, opened with the passphrase and the file's salt.
    const key = keyFromEncryptionSalt(PASSPHRASE, raw.secretsProviders.state.salt);
    expect(decryptValue(key, secret.ciphertext ?? "")).toBe('"fake-secret-value"');
    const out = raw.outputs.keySecret as Record<string, string>;
    expect(decryptValue(key, out.ciphertext ?? "")).toBe('"fake-secret-value"');
    // Values that are not secret stay readable.
    expect(raw.resources[0]?.outputs.displayName).toBe("k");
  });

  it("the next write keeps the salt: one passphrase, one salt per stack", () => {
    const file = path.join(dir, "dev.json");
    const first = saveState(file, sample(), env);
    const again = saveState(file, loadState(file, "proj", "dev", env), env);
    expect(again).toEqual(first);
  });

  it("a state with a secret is not written without a passphrase, and says how to set one", () => {
    const file = path.join(dir, "dev.json");
    expect(() => saveState(file, sample(), {})).toThrow(
      `${file}: a secret must be stored encrypted in the state and no passphrase is set; ` +
        "set PULUMI_CONFIG_PASSPHRASE to the passphrase, or PULUMI_CONFIG_PASSPHRASE_FILE to a file containing it",
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("a state without secrets needs no passphrase and names no secrets provider", () => {
    const file = path.join(dir, "dev.json");
    const plainState: StackState = { ...emptyState("proj", "dev"), outputs: { n: 1 } };
    expect(saveState(file, plainState, {})).toBeUndefined();
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual(plainState);
    expect(loadState(file, "proj", "dev", {})).toEqual(plainState);
  });

  it("reading encrypted secrets needs the passphrase: none, or a wrong one, is an error naming the file", () => {
    const file = path.join(dir, "dev.json");
    saveState(file, sample(), env);
    expect(() => loadState(file, "proj", "dev", {})).toThrow(
      `${file}: the state holds encrypted secrets and no passphrase is set; ` +
        "set PULUMI_CONFIG_PASSPHRASE to the passphrase, or PULUMI_CONFIG_PASSPHRASE_FILE to a file containing it",
    );
    expect(() =>
      loadState(file, "proj", "dev", { PULUMI_CONFIG_PASSPHRASE: "fake-wrong-passphrase" }),
    ).toThrow(
      `${file}: incorrect passphrase: it does not open the secrets of this state; set ` +
        "PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) to the passphrase its secrets were stored with",
    );
  });

  it("a state file of format 1 (secrets in plain text) is read, and rewritten encrypted at its next write", () => {
    const file = path.join(dir, "dev.json");
    // A file as the runner wrote it before secrets were encrypted.
    const old = { ...sample(), version: 1 };
    fs.writeFileSync(file, JSON.stringify(old, null, 2) + "\n");
    expect(loadState(file, "proj", "dev", {})).toEqual(sample());
    // Without a passphrase it cannot be written again: refused when it is opened for writing (before any
    // API call of the command), not at the first save.
    expect(() => new StateWriter(file, "proj", "dev", false, {})).toThrow(
      `${file}: the state holds secrets that must be stored encrypted and no passphrase is set; ` +
        "set PULUMI_CONFIG_PASSPHRASE to the passphrase, or PULUMI_CONFIG_PASSPHRASE_FILE to a file containing it",
    );
    expect(new StateWriter(file, "proj", "dev", true, {}).state).toEqual(sample());
    const writer = new StateWriter(file, "proj", "dev", false, env);
    writer.save();
    const text = fs.readFileSync(file, "utf8");
    expect(text).not.toContain("fake-secret-value");
    expect((JSON.parse(text) as { version: number }).version).toBe(2);
    expect(loadState(file, "proj", "dev", env)).toEqual({
      ...sample(),
      secretsProviders: writer.state.secretsProviders,
    });
  });

  it("a failed write leaves the previous state intact and no temp file", () => {
    const file = path.join(dir, "dev.json");
    saveState(file, sample(), env);
    const before = fs.readFileSync(file, "utf8");
    const bad = { ...sample(), outputs: { n: 1n } } as unknown as StackState; // JSON.stringify throws on BigInt
    expect(() => saveState(file, bad, env)).toThrow("Do not know how to serialize a BigInt");
    expect(fs.readFileSync(file, "utf8")).toBe(before);
    expect(fs.readdirSync(dir)).toEqual(["dev.json"]);
  });

  it("a rename onto a folder fails and removes its temp file", () => {
    const target = path.join(dir, "taken");
    fs.mkdirSync(path.join(target, "child"), { recursive: true });
    expect(() => saveState(target, sample(), env)).toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(fs.readdirSync(dir)).toEqual(["taken"]);
  });

  it("rejects a file that is not a state file, naming the bad field", () => {
    const file = path.join(dir, "dev.json");
    fs.writeFileSync(
      file,
      JSON.stringify({ version: 1, project: "p", stack: "dev", resources: [{ urn: 3 }], outputs: {} }),
    );
    expect(() => loadState(file, "p", "dev")).toThrow(
      `state file ${file} is not valid: resources.0.urn: Expected string, received number`,
    );
  });
});

describe("secret helpers", () => {
  it("markSecrets wraps listed keys once and ignores absent ones", () => {
    const once = markSecrets({ a: 1, b: "x" }, ["b", "missing"]);
    expect(once).toEqual({ a: 1, b: { [SPECIAL_SIG_KEY]: SECRET_SIG, value: "x" } });
    expect(markSecrets(once, ["b"])).toEqual(once);
    expect(secretKeysOf(once)).toEqual(["b"]);
  });

  it("maskSecrets shows [secret] at any depth", () => {
    expect(maskSecrets({ a: [{ b: markSecrets({ s: "v" }, ["s"]).s }], c: "plain" })).toEqual({
      a: [{ b: "[secret]" }],
      c: "plain",
    });
  });
});
