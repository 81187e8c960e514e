/**
 * Drives Pulumi's own dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`, the program the engine
 * launches as the `pulumi-resource-pulumi-nodejs` plugin) over gRPC, without the Pulumi CLI.
 *
 * The host is spawned as a child process; it prints its port on the first stdout line and never dials the
 * engine address it is given. Values cross the wire as `google.protobuf.Struct`, with Pulumi's sentinels for
 * secrets and unknowns (defined in protocol/, re-exported below); the spawn/port/Struct plumbing is ./grpc.ts.
 */
import * as fs from "fs";
import * as path from "path";
import type * as GrpcModule from "@grpc/grpc-js";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import type {
  CheckResult,
  CreateResult,
  HostDiffResult,
  PropertyDiffKind,
  PropertyMap,
  ReadResult,
  UpdateResult,
} from "../protocol";
import {
  CLIENT_OPTIONS,
  fromStruct,
  grpc,
  requireFromPulumi,
  startPortServer,
  toStruct,
  unary,
  type PortServer,
  type Unary,
} from "./grpc";

// The wire format is defined once, in protocol/. Re-exported whole because this module's API speaks it
// (callers written against `runner/host` keep compiling); new code imports ../protocol.

/** Result of Diff through the host (see {@link HostDiffResult}). */
export type DiffResult = HostDiffResult;

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

/** Spawns the host and waits for its port line. */
async function spawnHost(opts: ProviderHostOptions): Promise<{ server: PortServer; output: () => string }> {
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

  let output = "";
  const lineBuffers = { stdout: "", stderr: "" };
  const emit = (stream: "stdout" | "stderr", chunk: string, flush: boolean): void => {
    output += chunk;
    lineBuffers[stream] += chunk;
    const lines = lineBuffers[stream].split("\n");
    lineBuffers[stream] = flush ? "" : (lines.pop() ?? "");
    for (const line of lines) if (line !== "" || !flush) opts.onOutput?.(line, stream);
  };
  const server = await startPortServer({
    what: "dynamic-provider host",
    // The single argument is the engine's address; the host only checks that it is present.
    args: [hostJs, "127.0.0.1:1"],
    cwd: opts.cwd ?? process.cwd(),
    env,
    stdin: "pipe",
    startTimeoutMs: opts.startTimeoutMs ?? 30000,
    onOutput: (stream, text) => emit(stream, text, false),
    onEnd: (stream) => emit(stream, "", true),
  });
  return { server, output: () => output };
}

/** Starts Pulumi's dynamic-provider host and returns a typed client for it. */
export async function startProviderHost(opts: ProviderHostOptions = {}): Promise<ProviderHost> {
  const { server, output } = await spawnHost(opts);
  const { child, port } = server;
  const client = new provrpc.ResourceProviderClient(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
    CLIENT_OPTIONS,
  );
  const callTimeoutMs = opts.callTimeoutMs ?? 600_000;

  async function call<Req, Res>(
    operation: string,
    urn: string,
    method: Unary<Req, Res>,
    req: Req,
  ): Promise<Res> {
    try {
      return await unary(client, method, req, callTimeoutMs);
    } catch (e) {
      const err = e as GrpcModule.ServiceError;
      const detail = initFailure(err);
      if (detail) {
        throw new ResourceInitError(
          operation,
          urn,
          err.details,
          detail.getId(),
          fromStruct(detail.getProperties()),
          detail.getReasonsList(),
        );
      }
      throw new ProviderCallError(operation, urn, err.code, err.details || err.message);
    }
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
      await server.stop();
    },
  };
}
