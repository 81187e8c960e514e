/**
 * `confluent-iam export --out DIR`: reads an organization through the API and writes a Pulumi program that
 * adopts every object (`{ import }`), with a README saying what was exported, what was left out and why.
 * Nothing is written until everything has been read: a failure leaves no partial folder.
 */
import * as fs from "fs";
import * as path from "path";
import { flagArgs, readSharedFlag } from "../args";
import { z } from "zod";
import { ConfluentClient, packageVersion } from "../../provider/client";
import { clientAuth, clientOptions, resolveCredentials, type Credentials } from "../../provider/runtime";
import { readProject, readStackConfig } from "../project";
import { EXPORT_KINDS, KINDS, type ExportKind, type ReadObject } from "./kinds";
import { readOrganization, type Organization } from "./read";
import { renderProgram, type NeededFile } from "./render";
import { safeText } from "./text";
import { setConfigValue } from "../config-command";
import { PASSPHRASE_HOW, readPassphrase } from "../passphrase";
import { yaml } from "../project";

export { EXPORT_KINDS, type ExportKind } from "./kinds";
export { ListPermissionError } from "./read";

/** Options of {@link exportOrganization}. */
export interface ExportOptions {
  /** Folder to write; it must not exist or be empty. */
  out: string;
  /** Only these environments' scopes (all when empty). */
  environments?: readonly string[];
  /** Kinds to export. @default every kind */
  include?: readonly ExportKind[];
  /** Kinds to leave out. */
  exclude?: readonly ExportKind[];
  /** A runner state file: objects it already manages are left out. */
  statePath?: string;
  /** Write `{ import }` options. @default true */
  withImport?: boolean;
  /** Credentials and endpoint. @default stack config / environment, as the provider reads them */
  credentials?: Credentials;
  /** Pulumi project name. @default the out folder's name */
  project?: string;
  /**
   * A JSON file of API key id → secret: each exported key's secret is written into the stack's encrypted
   * config (`secure:`, passphrase provider) and passed by the program as the key's `secret` input.
   */
  withSecrets?: string;
  /** The stack whose config file (`Pulumi.<stack>.yaml`) gets the secrets. @default dev */
  stack?: string;
}

/** What was written. */
export interface ExportResult {
  dir: string;
  files: string[];
  /** Objects in the program, by kind. */
  counts: Partial<Record<ExportKind, number>>;
  /** Objects read but left out, with the reason. */
  leftOut: { kind: ExportKind; id: string; reason: string }[];
  /** Objects the program could not declare (their class's input check refuses them), among `leftOut`. */
  unfit: { kind: ExportKind; id: string; reason: string }[];
  /** Files the program reads that export could not write (certificate chains). */
  needed: NeededFile[];
  /** API keys whose secret was written into the stack config, and the config key of each. */
  secrets: { id: string; configKey: string }[];
  /** Ids in the --with-secrets file that no exported API key has (their secrets were not written). */
  unusedSecrets: string[];
  organizationId: string;
}

/** The config key of an API key's secret in the exported stack. */
export const secretConfigKey = (keyId: string): string => `apiKeySecret-${keyId}`;

