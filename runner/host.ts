/**
 * Drives Pulumi's own dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`, the program the engine
 * launches as the `pulumi-resource-pulumi-nodejs` plugin) over gRPC, without the Pulumi CLI.
 *
 * The host is spawned as a child process; it prints its port on the first stdout line and never dials the
 * engine address it is given. Values cross the wire as `google.protobuf.Struct`, with Pulumi's sentinels for
 * secrets and unknowns (exported below).
 */
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import type * as GrpcModule from "@grpc/grpc-js";
import type * as StructModule from "google-protobuf/google/protobuf/struct_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";

// The generated stubs in @pulumi/pulumi/proto were built against particular copies of grpc-js and
// google-protobuf; a different copy (e.g. google-protobuf 4.x hoisted to the root) produces messages the
// stubs cannot serialize. So load both from @pulumi/pulumi's own location.
const pulumiPackageJson = require.resolve("@pulumi/pulumi/package.json");
const requireFromPulumi = createRequire(pulumiPackageJson);
const grpc = requireFromPulumi("@grpc/grpc-js") as typeof GrpcModule;
const structpb = requireFromPulumi("google-protobuf/google/protobuf/struct_pb") as typeof StructModule;

/** Key that marks a wire object as one of Pulumi's special values (`rpc.specialSigKey`). */
export const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
/** Signature value of a secret (`rpc.specialSecretSig`). */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** The string that stands for a value not known yet (during preview), `rpc.unknownValue`. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The property that carries the serialized provider in every dynamic resource's inputs and outputs. */
export const PROVIDER_KEY = "__provider";

/** A property bag as it travels over the wire (plain JSON, with the sentinels above). */
export type PropertyMap = Record<string, unknown>;

/** A secret on the wire: `{ "4dabf…": "1b47…", value }`. */
export interface SecretWire {
  /** Always {@link SECRET_SIG}. */
  [SPECIAL_SIG_KEY]: typeof SECRET_SIG;
  /** The secret's plain value. */
  value: unknown;
}

/** Wraps a value in the wire form of a secret. */
export function secretWire(value: unknown): SecretWire {
  return { [SPECIAL_SIG_KEY]: SECRET_SIG, value };
}

/** True when `v` is a secret in wire form. */
export function isSecretWire(v: unknown): v is SecretWire {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    (v as Record<string, unknown>)[SPECIAL_SIG_KEY] === SECRET_SIG
  );
}

/** True when `v` is the unknown sentinel. */
export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN_VALUE;
}

/** True when `v` is or contains (at any depth) the unknown sentinel. */
export function containsUnknown(v: unknown): boolean {
  if (isUnknown(v)) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (typeof v === "object" && v !== null) return Object.values(v).some(containsUnknown);
  return false;
}

/** True when `v` is or contains (at any depth) a secret in wire form. */
export function containsSecret(v: unknown): boolean {
  if (isSecretWire(v)) return true;
  if (Array.isArray(v)) return v.some(containsSecret);
  if (typeof v === "object" && v !== null) return Object.values(v).some(containsSecret);
  return false;
}

/** Removes every secret wrapper, at any depth, leaving the plain values. */
export function unwrapSecrets(v: unknown): unknown {
  if (isSecretWire(v)) return unwrapSecrets(v.value);
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
  }
  return v;
}

type JsonValue = StructModule.JavaScriptValue;

// Struct.fromJavaScript throws "Unexpected struct type" on `undefined` (and on anything not JSON), so
// drop undefined members the way JSON.stringify would before converting.
function toJsonValue(v: unknown, where: string): JsonValue {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new TypeError(`${where}: ${String(v)} cannot be sent over the wire`);
    return v;
  }
  if (Array.isArray(v)) return v.map((x, i) => (x === undefined ? null : toJsonValue(x, `${where}[${i}]`)));
  if (typeof v === "object") {
    const out: Record<string, JsonValue> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toJsonValue(x, `${where}.${k}`);
    return out;
  }
  throw new TypeError(`${where}: a ${typeof v} cannot be sent over the wire`);
}

