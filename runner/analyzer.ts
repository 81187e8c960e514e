// Starts a policy pack the way the Pulumi CLI does (`node @pulumi/pulumi/cmd/run-policy-pack <engine> <dir>`)
// and drives it over the analyzer gRPC protocol: GetAnalyzerInfo, Configure, Analyze, AnalyzeStack.
//
// The child process, the port line, unary calls and the Struct encoding are ./grpc.ts, shared with the
// dynamic-provider host's client (./host.ts); the stubs here are loaded from @pulumi/pulumi's location too.
import * as fs from "fs";
import * as path from "path";
import type * as EmptyModule from "google-protobuf/google/protobuf/empty_pb";
import type * as AnalyzerPbModule from "@pulumi/pulumi/proto/analyzer_pb";
import type * as AnalyzerGrpcModule from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { grpc, requireFromPulumi, startPortServer, toStruct, unary, type PortServer } from "./grpc";

/** How a violation is enforced. */
export type EnforcementLevel = "advisory" | "mandatory" | "disabled" | "remediate";

/** Resource options an analyzer sees (all optional; defaults match a resource declared without options). */
export interface AnalyzerResourceOptions {
  /** The resource is protected from deletion. */
  protect?: boolean;
  /** Properties whose changes are ignored. */
  ignoreChanges?: string[];
  /** Outputs always treated as secrets (the SDK sets `secret` for ApiKey). */
  additionalSecretOutputs?: string[];
  /** Alias URNs. */
  aliases?: string[];
  /** Delete before replacing. */
  deleteBeforeReplace?: boolean;
}

/** A resource as the engine presents it to a policy pack. */
export interface AnalyzerResource {
  /** Type token, e.g. `pulumi-nodejs:dynamic/confluent:RoleBinding`. */
  type: string;
  /** Logical name. */
  name: string;
  /** URN. */
  urn: string;
  /**
   * Properties (inputs for Analyze, outputs for AnalyzeStack), without `__`-prefixed keys as the engine
   * strips them. Values may be in wire form: a secret as `{"4dabf18193072939515e22adb298388d":
   * "1b47061264138c4ac30d75fd1eb44270", value}`, an unknown as the string
   * `04da6b54-80e4-46f7-96ec-b56ff0331ba9`. `undefined` values are dropped.
   */
  properties: Record<string, unknown>;
  /** Resource options. */
  options?: AnalyzerResourceOptions;
  /** Parent URN, for AnalyzeStack. */
  parent?: string;
}

/** One violation reported by the pack. */
export interface AnalyzerViolation {
  /** The policy that reported it. */
  policyName: string;
  /** The pack's name. */
  policyPackName: string;
  /** The policy's description. */
  description: string;
  /**
   * The message as the pack sends it: @pulumi/policy prefixes the policy's own message with its
   * description and a newline.
   */
  message: string;
  /** Enforcement level after configuration. */
  enforcementLevel: EnforcementLevel;
  /** The resource concerned; for Analyze, the analyzed resource when the pack names none. */
  urn?: string;
}

/** A policy as GetAnalyzerInfo describes it. */
export interface AnalyzerPolicyInfo {
  /** Policy name. */
  name: string;
  /** One-sentence description. */
  description: string;
  /** Default enforcement level. */
  enforcementLevel: EnforcementLevel;
  /** JSON schema of the policy's settings, if it takes any. */
  configSchema?: { properties: Record<string, unknown>; required: string[] };
}

/** What GetAnalyzerInfo returns. */
export interface AnalyzerInfo {
  /** Pack name. */
  name: string;
  /** Pack version (from the pack's package.json). */
  version: string;
  /** The pack's policies. */
  policies: AnalyzerPolicyInfo[];
  /**
   * The configuration the pack gives itself (`new PolicyPack(name, args, initialConfig)`), by policy, each
   * entry with the level the message carries: ADVISORY (0) when the pack gave none, as the CLI reads it.
   */
  initialConfig: Record<string, { enforcementLevel: EnforcementLevel } & Record<string, unknown>>;
}

/** Per-policy configuration: an enforcement level, or an object of settings with an optional level. */
export type PolicyPackConfig = Record<
  string,
  EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)
>;

type LevelAndSettings = { enforcementLevel: EnforcementLevel } & Record<string, unknown>;