/** Reads and checks a --with-secrets file; the messages never quote a secret. */
export function readSecretsFile(file: string): Map<string, string> {
  const example = 'write a JSON object of API key id → secret, e.g. {"ABCDEFGH12345678": "<its secret>"}';
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(
      `--with-secrets ${file}: ${code === "ENOENT" ? "no such file" : `cannot be read (${code ?? "error"})`}`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // The parser's message quotes the text around the error: it may hold a secret.
    throw new Error(`--with-secrets ${file}: not valid JSON; ${example}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new Error(`--with-secrets ${file}: not a JSON object; ${example}`);
  const out = new Map<string, string>();
  for (const [id, secret] of Object.entries(raw)) {
    if (!/^[A-Za-z0-9]+$/.test(id))
      throw new Error(
        `--with-secrets ${file}: ${JSON.stringify(safeText(id))} is not an API key id (letters and digits); ${example}`,
      );
    if (typeof secret !== "string" || secret === "")
      throw new Error(`--with-secrets ${file}: the secret of ${id} must be a non-empty string; ${example}`);
    out.set(id, secret);
  }
  return out;
}

const stateSchema = z.object({
  resources: z.array(
    z
      .object({
        type: z.string(),
        id: z.string(),
        outputs: z.record(z.unknown()).optional(),
      })
      .passthrough(),
  ),
});

/** `<kind>/<id>` of every object a runner state file manages (by id and by the id it was adopted from). */
function managedIn(statePath: string): Set<string> {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(statePath, "utf8"));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new Error(
      err.code === "ENOENT"
        ? `--state ${statePath}: no such file`
        : `--state ${statePath}: not a state file (${err.message})`,
    );
  }
  const parsed = stateSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(`--state ${statePath}: not a confluent-iam state file (no resources list)`);
  const out = new Set<string>();
  for (const r of parsed.data.resources) {
    const kind = r.type.slice(r.type.lastIndexOf(":") + 1);
    out.add(`${kind}/${r.id}`);
    const imported = r.outputs?.importId;
    if (typeof imported === "string") out.add(`${kind}/${imported.slice(imported.lastIndexOf("/") + 1)}`);
  }
  return out;
}

/** Throws unless `dir` is absent or an empty folder. */
function checkOut(dir: string): void {
  const st = fs.statSync(dir, { throwIfNoEntry: false });
  if (st === undefined) return;
  if (!st.isDirectory()) throw new Error(`--out ${dir} is a file: choose a new or empty folder`);
  if (fs.readdirSync(dir).length > 0)
    throw new Error(
      `--out ${dir} is not empty: choose a new or empty folder (export never overwrites files)`,
    );
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

function readme(
  org: Organization,
  result: Omit<ExportResult, "dir" | "files">,
  kinds: readonly ExportKind[],
  withImport: boolean,
  stack: string,
): string {
  const exported = KINDS.filter((k) => (result.counts[k.kind] ?? 0) > 0).map(
    (k) => `| ${k.kind} | ${result.counts[k.kind] ?? 0} |`,
  );
  const keys = (result.counts.ApiKey ?? 0) - result.secrets.length;
  const accepted = result.leftOut.filter((l) => l.kind === "Invitation");
  const inState = result.leftOut.filter((l) => l.reason === "managed by the stack in --state");
  const excluded = EXPORT_KINDS.filter((k) => !kinds.includes(k));
  const scopes = org.scopes.map((s) => `${s.level} ${s.id}`).join(", ");
  const lines = [
    `# Organization ${org.id}`,
    "",
    "Written by `confluent-iam export`" +
      (org.environments.length > 0
        ? ` from the organization and ${plural(org.environments.length, "environment", "environments")} (${org.environments.map((e) => `${e.id} "${safeText(e.displayName)}"`).join(", ")}).`
        : "."),
    "",
    "## What was exported",
    "",
    "| class | objects |",
    "|---|---|",
    ...(exported.length > 0 ? exported : ["| (none) | 0 |"]),
    "",
    `Role bindings were read from ${plural(org.scopes.length, "scope", "scopes")}: ${scopes}.`,
    "References between objects are written as references (an API key's owner, a role binding's principal,",
    "an IP filter's IP groups, an identity pool's identity provider, a certificate pool's authority, an",
    "integration authorization's setup), and CRNs are built from the organization",
    "that `getOrganizationOutput()` reads with the stack's credentials and the environment constants at the top",
    "of `index.ts`: the program pastes no organization id.",
    "",
    "## What was left out, and why",
    "",
    `- **API-key secrets.** The API shows a key's secret only once, when the key is made. The ${plural(keys, "API key", "API keys")}`,
    `  here${result.secrets.length > 0 ? " not in --with-secrets" : ""} are adopted without it: their \`secret\` output is \`""\` (still a Pulumi secret) and no readiness wait`,
    "  runs. Keep using the secrets where they are stored today, or replace a key to get a secret this stack knows.",
    ...(result.secrets.length > 0
      ? [
          `  ${plural(result.secrets.length, "API key gets its", "API keys get their")} secret from the stack config (\`Pulumi.${stack}.yaml\`,`,
          "  encrypted `secure:` values of the passphrase secrets provider, written from --with-secrets): the program",
          '  passes `config.requireSecret("<key>")` as the key\'s `secret` input, and `up` checks it with one',
          `  authenticated call. Config keys: ${result.secrets.map((x) => `\`${x.configKey}\``).join(", ")}.`,
        ]
      : []),
    ...(result.unusedSecrets.length > 0
      ? [
          `  --with-secrets named ${plural(result.unusedSecrets.length, "key", "keys")} this export does not hold (${result.unusedSecrets.join(", ")}): their secrets were not written.`,
        ]
      : []),
    ...result.needed.map(
      (f) =>
        `- **\`${f.file}\`** (${f.kind} ${f.id}): the program reads it. Put there the PEM certificate chain of ${safeText(f.what)}` +
        ` before \`up\`; \`up\` compares it with the fingerprints, so a wrong file shows as a change to \`certificateChain\`.`,
    ),
    ...org.objects
      .filter((o) => o.kind === "CertificateAuthority" && o.unreadable?.crlChain && !o.unfit && !o.skip)
      .map((o) => `- **CRL of ${o.kind} ${o.id}**: ${safeText(o.unreadable?.crlChain ?? "")}.`),
    ...(result.unfit.length > 0
      ? [
          `- **Objects the program could not declare** (${plural(result.unfit.length, "object", "objects")}): the API holds values its`,
          "  class's input check refuses, so a program declaring them would fail at preview. Everything written here",
          "  passes that check.",
          ...result.unfit.map((u) => `  - ${u.kind} ${u.id}: ${u.reason}.`),
        ]
      : []),
    "- **Users** cannot be created, only adopted: each `User` here adopts a person who joined by invitation, and",
    "  only the full name is managed. Deleting a `User` from the program removes that person from the organization.",
    `- **Invitations.** Pending invitations are exported as \`Invitation\`; ${plural(accepted.length, "invitation", "invitations")} that are no longer pending (accepted: the person is a \`User\` now) were left out${accepted.length > 0 ? ` (${accepted.map((a) => a.id).join(", ")})` : ""}.`,
    "- **Azure Marketplace API keys** are read through Azure Resource Manager, not the Cloud API; the Cloud API",
    "  lists them as API keys, so they appear here as `ApiKey`.",
  ];
  if (excluded.length > 0)
    lines.push(`- **Kinds not asked for** (--include/--exclude): ${excluded.join(", ")}.`);
  if (inState.length > 0)
    lines.push(
      `- **Objects the stack already manages** (--state): ${plural(inState.length, "object", "objects")}.`,
    );
  lines.push(
    "",
    "## Next steps",
    "",
    "1. `npm install`, then review `index.ts`. Names come from display names: rename variables freely, but a",
    "   resource's first argument is its name in the stack; changing it after `up` deletes and re-creates the",
    '   object unless you add `aliases: [{ name: "<old name>" }]` to its options.',
    withImport
      ? '2. `pulumi up` (or `npx confluent-iam up`): every resource carries `{ import: "<id>" }`, so up adopts each\n   object with one read and makes no API writes (a PATCH only where you changed a field).'
      : "2. This program was written without `import` options: run it against the stack that adopted these objects.",
    "3. Remove the `import` options (or export again with `--no-import`). The next `preview` plans no changes.",
    "",
  );
  return lines.join("\n");
}

