/**
 * `confluent-iam stack export` and `stack import`: the runner's state as a Pulumi deployment (version 3, the
 * format of `pulumi stack export`), so a stack started with `confluent-iam` moves to the Pulumi CLI with
 * `pulumi stack import`, and back. A deployment holds, as the Pulumi engine writes them for this package:
 *
 * - the stack resource (`pulumi:pulumi:Stack`, its outputs);
 * - the default provider of dynamic resources (`pulumi:providers:pulumi-nodejs`, named `default`);
 * - each resource, with its serialized dynamic provider under `__provider` in inputs and outputs and a
 *   `provider` reference `<provider URN>::<provider id>`;
 * - secrets encrypted by the passphrase secrets provider (`{"4dabf…": "1b47…", "ciphertext": "v1:…"}`) with
 *   the salt in `secrets_providers`: the same salt as the runner's state, so the same passphrase opens both.
 *
 * Options the deployment format has no field for (`deleteBeforeReplace`, `retainOnDelete`) are not carried:
 * the program states them again at the next preview or up, with either tool.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { isSecretWire, PROVIDER_KEY, type PropertyMap } from "../protocol";
import { flagArgs, readSharedFlag } from "./args";
import { newEncryptionSalt, readPassphrase } from "./passphrase";
import { readProject } from "./project";
import {
  decryptState,
  encryptState,
  loadState,
  noPassphraseMessage,
  saveState,
  secretKeysOf,
  stateHoldsSecret,
  stateKey,
  type PendingOperation,
  type ResourceState,
  type SecretsProviders,
  type StackState,
} from "./state";

/** One resource of a deployment (apitype.ResourceV3, the fields this package uses). */
export interface DeployedResource {
  urn: string;
  custom: boolean;
  delete?: boolean;
  id?: string;
  type: string;
  inputs?: PropertyMap;
  outputs?: PropertyMap;
  parent?: string;
  protect?: boolean;
  dependencies?: string[];
  initErrors?: string[];
  provider?: string;
  additionalSecretOutputs?: string[];
}

/** An operation an interrupted update left unfinished (apitype.OperationV2). */
export interface DeployedOperation {
  resource: DeployedResource;
  type: "creating" | "updating";
}

/**
 * What the deployment's free-form `metadata` carries for this runner: when each pending operation was sent
 * (the format's operations have no time, and settling one needs it: see runner/state.ts PendingOperation).
 */
export interface RunnerMetadata {
  "confluent-iam": { pendingOperations: { urn: string; type: string; startedAt: string }[] };
}

/** A Pulumi deployment, version 3, as `pulumi stack export` writes it and `pulumi stack import` reads it. */
export interface Deployment {
  version: 3;
  deployment: {
    manifest: { time: string; magic: string; version: string };
    secrets_providers?: SecretsProviders;
    resources: DeployedResource[];
    pending_operations?: DeployedOperation[];
    metadata?: RunnerMetadata;
  };
}

const STACK_TYPE = "pulumi:pulumi:Stack";
/** The type of the provider of every dynamic resource. */
const DYNAMIC_PROVIDER_TYPE = "pulumi:providers:pulumi-nodejs";
/** What this runner writes as the manifest's engine version. */
const MANIFEST_VERSION = "v3.0.0+confluent-iam";
const INIT_ERROR = "the object was created but failed to initialize (confluent-iam)";

/** The stack resource's URN. */
export function stackUrn(project: string, stack: string): string {
  return `urn:pulumi:${stack}::${project}::${STACK_TYPE}::${project}-${stack}`;
}

/** The default dynamic provider's URN. */
function providerUrn(project: string, stack: string): string {
  return `urn:pulumi:${stack}::${project}::${DYNAMIC_PROVIDER_TYPE}::default`;
}