function entryOf(value: PolicyPackConfig[string]): {
  enforcementLevel?: EnforcementLevel;
  properties: Record<string, unknown>;
} {
  if (typeof value === "string") return { enforcementLevel: value, properties: {} };
  const { enforcementLevel, ...properties } = value;
  return { enforcementLevel, properties };
}

/**
 * The configuration the Pulumi CLI sends a pack (its ReconcilePolicyPackConfig): each policy's default level
 * and the defaults of its config schema, then the pack's own initial configuration, then `given` (a
 * `--policy-pack-config` file). Each step replaces the level when it names one and merges the settings; an
 * `all` entry with a level sets every policy's. An initial-configuration entry always names a level, since
 * the message carries one: a pack entry with settings but no level makes its policy advisory.
 */
export function reconcilePolicyConfig(
  info: AnalyzerInfo,
  given: PolicyPackConfig = {},
): Record<string, LevelAndSettings> {
  const result: Record<string, LevelAndSettings> = {};
  for (const policy of info.policies) {
    const defaults: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
      if (schema !== null && typeof schema === "object" && "default" in schema) {
        defaults[key] = (schema as { default: unknown }).default;
      }
    }
    result[policy.name] = { ...defaults, enforcementLevel: policy.enforcementLevel };
  }
  for (const layer of [info.initialConfig as PolicyPackConfig, given]) {
    const all = layer.all === undefined ? undefined : entryOf(layer.all).enforcementLevel;
    if (all !== undefined) for (const entry of Object.values(result)) entry.enforcementLevel = all;
    for (const [name, value] of Object.entries(layer)) {
      const { enforcementLevel, properties } = entryOf(value);
      const current = result[name];
      result[name] = {
        ...current,
        ...properties,
        enforcementLevel: enforcementLevel ?? current?.enforcementLevel ?? "advisory",
      };
    }
  }
  return result;
}

/** Options of {@link startPolicyPack}. */
export interface StartPolicyPackOptions {
  /**
   * The engine address passed to the pack. The pack serves on its own port and does not dial it.
   * @default "127.0.0.1:1"
   */
  engineAddress?: string;
  /** Extra environment variables for the pack process. */
  env?: Record<string, string>;
  /**
   * Add `--require <repo>/scripts/ts-register.js` to NODE_OPTIONS. By default: when the pack folder is
   * TypeScript source inside this repository, so it loads without a build and without ts-node's
   * whole-program type check.
   */
  tsRegister?: boolean;
  /**
   * How long to wait for the pack to print its port.
   * @default 60000
   */
  startTimeoutMs?: number;
  /**
   * Deadline of each gRPC call.
   * @default 30000
   */
  callTimeoutMs?: number;
  /** Receives the pack's stderr (its log output). */
  onStderr?: (text: string) => void;
}

/** A running policy pack. */
export interface PolicyPackHandle {
  /** The port the pack serves on (127.0.0.1). */
  readonly port: number;
  /** GetAnalyzerInfo. */
  info(): Promise<AnalyzerInfo>;
  /** Configure: replaces the pack's whole configuration. */
  configure(config: PolicyPackConfig): Promise<void>;
  /** Analyze one resource (its inputs). */
  analyze(resource: AnalyzerResource): Promise<AnalyzerViolation[]>;
  /** AnalyzeStack over every resource (their outputs). */
  analyzeStack(resources: AnalyzerResource[]): Promise<AnalyzerViolation[]>;
  /** Closes the connection and kills the pack process. */
  close(): Promise<void>;
}

const emptypb = requireFromPulumi("google-protobuf/google/protobuf/empty_pb") as typeof EmptyModule;
const apb = requireFromPulumi("@pulumi/pulumi/proto/analyzer_pb") as typeof AnalyzerPbModule;
const agrpc = requireFromPulumi("@pulumi/pulumi/proto/analyzer_grpc_pb") as typeof AnalyzerGrpcModule;
const runPolicyPackPath = requireFromPulumi.resolve("@pulumi/pulumi/cmd/run-policy-pack");

const LEVELS: Record<number, EnforcementLevel> = {
  [apb.EnforcementLevel.ADVISORY]: "advisory",
  [apb.EnforcementLevel.MANDATORY]: "mandatory",
  [apb.EnforcementLevel.DISABLED]: "disabled",
  [apb.EnforcementLevel.REMEDIATE]: "remediate",
};
const LEVEL_NUMBERS: Record<EnforcementLevel, AnalyzerPbModule.EnforcementLevel> = {
  advisory: apb.EnforcementLevel.ADVISORY,
  mandatory: apb.EnforcementLevel.MANDATORY,
  disabled: apb.EnforcementLevel.DISABLED,
  remediate: apb.EnforcementLevel.REMEDIATE,
};