/** Reads the organization and writes the program folder. */
export async function exportOrganization(opts: ExportOptions): Promise<ExportResult> {
  const out = path.resolve(opts.out);
  checkOut(out);
  const exclude = new Set(opts.exclude ?? []);
  const kinds = (opts.include && opts.include.length > 0 ? opts.include : EXPORT_KINDS).filter(
    (k) => !exclude.has(k),
  );
  const managed = opts.statePath ? managedIn(opts.statePath) : new Set<string>();
  const stack = opts.stack ?? "dev";
  // The secrets file and the passphrase are checked before any call: a mistake costs no read.
  const given = opts.withSecrets ? readSecretsFile(opts.withSecrets) : new Map<string, string>();
  if (given.size > 0 && readPassphrase() === undefined)
    throw new Error(
      `--with-secrets writes the secrets encrypted into Pulumi.${stack}.yaml, which needs a passphrase; ${PASSPHRASE_HOW}`,
    );
  const creds = opts.credentials ?? resolveCredentials();
  const client = new ConfluentClient({
    endpoint: creds.endpoint,
    auth: clientAuth(creds),
    userAgent: "pulumi-confluent-iam export",
    ...clientOptions(),
  });
  let org: Organization;
  try {
    org = await readOrganization(client, { kinds, environments: opts.environments ?? [] });
  } finally {
    await client.close();
  }
  const leftOut: ExportResult["leftOut"] = [];
  const unfit: ExportResult["unfit"] = [];
  const objects: ReadObject[] = [];
  for (const o of org.objects) {
    if (o.skip) leftOut.push({ kind: o.kind, id: o.id, reason: o.skip });
    else if (managed.has(`${o.kind}/${o.id}`))
      leftOut.push({ kind: o.kind, id: o.id, reason: "managed by the stack in --state" });
    else if (o.unfit) {
      leftOut.push({ kind: o.kind, id: o.id, reason: o.unfit });
      unfit.push({ kind: o.kind, id: o.id, reason: o.unfit });
    } else objects.push(o);
  }
  // A reference to an object left out would name nothing: the objects that refer to it stay, with its id.
  const counts: ExportResult["counts"] = {};
  for (const o of objects) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
  const keyIds = new Set(objects.filter((o) => o.kind === "ApiKey").map((o) => o.id));
  const secrets = [...given.keys()]
    .filter((id) => keyIds.has(id))
    .sort()
    .map((id) => ({ id, configKey: secretConfigKey(id) }));
  const unusedSecrets = [...given.keys()].filter((id) => !keyIds.has(id)).sort();
  const withImport = opts.withImport ?? true;
  const program = renderProgram({
    organizationId: org.id,
    amongSeveral: org.organizationCount > 1,
    environments: org.environments,
    objects,
    withImport,
    secrets: new Map(secrets.map((x) => [x.id, x.configKey])),
  });
  const project = (opts.project ?? path.basename(out)).replace(/[^A-Za-z0-9_.-]+/g, "-") || "confluent-iam";
  const summary = {
    counts,
    leftOut,
    unfit,
    needed: program.files,
    secrets,
    unusedSecrets,
    organizationId: org.id,
  };
  const files: Record<string, string> = {
    "index.ts": program.text,
    // A YAML writer, not a template: the organization id comes from the API.
    "Pulumi.yaml": yaml.dump(
      {
        name: project,
        runtime: "nodejs",
        description: `IAM of Confluent Cloud organization ${org.id}, exported by confluent-iam export.`,
        main: "index.ts",
      },
      { lineWidth: -1 },
    ),
    "package.json":
      JSON.stringify(
        {
          name: project.toLowerCase(),
          private: true,
          main: "index.ts",
          dependencies: {
            "@pulumi/pulumi": "^3.204.0",
            "pulumi-confluent-iam": `^${packageVersion()}`,
          },
        },
        null,
        2,
      ) + "\n",
    "README.md": readme(org, summary, kinds, withImport, stack),
  };
  writeFolder(out, files, (dir) => {
    // As `confluent-iam config set --secret` writes them (and `pulumi config set --secret` reads them).
    for (const x of secrets) setConfigValue(dir, stack, x.configKey, given.get(x.id) ?? "", true);
  });
  const written = [...Object.keys(files), ...(secrets.length > 0 ? [`Pulumi.${stack}.yaml`] : [])];
  return { dir: out, files: written, ...summary };
}