/** The default provider's id: a UUID derived from the stack, so that exporting twice gives the same one. */
function providerId(project: string, stack: string): string {
  const h = crypto.createHash("sha256").update(`${project}\0${stack}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The state, with its secrets encrypted (the state's salt, or a new one), as a deployment. */
export function toDeployment(
  state: StackState,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  now: Date = new Date(),
): Deployment {
  let providers = state.secretsProviders;
  let encrypted = state;
  if (stateHoldsSecret(state)) {
    let key: Buffer;
    if (providers) {
      key = stateKey(file, providers, env, "the state holds encrypted secrets");
    } else {
      const passphrase = readPassphrase(env);
      if (passphrase === undefined) {
        throw new Error(`${file}: ${noPassphraseMessage("the export encrypts the state's secrets")}`);
      }
      const made = newEncryptionSalt(passphrase);
      providers = { type: "passphrase", state: { salt: made.encryptionSalt } };
      key = made.key;
    }
    encrypted = encryptState(state, key);
  }
  const { project, stack } = state;
  const root = stackUrn(project, stack);
  const providerRef = `${providerUrn(project, stack)}::${providerId(project, stack)}`;
  const resources: DeployedResource[] = [
    { urn: root, custom: false, type: STACK_TYPE, inputs: {}, outputs: encrypted.outputs },
    {
      urn: providerUrn(project, stack),
      custom: true,
      id: providerId(project, stack),
      type: DYNAMIC_PROVIDER_TYPE,
      inputs: {},
      outputs: {},
    },
  ];
  for (const r of dependenciesFirst(encrypted.resources)) {
    const common = {
      urn: r.urn,
      type: r.type,
      parent: r.parent ?? root,
      ...(r.protect ? { protect: true } : {}),
      ...(r.pendingDelete ? { delete: true } : {}),
      dependencies: r.dependencies,
    };
    if (r.component) {
      resources.push({ ...common, custom: false, inputs: {}, outputs: r.outputs });
      continue;
    }
    resources.push({
      ...common,
      custom: true,
      id: r.id,
      inputs: { ...r.inputs, [PROVIDER_KEY]: r.provider },
      outputs: { ...r.outputs, [PROVIDER_KEY]: r.provider },
      provider: providerRef,
      ...(r.initFailed ? { initErrors: [INIT_ERROR] } : {}),
      ...(r.secretOutputs.length > 0 ? { additionalSecretOutputs: r.secretOutputs } : {}),
    });
  }
  const pending = encrypted.pendingOperations ?? [];
  const operations: DeployedOperation[] = pending.map((op) => {
    const r = op.resource;
    return {
      type: op.type,
      resource: {
        urn: r.urn,
        custom: true,
        ...(op.type === "updating" ? { id: r.id } : {}),
        type: r.type,
        inputs: { ...r.inputs, [PROVIDER_KEY]: r.provider },
        ...(op.type === "updating" ? { outputs: { ...r.outputs, [PROVIDER_KEY]: r.provider } } : {}),
        parent: r.parent ?? root,
        ...(r.protect ? { protect: true } : {}),
        dependencies: r.dependencies,
        provider: providerRef,
        ...(r.secretOutputs.length > 0 ? { additionalSecretOutputs: r.secretOutputs } : {}),
      },
    };
  });
  return {
    version: 3,
    deployment: {
      manifest: {
        time: now.toISOString(),
        // As the engine makes it: the SHA-256 of the version, in hex.
        magic: crypto.createHash("sha256").update(MANIFEST_VERSION).digest("hex"),
        version: MANIFEST_VERSION,
      },
      ...(providers ? { secrets_providers: providers } : {}),
      resources,
      ...(operations.length > 0
        ? {
            pending_operations: operations,
            metadata: {
              "confluent-iam": {
                pendingOperations: pending.map((op) => ({
                  urn: op.resource.urn,
                  type: op.type,
                  startedAt: op.startedAt,
                })),
              },
            },
          }
        : {}),
    },
  };
}

/**
 * The entries in state order, except that each comes after its parent and its dependencies, as the engine
 * orders a snapshot (and checks at import): an update can make an older entry depend on a newer one.
 */
function dependenciesFirst(entries: readonly ResourceState[]): ResourceState[] {
  const byUrn = new Map<string, ResourceState[]>();
  for (const r of entries) byUrn.set(r.urn, [...(byUrn.get(r.urn) ?? []), r]);
  const out: ResourceState[] = [];
  const state = new Map<ResourceState, "visiting" | "done">();
  const visit = (r: ResourceState): void => {
    if (state.has(r)) return; // done, or a cycle (which state cannot hold): keep the state order
    state.set(r, "visiting");
    for (const urn of [...(r.parent ? [r.parent] : []), ...r.dependencies]) {
      for (const d of byUrn.get(urn) ?? []) if (d !== r) visit(d);
    }
    state.set(r, "done");
    out.push(r);
  };
  entries.forEach(visit);
  return out;
}

const resourceSchema = z.object({
  urn: z.string(),
  custom: z.boolean().optional(),
  delete: z.boolean().optional(),
  id: z.string().optional(),
  type: z.string(),
  inputs: z.record(z.unknown()).optional(),
  outputs: z.record(z.unknown()).optional(),
  parent: z.string().optional(),
  protect: z.boolean().optional(),
  dependencies: z.array(z.string()).optional(),
  initErrors: z.array(z.string()).optional(),
  provider: z.string().optional(),
  additionalSecretOutputs: z.array(z.string()).optional(),
});

const deploymentSchema = z.object({
  version: z.literal(3),
  deployment: z.object({
    manifest: z.object({}).passthrough(),
    secrets_providers: z.object({ type: z.string(), state: z.unknown().optional() }).optional(),
    resources: z.array(resourceSchema).optional(),
    pending_operations: z.array(z.object({ resource: resourceSchema, type: z.string() })).optional(),
    metadata: z
      .object({
        "confluent-iam": z
          .object({
            pendingOperations: z.array(
              z.object({ urn: z.string(), type: z.string(), startedAt: z.string() }),
            ),
          })
          .optional(),
      })
      .passthrough()
      .optional(),
  }),
});

/** The plain value of the serialized provider (`__provider`), which may be stored as a secret. */
function providerText(v: unknown): string | undefined {
  const plain = isSecretWire(v) ? (v as { value?: unknown }).value : v;
  return typeof plain === "string" ? plain : undefined;
}

function without(props: PropertyMap | undefined, key: string): PropertyMap {
  const { [key]: _drop, ...rest } = props ?? {};
  void _drop;
  return rest;
}

/**
 * A deployment (parsed JSON) as the runner's state of `project`/`stack`. Secrets are decrypted with the
 * passphrase from `env` (needed only when the deployment holds one). `file` names the deployment in
 * messages.
 */
export function fromDeployment(
  json: unknown,
  project: string,
  stack: string,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): StackState {
  const parsed = deploymentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${file} is not a Pulumi deployment of version 3 (\`pulumi stack export\`): ` +
        `${issue?.path.join(".") ?? ""}: ${issue?.message ?? ""}`,
    );
  }
  const dep = parsed.data.deployment;
  const times = dep.metadata?.["confluent-iam"]?.pendingOperations ?? [];
  const raw = dep.resources ?? [];
  const root = stackUrn(project, stack);
  const stackResource = raw.find((r) => r.type === STACK_TYPE);
  if (stackResource && stackResource.urn !== root) {
    throw new Error(
      `${file} is the deployment of ${stackResource.urn}, not of stack ${stack} of project ${project} ` +
        `(${root}); import it with --stack of its stack, in the folder of its project`,
    );
  }
  let providers: SecretsProviders | undefined;
  const sp = dep.secrets_providers;
  if (sp !== undefined) {
    const salt = (sp.state as { salt?: unknown } | undefined)?.salt;
    if (sp.type !== "passphrase" || typeof salt !== "string") {
      throw new Error(
        `${file}: secrets_providers is ${JSON.stringify(sp.type)}; confluent-iam reads only the passphrase ` +
          "provider's secrets: run `pulumi stack change-secrets-provider passphrase` before `pulumi stack export`",
      );
    }
    providers = { type: "passphrase", state: { salt } };
  }
  const resources: ResourceState[] = [];
  for (const r of raw) {
    if (r.type === STACK_TYPE || r.type.startsWith("pulumi:providers:")) continue;
    const name = r.urn.slice(r.urn.lastIndexOf("::") + 2);
    const flags = {
      ...(r.parent !== undefined && r.parent !== root ? { parent: r.parent } : {}),
      ...(r.protect ? { protect: true } : {}),
      ...(r.delete ? { pendingDelete: true } : {}),
    };
    if (r.custom !== true) {
      resources.push({
        urn: r.urn,
        type: r.type,
        name,
        id: "",
        inputs: {},
        outputs: r.outputs ?? {},
        provider: "",
        dependencies: r.dependencies ?? [],
        secretOutputs: [],
        component: true,
        ...flags,
      });
      continue;
    }
    const provider = providerText(r.inputs?.[PROVIDER_KEY]) ?? providerText(r.outputs?.[PROVIDER_KEY]);
    if (provider === undefined) {
      throw new Error(
        `${file}: ${r.urn} has no serialized provider (${PROVIDER_KEY}): confluent-iam manages only this ` +
          "package's dynamic resources; keep managing this stack with the Pulumi CLI",
      );
    }
    const outputs = without(r.outputs, PROVIDER_KEY);
    const secretOutputs = [...new Set([...(r.additionalSecretOutputs ?? []), ...secretKeysOf(outputs)])]
      .filter((k) => k in outputs)
      .sort();
    resources.push({
      urn: r.urn,
      type: r.type,
      name,
      id: r.id ?? "",
      inputs: without(r.inputs, PROVIDER_KEY),
      outputs,
      provider,
      dependencies: r.dependencies ?? [],
      secretOutputs,
      ...((r.initErrors ?? []).length > 0 ? { initFailed: true } : {}),
      ...flags,
    });
  }
  const pendingOperations: PendingOperation[] = [];
  for (const op of dep.pending_operations ?? []) {
    const r = op.resource;
    const startedAt = times.find((t) => t.urn === r.urn && t.type === op.type)?.startedAt;
    const provider = providerText(r.inputs?.[PROVIDER_KEY]) ?? providerText(r.outputs?.[PROVIDER_KEY]);
    if (
      (op.type !== "creating" && op.type !== "updating") ||
      startedAt === undefined ||
      provider === undefined
    ) {
      throw new Error(
        `${file} has a pending operation (${op.type} ${r.urn}) that confluent-iam cannot settle: ` +
          (provider === undefined
            ? "it is not this package's dynamic resource"
            : startedAt === undefined
              ? "the deployment does not say when it was sent (only a confluent-iam stack export does)"
              : `only creating and updating operations are settled`) +
          "; settle it with the Pulumi CLI first (pulumi refresh --clear-pending-creates, or " +
          "--import-pending-creates), then export again",
      );
    }
    const outputs = without(r.outputs, PROVIDER_KEY);
    pendingOperations.push({
      type: op.type,
      startedAt,
      resource: {
        urn: r.urn,
        type: r.type,
        name: r.urn.slice(r.urn.lastIndexOf("::") + 2),
        id: r.id ?? "",
        inputs: without(r.inputs, PROVIDER_KEY),
        outputs,
        provider,
        dependencies: r.dependencies ?? [],
        secretOutputs: [...(r.additionalSecretOutputs ?? [])].sort(),
        ...(r.parent !== undefined && r.parent !== root ? { parent: r.parent } : {}),
        ...(r.protect ? { protect: true } : {}),
      },
    });
  }
  const state: StackState = {
    version: 2,
    project,
    stack,
    ...(providers ? { secretsProviders: providers } : {}),
    resources,
    outputs: stackResource?.outputs ?? {},
    ...(pendingOperations.length > 0 ? { pendingOperations } : {}),
  };
  const encrypted = JSON.stringify(state).includes('"ciphertext"');
  if (!encrypted) return state;
  if (!providers) throw new Error(`${file} holds encrypted secrets but no secrets_providers`);
  return decryptState(state, stateKey(file, providers, env, "the deployment holds encrypted secrets"), file);
}