function toStruct(props: PropertyMap, what: string): StructModule.Struct {
  return structpb.Struct.fromJavaScript(toJsonValue(props, what) as Record<string, JsonValue>);
}

function fromStruct(s: StructModule.Struct | undefined): PropertyMap {
  return s ? (s.toJavaScript() as PropertyMap) : {};
}

/** One failed check, as the provider reported it. */
export interface CheckFailure {
  /** Dotted path of the offending input. */
  property: string;
  /** What is wrong and how to fix it. */
  reason: string;
}

/** Result of Check. */
export interface CheckResult {
  /** The provider's normalized inputs (with `__provider`), to pass to Diff/Create/Update. */
  inputs: PropertyMap;
  /** Validation failures; non-empty means the resource must not be created or updated. */
  failures: CheckFailure[];
}

/** How one property differs (Pulumi's `PropertyDiff.Kind`). */
export type PropertyDiffKind =
  "add" | "add-replace" | "delete" | "delete-replace" | "update" | "update-replace";

/** Result of Diff. */
export interface DiffResult {
  /** true: something changed; false: nothing did; undefined: the provider could not tell (DIFF_UNKNOWN). */
  changes: boolean | undefined;
  /** Properties whose change forces replacement. */
  replaces: string[];
  /** Properties that changed (only when the provider lists them; Pulumi's dynamic host never does). */
  diffs: string[];
  /** Delete the old object before creating its replacement. */
  deleteBeforeReplace: boolean;
  /** Per-property detail, when the provider sent it. */
  detailedDiff?: Record<string, { kind: PropertyDiffKind; inputDiff: boolean }>;
}

/** Result of Create. */
export interface CreateResult {
  /** The new object's id ("" when only previewed). */
  id: string;
  /** Output properties (with `__provider`). */
  outs: PropertyMap;
}

/** Result of Read. */
export interface ReadResult {
  /** The object's id; "" means the object is gone. */
  id: string;
  /** Current output properties. */
  props: PropertyMap;
  /** Inputs the provider derived from what it read, when it returned them. */
  inputs: PropertyMap | undefined;
}

/** Result of Update. */
export interface UpdateResult {
  /** New output properties (with `__provider`). */
  outs: PropertyMap;
}

/** A gRPC call to the host failed. */
export class ProviderCallError extends Error {
  /** The RPC that failed (`create`, `diff`, ...). */
  readonly operation: string;
  /** The resource it was about. */
  readonly urn: string;
  /** gRPC status code (2 = UNKNOWN for an error thrown by the provider). */
  readonly code: number;

  constructor(operation: string, urn: string, code: number, message: string) {
    super(message);
    this.name = "ProviderCallError";
    this.operation = operation;
    this.urn = urn;
    this.code = code;
  }
}

/**
 * Create or Update failed after the object came into existence: the provider threw an error carrying
 * `id` (and optionally `properties`, `reasons`), which the host packs as `pulumirpc.ErrorResourceInitFailed`.
 * The object exists and must be kept in state.
 */
export class ResourceInitError extends ProviderCallError {
  /** Id of the object that exists. */
  readonly id: string;
  /** Its properties as far as the provider knew them. */
  readonly properties: PropertyMap;
  /** Why it failed to initialize. */
  readonly reasons: string[];

  constructor(
    operation: string,
    urn: string,
    message: string,
    id: string,
    properties: PropertyMap,
    reasons: string[],
  ) {
    super(operation, urn, grpc.status.UNKNOWN, message);
    this.name = "ResourceInitError";
    this.id = id;
    this.properties = properties;
    this.reasons = reasons;
  }
}

/** Options for {@link startProviderHost}. */
export interface ProviderHostOptions {
  /** Working directory of the host (module resolution of `require()` inside providers). @default process.cwd() */
  cwd?: string;
  /** Environment of the host process. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Project name the provider's `config.get("key")` qualifies keys with. @default env PULUMI_NODEJS_PROJECT or "project" */
  project?: string;
  /** Stack name. @default env PULUMI_NODEJS_STACK or "dev" */
  stack?: string;
  /** Called with each line the host prints after its port line (the provider's logs), as it comes. */
  onOutput?: (line: string, stream: "stdout" | "stderr") => void;
  /** How long to wait for the port line. @default 30000 */
  startTimeoutMs?: number;
  /** Deadline of each RPC. @default 600000 */
  callTimeoutMs?: number;
}