/** Writes every file into a temporary sibling folder, then renames it into place. */
function writeFolder(out: string, files: Record<string, string>, more?: (dir: string) => void): void {
  const parent = path.dirname(out);
  fs.mkdirSync(parent, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(parent, `.${path.basename(out)}.export-`));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(tmp, name), text);
    more?.(tmp);
    checkOut(out);
    if (fs.existsSync(out)) fs.rmdirSync(out);
    fs.renameSync(tmp, out);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

const HELP = `Usage: confluent-iam export --out DIR [options]

Reads a Confluent Cloud organization through the API and writes a Pulumi program that adopts every object:
DIR/index.ts (one resource per object, each with { import: "<id>" }), Pulumi.yaml, package.json and
README.md (what was exported, what was left out and why, next steps). DIR must be new or empty.

Options:
  --out DIR               folder to write (required)
  --environment ENV_ID    read only this environment's scopes (repeatable; default: every environment)
  --include KIND[,KIND]   export only these kinds (repeatable)
  --exclude KIND[,KIND]   leave these kinds out (repeatable), e.g. one the credentials may not list
  --state FILE            leave out objects this state file already manages
  --no-import             write the program without import options
  --project NAME          the Pulumi project name in Pulumi.yaml (default: DIR's name)
  --with-secrets FILE     a JSON file of API key id → secret: each exported key's secret goes into
                          DIR/Pulumi.<stack>.yaml, encrypted (passphrase provider: PULUMI_CONFIG_PASSPHRASE
                          or PULUMI_CONFIG_PASSPHRASE_FILE), and the program passes it as the key's secret
  --cwd DIR, --stack NAME, --config key=value
                          credentials from a project's stack config, as the other commands
  --help                  show this help

Kinds: ${EXPORT_KINDS.join(", ")}.
Credentials: CONFLUENT_CLOUD_API_KEY, CONFLUENT_CLOUD_API_SECRET, CONFLUENT_CLOUD_ENDPOINT, or config
confluentcloud:cloudApiKey, confluentcloud:cloudApiSecret, confluentcloud:endpoint.
`;

/** Parsed `export` command line. */
export interface ExportArgs extends Omit<ExportOptions, "credentials"> {
  help: boolean;
  cwd: string;
  stack: string;
  config: string[];
}