/** The repository root when running from this repository's sources (it holds scripts/ts-register.js). */
function findRepoRoot(): string | undefined {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, "scripts", "ts-register.js"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

function isTypeScriptPack(packDir: string): boolean {
  if (fs.existsSync(path.join(packDir, "index.js"))) return false;
  try {
    const pkg: unknown = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8"));
    const main = typeof pkg === "object" && pkg !== null && "main" in pkg ? pkg.main : undefined;
    if (typeof main === "string") return main.endsWith(".ts");
  } catch {
    // No readable package.json: fall back to looking for index.ts.
  }
  return fs.existsSync(path.join(packDir, "index.ts"));
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

function resourceOptions(options: AnalyzerResourceOptions = {}): AnalyzerPbModule.AnalyzerResourceOptions {
  const o = new apb.AnalyzerResourceOptions();
  o.setProtect(options.protect ?? false);
  o.setIgnorechangesList(options.ignoreChanges ?? []);
  o.setAdditionalsecretoutputsList(options.additionalSecretOutputs ?? []);
  o.setAliasesList(options.aliases ?? []);
  if (options.deleteBeforeReplace !== undefined) {
    o.setDeletebeforereplace(options.deleteBeforeReplace);
    o.setDeletebeforereplacedefined(true);
  }
  o.setCustomtimeouts(new apb.AnalyzerResourceOptions.CustomTimeouts());
  return o;
}

function violationsOf(response: AnalyzerPbModule.AnalyzeResponse, fallbackUrn?: string): AnalyzerViolation[] {
  return response.getDiagnosticsList().map((d) => {
    const urn = d.getUrn() || fallbackUrn;
    const violation: AnalyzerViolation = {
      policyName: d.getPolicyname(),
      policyPackName: d.getPolicypackname(),
      description: d.getDescription(),
      message: d.getMessage(),
      enforcementLevel: LEVELS[d.getEnforcementlevel()] ?? "advisory",
    };
    if (urn) violation.urn = urn;
    return violation;
  });
}

function initialConfigOf(response: AnalyzerPbModule.AnalyzerInfo): AnalyzerInfo["initialConfig"] {
  const out: AnalyzerInfo["initialConfig"] = {};
  // forEach, not toArray: toArray gives the entries' raw arrays, not PolicyConfig messages.
  response.getInitialconfigMap().forEach((c, name) => {
    out[name] = {
      ...(c.getProperties()?.toJavaScript() ?? {}),
      enforcementLevel: LEVELS[c.getEnforcementlevel()] ?? "advisory",
    };
  });
  return out;
}

/**
 * Starts the policy pack in `packDir` as the Pulumi CLI does and returns a client for it. The child is
 * killed by `close()`, and also if starting fails.
 */
export async function startPolicyPack(
  packDir: string,
  opts: StartPolicyPackOptions = {},
): Promise<PolicyPackHandle> {
  const dir = path.resolve(packDir);
  if (!fs.existsSync(path.join(dir, "PulumiPolicy.yaml"))) {
    throw new Error(`${dir} is not a policy pack folder (it has no PulumiPolicy.yaml)`);
  }
  const repoRoot = findRepoRoot();
  const useHook =
    opts.tsRegister ?? (repoRoot !== undefined && isInside(dir, repoRoot) && isTypeScriptPack(dir));
  const env: Record<string, string | undefined> = { ...process.env, ...opts.env };
  if (useHook) {
    if (repoRoot === undefined) throw new Error("tsRegister needs this repository's scripts/ts-register.js");
    const hook = path.join(repoRoot, "scripts", "ts-register.js");
    env.NODE_OPTIONS = [env.NODE_OPTIONS, `--require ${JSON.stringify(hook)}`].filter(Boolean).join(" ");
    // run-policy-pack registers (vendored) ts-node on top of the hook; ts-node would then type-check the
    // hook's JavaScript output as TypeScript and fail. Told to ignore every file, it defers to the hook.
    env.TS_NODE_IGNORE ??= ".";
  }
  const server: PortServer = await startPortServer({
    what: "policy pack",
    args: [runPolicyPackPath, opts.engineAddress ?? "127.0.0.1:1", dir],
    // @pulumi/policy reads the pack's version from ./package.json, as the CLI runs packs from their folder.
    cwd: dir,
    env,
    stdin: "ignore",
    startTimeoutMs: opts.startTimeoutMs ?? 60_000,
    onOutput: (stream, text) => {
      if (stream === "stderr") opts.onStderr?.(text);
    },
  });
  const { port } = server;
  const kill = (): Promise<void> => server.stop();
  const timeout = opts.callTimeoutMs ?? 30_000;
  // Answers as large as the pack's own limit on requests (400 MB, as the Pulumi CLI allows): an audit's
  // AnalyzeStack over a whole organization can hold thousands of violations (gRPC's default is 4 MB).
  const client = new agrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
    "grpc.max_receive_message_length": 400 * 1024 * 1024,
  });

  const info = async (): Promise<AnalyzerInfo> => {
    const response = await unary<EmptyModule.Empty, AnalyzerPbModule.AnalyzerInfo>(
      client,
      client.getAnalyzerInfo,
      new emptypb.Empty(),
      timeout,
    );
    return {
      name: response.getName(),
      version: response.getVersion(),
      policies: response.getPoliciesList().map((p) => {
        const policy: AnalyzerPolicyInfo = {
          name: p.getName(),
          description: p.getDescription(),
          enforcementLevel: LEVELS[p.getEnforcementlevel()] ?? "advisory",
        };
        const schema = p.getConfigschema();
        if (schema) {
          policy.configSchema = {
            properties: schema.getProperties()?.toJavaScript() ?? {},
            required: schema.getRequiredList(),
          };
        }
        return policy;
      }),
      initialConfig: initialConfigOf(response),
    };
  };

  const configure = async (config: PolicyPackConfig): Promise<void> => {
    const request = new apb.ConfigureAnalyzerRequest();
    const map = request.getPolicyconfigMap();
    for (const [policy, value] of Object.entries(config)) {
      const entry = new apb.PolicyConfig();
      const { enforcementLevel, ...properties } =
        typeof value === "string" ? { enforcementLevel: value } : value;
      // The pack reads the level from the message, defaulting to ADVISORY (0): send the policy's own
      // default when none is given, as the CLI does from GetAnalyzerInfo.
      const level = enforcementLevel ?? defaults.get(policy) ?? "advisory";
      entry.setEnforcementlevel(LEVEL_NUMBERS[level]);
      entry.setProperties(toStruct(properties, `config.${policy}`));
      map.set(policy, entry);
    }
    await unary<AnalyzerPbModule.ConfigureAnalyzerRequest, EmptyModule.Empty>(
      client,
      client.configure,
      request,
      timeout,
    );
  };

  const analyze = async (resource: AnalyzerResource): Promise<AnalyzerViolation[]> => {
    const request = new apb.AnalyzeRequest();
    request.setType(resource.type);
    request.setName(resource.name);
    request.setUrn(resource.urn);
    request.setProperties(toStruct(resource.properties, `${resource.urn} properties`));
    request.setOptions(resourceOptions(resource.options));
    const response = await unary<AnalyzerPbModule.AnalyzeRequest, AnalyzerPbModule.AnalyzeResponse>(
      client,
      client.analyze,
      request,
      timeout,
    );
    return violationsOf(response, resource.urn);
  };

  const analyzeStack = async (resources: AnalyzerResource[]): Promise<AnalyzerViolation[]> => {
    const request = new apb.AnalyzeStackRequest();
    request.setResourcesList(
      resources.map((resource) => {
        const r = new apb.AnalyzerResource();
        r.setType(resource.type);
        r.setName(resource.name);
        r.setUrn(resource.urn);
        r.setProperties(toStruct(resource.properties, `${resource.urn} properties`));
        r.setOptions(resourceOptions(resource.options));
        if (resource.parent) r.setParent(resource.parent);
        return r;
      }),
    );
    const response = await unary<AnalyzerPbModule.AnalyzeStackRequest, AnalyzerPbModule.AnalyzeResponse>(
      client,
      client.analyzeStack,
      request,
      timeout,
    );
    return violationsOf(response);
  };

  // Default levels, so configure() can keep a policy's level when only settings are given.
  const defaults = new Map<string, EnforcementLevel>();
  try {
    for (const p of (await info()).policies) defaults.set(p.name, p.enforcementLevel);
  } catch (e) {
    client.close();
    await kill();
    throw e;
  }

  return {
    port,
    info,
    configure,
    analyze,
    analyzeStack,
    close: async () => {
      client.close();
      await kill();
    },
  };
}