/** A running dynamic-provider host and a client for it. */
export interface ProviderHost {
  /** The port the host serves on (127.0.0.1). */
  readonly port: number;
  /** The host's process id. */
  readonly pid: number;
  /** Sends the stack config (keys like `confluentcloud:endpoint`). Call it before any resource operation. */
  configure(config: Record<string, string>): Promise<void>;
  /** Check: validate and normalize new inputs. */
  check(urn: string, olds: PropertyMap, news: PropertyMap): Promise<CheckResult>;
  /** Diff checked new inputs against the old outputs. */
  diff(
    id: string,
    urn: string,
    olds: PropertyMap,
    news: PropertyMap,
    oldInputs?: PropertyMap,
  ): Promise<DiffResult>;
  /**
   * Create. With `preview: true` nothing is sent: the dynamic host ignores the preview flag and would really
   * create, and it does not declare preview support, so (like the engine) no Create is sent during preview.
   * Rejects with {@link ResourceInitError} when the object was created but failed to initialize.
   */
  create(urn: string, inputs: PropertyMap, options?: { preview?: boolean }): Promise<CreateResult>;
  /** Read the object's current state (refresh). */
  read(id: string, urn: string, props: PropertyMap, inputs?: PropertyMap): Promise<ReadResult>;
  /** Update in place. Rejects with {@link ResourceInitError} when the provider reported partial state. */
  update(
    id: string,
    urn: string,
    olds: PropertyMap,
    news: PropertyMap,
    oldInputs?: PropertyMap,
  ): Promise<UpdateResult>;
  /** Delete. */
  delete(id: string, urn: string, props: PropertyMap): Promise<void>;
  /** Everything the host printed (stderr, and stdout after the port line). */
  stderr(): string;
  /** Close the client and stop the host. */
  close(): Promise<void>;
}

const repoRoot = path.resolve(__dirname, "..");
const tsRegister = path.join(repoRoot, "scripts", "ts-register.js");

/**
 * When this module runs from the repository's TypeScript sources, the host must load them too, so that
 * `require("pulumi-confluent-iam/provider")` inside a serialized provider resolves to provider/index.ts.
 */
function nodeOptionsFor(env: NodeJS.ProcessEnv): string | undefined {
  const existing = env.NODE_OPTIONS ?? "";
  if (!__filename.endsWith(".ts") || !fs.existsSync(tsRegister) || existing.includes(tsRegister)) {
    return env.NODE_OPTIONS;
  }
  return `${existing} --require ${JSON.stringify(tsRegister)}`.trim();
}

const propertyDiffKinds: Record<number, PropertyDiffKind> = {
  [provproto.PropertyDiff.Kind.ADD]: "add",
  [provproto.PropertyDiff.Kind.ADD_REPLACE]: "add-replace",
  [provproto.PropertyDiff.Kind.DELETE]: "delete",
  [provproto.PropertyDiff.Kind.DELETE_REPLACE]: "delete-replace",
  [provproto.PropertyDiff.Kind.UPDATE]: "update",
  [provproto.PropertyDiff.Kind.UPDATE_REPLACE]: "update-replace",
};

type Unary<Req, Res> = (
  req: Req,
  metadata: GrpcModule.Metadata,
  options: Partial<GrpcModule.CallOptions>,
  callback: (err: GrpcModule.ServiceError | null, res: Res) => void,
) => GrpcModule.ClientUnaryCall;

/** Decodes `grpc-status-details-bin` into the ErrorResourceInitFailed detail, when there is one. */
function initFailure(err: GrpcModule.ServiceError): provproto.ErrorResourceInitFailed | undefined {
  const raw = err.metadata?.get("grpc-status-details-bin") ?? [];
  for (const bin of raw) {
    const bytes = typeof bin === "string" ? Buffer.from(bin, "base64") : bin;
    const status = statusproto.Status.deserializeBinary(new Uint8Array(bytes));
    for (const any of status.getDetailsList()) {
      const detail = any.unpack(
        (b: Uint8Array) => provproto.ErrorResourceInitFailed.deserializeBinary(b),
        "pulumirpc.ErrorResourceInitFailed",
      );
      if (detail) return detail;
    }
  }
  return undefined;
}