function kindList(flag: string, v: string): ExportKind[] {
  return v
    .split(",")
    .filter((x) => x !== "")
    .map((k) => {
      if (!(EXPORT_KINDS as readonly string[]).includes(k))
        throw new Error(`${flag} ${k}: unknown kind; expected one of ${EXPORT_KINDS.join(", ")}`);
      return k as ExportKind;
    });
}

/** Parses `export`'s arguments (without `export`). Throws with a message fit for the user. */
export function parseExportArgs(argv: readonly string[]): ExportArgs {
  const out: ExportArgs = {
    help: false,
    out: "",
    environments: [],
    include: [],
    exclude: [],
    withImport: true,
    cwd: process.cwd(),
    stack: "dev",
    config: [],
  };
  const environments: string[] = [];
  const include: ExportKind[] = [];
  const exclude: ExportKind[] = [];
  for (const a of flagArgs(argv)) {
    if (readSharedFlag(a, out)) continue;
    const { arg, flag, value } = a;
    switch (flag) {
      case "--help":
      case "-h":
        out.help = true;
        break;
      case "--out":
        out.out = path.resolve(value());
        break;
      case "--environment": {
        const v = value();
        if (!/^env-[A-Za-z0-9]+$/.test(v))
          throw new Error(
            `--environment expects an environment id such as env-abc123, got ${JSON.stringify(v)}`,
          );
        environments.push(v);
        break;
      }
      case "--include":
        include.push(...kindList(flag, value()));
        break;
      case "--exclude":
        exclude.push(...kindList(flag, value()));
        break;
      case "--project":
        out.project = value();
        break;
      case "--no-import":
        out.withImport = false;
        break;
      case "--with-secrets":
        out.withSecrets = path.resolve(value());
        break;
      default:
        throw new Error(arg.startsWith("-") ? `unknown option ${arg}` : `unexpected argument ${arg}`);
    }
  }
  out.environments = environments;
  out.include = include;
  out.exclude = exclude;
  if (!out.help && out.out === "") throw new Error("export needs --out DIR");
  return out;
}

/** Credentials: `--config` and the stack config of `--cwd` (when it is a project), then the environment. */
function credentialsOf(args: ExportArgs): ExportOptions["credentials"] {
  const hasProject = ["Pulumi.yaml", "Pulumi.yml"].some((f) => fs.existsSync(path.join(args.cwd, f)));
  const values = hasProject
    ? readStackConfig(readProject(args.cwd), args.stack, args.config).values
    : Object.fromEntries(
        args.config.map((c) => {
          const at = c.indexOf("=");
          if (at <= 0) throw new Error(`--config expects key=value, got ${JSON.stringify(c)}`);
          return [c.slice(0, at), c.slice(at + 1)];
        }),
      );
  return resolveCredentials({ get: (key) => values[key] });
}

/** `confluent-iam export …`; returns the exit code (0 written, 1 failed, 2 usage). */
export async function exportCommand(
  argv: readonly string[],
  io: { out: (s: string) => void; err: (s: string) => void } = {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  },
): Promise<number> {
  let args: ExportArgs;
  try {
    args = parseExportArgs(argv);
  } catch (e) {
    io.err(`confluent-iam: export: ${(e as Error).message}\nRun confluent-iam export --help for usage.\n`);
    return 2;
  }
  if (args.help) {
    io.out(HELP);
    return 0;
  }
  try {
    const r = await exportOrganization({ ...args, credentials: credentialsOf(args) });
    // What the program could not declare is said here too, not only in the README.
    for (const u of r.unfit) io.err(`confluent-iam: export: left out ${u.kind} ${u.id}: ${u.reason}\n`);
    if (r.unusedSecrets.length > 0)
      io.err(
        `confluent-iam: export: --with-secrets names ${plural(r.unusedSecrets.length, "API key", "API keys")} this export does not hold (${r.unusedSecrets.join(", ")}); their secrets were not written\n`,
      );
    const total = Object.values(r.counts).reduce<number>((a, b) => a + (b ?? 0), 0);
    const byKind = KINDS.filter((k) => (r.counts[k.kind] ?? 0) > 0)
      .map((k) => `${r.counts[k.kind] ?? 0} ${k.kind}`)
      .join(", ");
    io.out(
      `exported ${plural(total, "object", "objects")} of organization ${r.organizationId} to ${r.dir}` +
        `${byKind ? ` (${byKind})` : ""}; left out ${r.leftOut.length} (see README.md)\n` +
        `next: cd ${r.dir} && npm install, review index.ts, then up (it adopts every object and writes nothing)\n`,
    );
    return 0;
  } catch (e) {
    io.err(`confluent-iam: export: ${(e as Error).message}\n`);
    return 1;
  }
}
