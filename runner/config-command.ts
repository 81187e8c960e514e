/**
 * `confluent-iam config set [--secret] KEY VALUE` and `config get KEY`: reads and writes
 * `Pulumi.<stack>.yaml` as `pulumi config` does with the passphrase secrets provider, so a file written by
 * one tool is read by the other.
 */
import * as fs from "fs";
import * as path from "path";
import { newEncryptionSalt, PASSPHRASE_HOW, readPassphrase, encryptValue, decryptValue } from "./passphrase";
import { qualifyKey, readProject, readStackFile, stackKey, yaml, type StackFile } from "./project";

const CONFIG_USAGE = `Usage: confluent-iam config set [--secret] KEY VALUE [--cwd DIR] [--stack NAME]
       confluent-iam config get KEY [--cwd DIR] [--stack NAME]

Reads and writes Pulumi.<stack>.yaml as \`pulumi config\` does. --secret encrypts the value with the
passphrase secrets provider (PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE); the first secret
adds the file's encryptionsalt. Unqualified keys get the project's namespace.
`;

interface ConfigArgs {
  sub: "set" | "get";
  secret: boolean;
  cwd: string;
  stack: string;
  positional: string[];
}

function parseConfigArgs(argv: readonly string[]): ConfigArgs | "help" {
  const out: ConfigArgs = { sub: "get", secret: false, cwd: process.cwd(), stack: "dev", positional: [] };
  const [sub, ...rest] = argv;
  if (sub === "--help" || sub === "-h") return "help";
  if (sub !== "set" && sub !== "get") {
    throw new Error(`expected config set or config get, got ${sub === undefined ? "nothing" : sub}`);
  }
  out.sub = sub;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? "";
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const v = rest[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === "--help" || flag === "-h") return "help";
    else if (flag === "--secret") out.secret = true;
    else if (flag === "--plaintext") out.secret = false;
    else if (flag === "--cwd") out.cwd = path.resolve(value());
    else if (flag === "--stack" || flag === "-s") out.stack = value();
    else if (arg.startsWith("--")) throw new Error(`unknown option ${arg}`);
    else out.positional.push(arg);
  }
  const want = out.sub === "set" ? 2 : 1;
  if (out.positional.length !== want) {
    throw new Error(
      out.sub === "set" ? "config set needs KEY and VALUE" : "config get needs KEY (and nothing else)",
    );
  }
  if (out.sub === "get" && out.secret) throw new Error("--secret is for config set");
  return out;
}

/** The raw key under which the file holds `key` (it may be written unqualified), or undefined. */
function rawKeyOf(stackFile: StackFile, key: string, project: string): string | undefined {
  return Object.keys(stackFile.config).find((k) => qualifyKey(k, project) === key);
}

function hasSecureValues(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasSecureValues);
  if (typeof v === "object" && v !== null) {
    if ("secure" in v && Object.keys(v).length === 1) return true;
    return Object.values(v).some(hasSecureValues);
  }
  return false;
}

/** Writes the stack file: the secrets provider's lines first, then the rest, config keys sorted. */
function writeStackFile(
  stackFile: StackFile,
  config: Record<string, unknown>,
  encryptionSalt?: string,
): void {
  const doc: Record<string, unknown> = {};
  for (const k of ["secretsprovider", "encryptedkey"])
    if (stackFile.document[k] !== undefined) doc[k] = stackFile.document[k];
  const salt = encryptionSalt ?? stackFile.encryptionSalt;
  if (salt !== undefined) doc.encryptionsalt = salt;
  for (const [k, v] of Object.entries(stackFile.document)) if (!(k in doc) && k !== "config") doc[k] = v;
  doc.config = Object.fromEntries(
    Object.keys(config)
      .sort()
      .map((k) => [k, config[k]]),
  );
  const tmp = `${stackFile.file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, yaml.dump(doc, { lineWidth: -1 }));
  fs.renameSync(tmp, stackFile.file);
}

function setValue(args: ConfigArgs): void {
  const [rawKey = "", value = ""] = args.positional;
  setConfigValue(args.cwd, args.stack, rawKey, value, args.secret);
}

/**
 * Sets one config value in `Pulumi.<stack>.yaml` of the project in `cwd`, as `config set [--secret]` does
 * (a secret is encrypted with the passphrase secrets provider; the first one adds the file's salt). Used by
 * `export --with-secrets` too.
 */
export function setConfigValue(
  cwd: string,
  stack: string,
  rawKey: string,
  value: string,
  secret: boolean,
): void {
  const project = readProject(cwd);
  const key = qualifyKey(rawKey, project.name);
  const stackFile = readStackFile(project, stack);
  const config = { ...stackFile.config };
  const existing = rawKeyOf(stackFile, key, project.name);
  if (existing !== undefined) delete config[existing];
  let newSalt: string | undefined;
  if (secret) {
    let cryptKey: Buffer;
    const passphraseStack =
      stackFile.secretsProvider === undefined || stackFile.secretsProvider === "passphrase";
    if (stackFile.encryptionSalt === undefined && passphraseStack && !hasSecureValues(stackFile.config)) {
      // A stack with no secrets yet: start the passphrase provider, as `pulumi config set --secret` does.
      const passphrase = readPassphrase();
      if (passphrase === undefined) {
        throw new Error(
          `${stackFile.file}: --secret needs a passphrase to encrypt ${key}; ${PASSPHRASE_HOW}`,
        );
      }
      const made = newEncryptionSalt(passphrase);
      newSalt = made.encryptionSalt;
      cryptKey = made.key;
    } else {
      cryptKey = stackKey(stackFile, key);
    }
    config[key] = { secure: encryptValue(cryptKey, value) };
  } else {
    config[key] = value;
  }
  writeStackFile(stackFile, config, newSalt);
}

function getValue(args: ConfigArgs): string {
  const project = readProject(args.cwd);
  const key = qualifyKey(args.positional[0] ?? "", project.name);
  const stackFile = readStackFile(project, args.stack);
  const raw = rawKeyOf(stackFile, key, project.name);
  if (raw === undefined) {
    throw new Error(`configuration key ${key} not found for stack ${args.stack} (${stackFile.file})`);
  }
  const v = stackFile.config[raw];
  if (typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 1) {
    const secure = (v as { secure?: unknown }).secure;
    if (typeof secure === "string") {
      const cryptKey = stackKey(stackFile, key);
      try {
        return decryptValue(cryptKey, secure);
      } catch (e) {
        throw new Error(`${stackFile.file}: ${key}: ${(e as Error).message}`);
      }
    }
  }
  if (hasSecureValues(v)) {
    throw new Error(
      `${stackFile.file}: ${key} is an object with encrypted parts; run the program to read it`,
    );
  }
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** `config …`; returns the exit code. */
export function configCommand(argv: readonly string[]): number {
  let args: ConfigArgs | "help";
  try {
    args = parseConfigArgs(argv);
  } catch (e) {
    process.stderr.write(`confluent-iam: config: ${(e as Error).message}\n${CONFIG_USAGE}`);
    return 2;
  }
  if (args === "help") {
    process.stdout.write(CONFIG_USAGE);
    return 0;
  }
  try {
    if (args.sub === "set") setValue(args);
    else process.stdout.write(getValue(args) + "\n");
    return 0;
  } catch (e) {
    process.stderr.write(`confluent-iam: config ${args.sub}: ${(e as Error).message}\n`);
    return 1;
  }
}