/** Spawns the host, waits for its port line and connects a client. */
async function spawnHost(
  opts: ProviderHostOptions,
): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const hostJs = requireFromPulumi.resolve("./cmd/dynamic-provider/index.js");
  const baseEnv = opts.env ?? process.env;
  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    PULUMI_NODEJS_PROJECT: opts.project ?? baseEnv.PULUMI_NODEJS_PROJECT ?? "project",
    PULUMI_NODEJS_STACK: opts.stack ?? baseEnv.PULUMI_NODEJS_STACK ?? "dev",
  };
  // The watchdog stops the host when this process ends without closing it (see ./host-watchdog.ts); from
  // the TypeScript sources it is loaded after the ts-register hook.
  const watchdog = path.join(__dirname, `host-watchdog${path.extname(__filename)}`);
  env.NODE_OPTIONS = `${nodeOptionsFor(baseEnv) ?? ""} --require ${JSON.stringify(watchdog)}`.trim();
  env.CONFLUENT_IAM_HOST_WATCHDOG = "1";

  // The single argument is the engine's address; the host only checks that it is present.
  const child = spawn(process.execPath, [hostJs, "127.0.0.1:1"], {
    cwd: opts.cwd ?? process.cwd(),
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  const lineBuffers = { stdout: "", stderr: "" };
  const emit = (stream: "stdout" | "stderr", chunk: string, flush: boolean): void => {
    output += chunk;
    lineBuffers[stream] += chunk;
    const lines = lineBuffers[stream].split("\n");
    lineBuffers[stream] = flush ? "" : (lines.pop() ?? "");
    for (const line of lines) if (line !== "" || !flush) opts.onOutput?.(line, stream);
  };
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (d: string) => emit("stderr", d, false));
  child.stderr?.on("end", () => emit("stderr", "", true));

  const port = await new Promise<number>((resolve, reject) => {
    let first = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(
          `dynamic-provider host printed no port within ${opts.startTimeoutMs ?? 30000} ms: ${output}`,
        ),
      );
    }, opts.startTimeoutMs ?? 30000);
    const onExit = (code: number | null, signal: string | null): void => {
      clearTimeout(timer);
      reject(
        new Error(
          `dynamic-provider host exited before printing its port (code ${code}, signal ${signal}): ${output}`,
        ),
      );
    };
    child.once("exit", onExit);
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.stdout?.setEncoding("utf8");
    const onData = (d: string): void => {
      first += d;
      const nl = first.indexOf("\n");
      if (nl < 0) return;
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
      clearTimeout(timer);
      const rest = first.slice(nl + 1);
      if (rest) emit("stdout", rest, false);
      child.stdout?.on("data", (x: string) => emit("stdout", x, false));
      child.stdout?.on("end", () => emit("stdout", "", true));
      const p = Number(first.slice(0, nl).trim());
      if (!Number.isInteger(p) || p <= 0)
        reject(new Error(`unexpected first line from host: ${first.slice(0, nl)}`));
      else resolve(p);
    };
    child.stdout?.on("data", onData);
  });
  return { child, port, output: () => output };
}