/** A line saying the export carries pending operations, and what each tool does with them. */
function pendingNote(state: StackState): string {
  const n = state.pendingOperations?.length ?? 0;
  if (n === 0) return "";
  return (
    `it carries ${n} pending operation${n === 1 ? "" : "s"} of an interrupted run: the next confluent-iam up ` +
    "settles them; the Pulumi CLI asks you to run pulumi refresh --import-pending-creates or " +
    "--clear-pending-creates first\n"
  );
}

/** Parsed `stack` arguments. */
export interface StackArgs {
  sub: "export" | "import";
  cwd: string;
  stack: string;
  statePath: string | undefined;
  file: string | undefined;
  force: boolean;
}

const USAGE =
  "usage: confluent-iam stack export [--stack NAME] [--file F] | confluent-iam stack import [--stack NAME] " +
  "--file F [--force] (both: [--cwd DIR] [--state FILE])";

/** Parses the arguments after `stack`. Throws with a message fit for the user. */
export function parseStackArgs(argv: readonly string[]): StackArgs {
  const [sub, ...rest] = argv;
  if (sub !== "export" && sub !== "import") throw new Error(`stack: expected export or import; ${USAGE}`);
  const out: StackArgs = {
    sub,
    cwd: process.cwd(),
    stack: "dev",
    statePath: undefined,
    file: undefined,
    force: false,
  };
  for (const a of flagArgs(rest)) {
    if (readSharedFlag(a, out)) continue;
    const { arg, flag, value } = a;
    switch (flag) {
      case "--file":
        out.file = path.resolve(value());
        break;
      case "--force":
        if (sub !== "import") throw new Error(`stack export: unknown argument ${arg}; ${USAGE}`);
        out.force = true;
        break;
      default:
        throw new Error(`stack ${sub}: unknown argument ${arg}; ${USAGE}`);
    }
  }
  if (sub === "import" && out.file === undefined)
    throw new Error(`stack import: --file is required; ${USAGE}`);
  return out;
}

/** `confluent-iam stack export|import`: returns the exit code. */
export function stackCommand(
  argv: readonly string[],
  out: (s: string) => void = (s) => void process.stdout.write(s),
  err: (s: string) => void = (s) => void process.stderr.write(s),
  env: NodeJS.ProcessEnv = process.env,
): number {
  let args: StackArgs;
  try {
    args = parseStackArgs(argv);
  } catch (e) {
    err(`confluent-iam: ${(e as Error).message}\n`);
    return 2;
  }
  try {
    const project = readProject(args.cwd);
    const stateFile = args.statePath ?? path.join(project.dir, ".state", `${args.stack}.json`);
    if (args.sub === "export") {
      if (!fs.existsSync(stateFile)) {
        throw new Error(`no state for stack ${args.stack} at ${stateFile}; run confluent-iam up first`);
      }
      const state = loadState(stateFile, project.name, args.stack, env);
      const text = JSON.stringify(toDeployment(state, stateFile, env), null, 4) + "\n";
      if (args.file === undefined) {
        out(text);
      } else {
        fs.writeFileSync(args.file, text, { mode: 0o600 });
        out(
          `wrote stack ${args.stack} (${state.resources.length} resources) to ${args.file}; ` +
            `take it over with: pulumi stack import --stack ${args.stack} --file ${args.file}\n` +
            pendingNote(state),
        );
      }
      return 0;
    }
    const file = args.file as string;
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
      throw new Error(`${file} cannot be read as JSON: ${(e as Error).message}`);
    }
    const imported = fromDeployment(json, project.name, args.stack, file, env);
    if (!args.force && fs.existsSync(stateFile)) {
      const current = loadState(stateFile, project.name, args.stack, env);
      if (current.resources.length > 0) {
        throw new Error(
          `${stateFile} already holds ${current.resources.length} resources of stack ${args.stack}; ` +
            "stack import replaces them: export them first, then pass --force",
        );
      }
    }
    saveState(stateFile, imported, env);
    out(`imported ${imported.resources.length} resources of stack ${args.stack} into ${stateFile}\n`);
    return 0;
  } catch (e) {
    err(`confluent-iam: stack ${args.sub}: ${(e as Error).message}\n`);
    return 1;
  }
}