/** Starts Pulumi's dynamic-provider host and returns a typed client for it. */
export async function startProviderHost(opts: ProviderHostOptions = {}): Promise<ProviderHost> {
  const { child, port, output } = await spawnHost(opts);
  const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const callTimeoutMs = opts.callTimeoutMs ?? 600_000;
  let exited = child.exitCode !== null;
  child.once("exit", () => {
    exited = true;
  });

  function call<Req, Res>(operation: string, urn: string, method: Unary<Req, Res>, req: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      const deadline = new Date(Date.now() + callTimeoutMs);
      method.call(client, req, new grpc.Metadata(), { deadline }, (err, res) => {
        if (!err) {
          resolve(res);
          return;
        }
        const detail = initFailure(err);
        if (detail) {
          reject(
            new ResourceInitError(
              operation,
              urn,
              err.details,
              detail.getId(),
              fromStruct(detail.getProperties()),
              detail.getReasonsList(),
            ),
          );
          return;
        }
        reject(new ProviderCallError(operation, urn, err.code, err.details || err.message));
      });
    });
  }

  return {
    port,
    pid: child.pid ?? -1,

    async configure(config) {
      const req = new provproto.ConfigureRequest();
      req.setArgs(toStruct(config, "config"));
      const vars = req.getVariablesMap();
      for (const [k, v] of Object.entries(config)) vars.set(k, v);
      req.setAcceptsecrets(true);
      req.setAcceptresources(true);
      await call("configure", "", client.configure, req);
    },

    async check(urn, olds, news) {
      const req = new provproto.CheckRequest();
      req.setUrn(urn);
      req.setOlds(toStruct(olds, "olds"));
      req.setNews(toStruct(news, "news"));
      const res = await call("check", urn, client.check, req);
      return {
        inputs: fromStruct(res.getInputs()),
        failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
      };
    },

    async diff(id, urn, olds, news, oldInputs) {
      const req = new provproto.DiffRequest();
      req.setId(id);
      req.setUrn(urn);
      req.setOlds(toStruct(olds, "olds"));
      req.setNews(toStruct(news, "news"));
      if (oldInputs) req.setOldInputs(toStruct(oldInputs, "oldInputs"));
      const res = await call("diff", urn, client.diff, req);
      const changesCode = res.getChanges();
      const result: DiffResult = {
        changes:
          changesCode === provproto.DiffResponse.DiffChanges.DIFF_SOME
            ? true
            : changesCode === provproto.DiffResponse.DiffChanges.DIFF_NONE
              ? false
              : undefined,
        replaces: res.getReplacesList(),
        diffs: res.getDiffsList(),
        deleteBeforeReplace: res.getDeletebeforereplace(),
      };
      if (res.getHasdetaileddiff()) {
        const detailed: NonNullable<DiffResult["detailedDiff"]> = {};
        res.getDetaileddiffMap().forEach((v, k) => {
          detailed[k] = { kind: propertyDiffKinds[v.getKind()] ?? "update", inputDiff: v.getInputdiff() };
        });
        result.detailedDiff = detailed;
      }
      return result;
    },

    async create(urn, inputs, options) {
      if (options?.preview) return { id: "", outs: { ...inputs } };
      const req = new provproto.CreateRequest();
      req.setUrn(urn);
      req.setProperties(toStruct(inputs, "inputs"));
      const res = await call("create", urn, client.create, req);
      return { id: res.getId(), outs: fromStruct(res.getProperties()) };
    },

    async read(id, urn, props, inputs) {
      const req = new provproto.ReadRequest();
      req.setId(id);
      req.setUrn(urn);
      req.setProperties(toStruct(props, "props"));
      if (inputs) req.setInputs(toStruct(inputs, "inputs"));
      const res = await call("read", urn, client.read, req);
      return {
        id: res.getId(),
        props: fromStruct(res.getProperties()),
        inputs: res.hasInputs() ? fromStruct(res.getInputs()) : undefined,
      };
    },

    async update(id, urn, olds, news, oldInputs) {
      const req = new provproto.UpdateRequest();
      req.setId(id);
      req.setUrn(urn);
      req.setOlds(toStruct(olds, "olds"));
      req.setNews(toStruct(news, "news"));
      if (oldInputs) req.setOldInputs(toStruct(oldInputs, "oldInputs"));
      const res = await call("update", urn, client.update, req);
      return { outs: fromStruct(res.getProperties()) };
    },

    async delete(id, urn, props) {
      const req = new provproto.DeleteRequest();
      req.setId(id);
      req.setUrn(urn);
      req.setProperties(toStruct(props, "props"));
      await call("delete", urn, client.delete, req);
    },

    stderr: output,

    async close() {
      client.close();
      if (exited) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill("SIGTERM");
      });
    },
  };
}
