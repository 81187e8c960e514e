/**
 * The plumbing the runner's two gRPC clients share: ./host.ts (Pulumi's dynamic-provider host) and
 * ./analyzer.ts (a policy pack). Both start a Node program of @pulumi/pulumi as a child process that prints
 * the port it serves on as its first stdout line, talk to it with unary calls under a deadline, and send
 * property bags as `google.protobuf.Struct`.
 *
 * The generated stubs in @pulumi/pulumi/proto check messages with `instanceof` and were built against
 * particular copies of grpc-js and google-protobuf; a different copy (e.g. google-protobuf 4.x hoisted to the
 * root) produces messages the stubs cannot serialize. So both are loaded from @pulumi/pulumi's location.
 */
import { spawn, type ChildProcess } from "child_process";
import { createRequire } from "module";
import type * as GrpcModule from "@grpc/grpc-js";
import type * as StructModule from "google-protobuf/google/protobuf/struct_pb";
import type { PropertyMap } from "../protocol";

/** `require` as @pulumi/pulumi itself resolves modules. */
export const requireFromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json"));
/** @pulumi/pulumi's copy of @grpc/grpc-js. */
export const grpc = requireFromPulumi("@grpc/grpc-js") as typeof GrpcModule;
/** @pulumi/pulumi's copy of google-protobuf's Struct. */
export const structpb = requireFromPulumi("google-protobuf/google/protobuf/struct_pb") as typeof StructModule;

type JsonValue = StructModule.JavaScriptValue;

/**
 * The largest gRPC message the runner's clients take: the Pulumi engine's and SDK's limit (400 MiB,
 * @pulumi/pulumi runtime/settings.js `maxRPCMessageSize`), not grpc-js's default of 4 MiB. With the
 * default, a provider's answer to Check that echoes a 5 MB input failed as "Received message larger than
 * max" instead of giving the provider's own message about that input.
 */
export const CLIENT_OPTIONS = { "grpc.max_receive_message_length": 400 * 1024 * 1024 } as const;

/**
 * A value as `Struct.fromJavaScript` takes it. That function throws "Unexpected struct type" on `undefined`
 * (and on anything that is not JSON), so an `undefined` member is left out and an `undefined` array element
 * becomes `null`, as `JSON.stringify` does.
 *
 * NaN and ±Infinity are refused, naming where they are. Pulumi's own SDK passes them on (a Struct number
 * is an IEEE double), but its engine could not write them to a JSON checkpoint until pulumi/pulumi#20843
 * (2025), and this runner's state is JSON, where `JSON.stringify` would silently turn them into `null`. The
 * same rule holds for the provider host and the policy pack, so a value a policy judged is a value that can
 * be stored.
 */
export function toJsonValue(v: unknown, where: string): JsonValue {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) {
      throw new TypeError(
        `${where}: ${String(v)} cannot be sent over the wire (state is JSON, which has no NaN or ` +
          `Infinity); use a finite number, or a string`,
      );
    }
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

/** A property bag as a Struct (see {@link toJsonValue}); `where` names it in errors (`news`, `properties`). */
export function toStruct(props: PropertyMap, where: string): StructModule.Struct {
  return structpb.Struct.fromJavaScript(toJsonValue(props, where) as Record<string, JsonValue>);
}

/** A Struct as a property bag; an absent one is empty. */
export function fromStruct(s: StructModule.Struct | undefined): PropertyMap {
  return s ? (s.toJavaScript() as PropertyMap) : {};
}

/** A generated client's unary method. */
export type Unary<Req, Res> = (
  req: Req,
  metadata: GrpcModule.Metadata,
  options: Partial<GrpcModule.CallOptions>,
  callback: (err: GrpcModule.ServiceError | null, res: Res) => void,
) => GrpcModule.ClientUnaryCall;

/** Calls `method` of `client` with a deadline `timeoutMs` from now; rejects with the gRPC ServiceError. */
export function unary<Req, Res>(
  client: GrpcModule.Client,
  method: Unary<Req, Res>,
  req: Req,
  timeoutMs: number,
): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    const deadline = new Date(Date.now() + timeoutMs);
    method.call(client, req, new grpc.Metadata(), { deadline }, (err, res) =>
      err ? reject(err) : resolve(res),
    );
  });
}

/** Options of {@link startPortServer}. */
export interface PortServerOptions {
  /** What the child is, for error messages: `dynamic-provider host`, `policy pack`. */
  what: string;
  /** The script and its arguments (run with this Node). */
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /**
   * `pipe` holds the write end of the child's stdin open (and never writes): it reads end-of-file when this
   * process ends, however it ends (see ./host-watchdog.ts).
   */
  stdin: "pipe" | "ignore";
  /** How long to wait for the port line. */
  startTimeoutMs: number;
  /** Gets what the child prints: all of stderr, and stdout after the port line, as it comes. */
  onOutput?: (stream: "stdout" | "stderr", text: string) => void;
  /** Called when one of the child's output streams ends. */
  onEnd?: (stream: "stdout" | "stderr") => void;
}

/** A child process serving gRPC on 127.0.0.1. */
export interface PortServer {
  readonly child: ChildProcess;
  /** The port it printed. */
  readonly port: number;
  /** Whether it has exited (or never started). */
  exited(): boolean;
  /** SIGTERM, then SIGKILL after 5 s; resolves once it has exited. */
  stop(): Promise<void>;
}

/** How much of the child's output an error message quotes (the end of it). */
const OUTPUT_TAIL = 16_384;
/** How long a stopped child gets between SIGTERM and SIGKILL. */
const KILL_AFTER_MS = 5_000;

/**
 * Starts `node <args>` and waits for its first stdout line, the port it serves on. If it exits, cannot be
 * started, prints something else or nothing in time, it is stopped and the error quotes the end of what it
 * printed.
 */
export async function startPortServer(opts: PortServerOptions): Promise<PortServer> {
  const child = spawn(process.execPath, opts.args, {
    cwd: opts.cwd,
    env: opts.env,
    stdio: [opts.stdin, "pipe", "pipe"],
  });
  let tail = "";
  const output = (stream: "stdout" | "stderr", text: string): void => {
    tail = (tail + text).slice(-OUTPUT_TAIL);
    opts.onOutput?.(stream, text);
  };
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (d: string) => output("stderr", d));
  child.stderr?.on("end", () => opts.onEnd?.("stderr"));

  let hasExited = false;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", () => {
      hasExited = true;
      resolve();
    });
    // A child that failed to spawn emits "error" and never "exit".
    child.on("error", () => {
      if (child.pid === undefined) {
        hasExited = true;
        resolve();
      }
    });
  });
  const stop = async (): Promise<void> => {
    if (hasExited) return;
    const timer = setTimeout(() => child.kill("SIGKILL"), KILL_AFTER_MS);
    child.kill("SIGTERM");
    await exit;
    clearTimeout(timer);
  };

  let port: number;
  try {
    port = await waitForPort(child, opts, output, () => tail);
  } catch (e) {
    await stop();
    throw e;
  }
  return { child, port, exited: () => hasExited, stop };
}

function waitForPort(
  child: ChildProcess,
  opts: PortServerOptions,
  output: (stream: "stdout", text: string) => void,
  tail: () => string,
): Promise<number> {
  const { what, startTimeoutMs } = opts;
  return new Promise<number>((resolve, reject) => {
    let first = "";
    const finish = (error: Error | undefined, port = 0): void => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
      child.off("error", onError);
      if (error) reject(error);
      else resolve(port);
    };
    const onData = (d: string): void => {
      first += d;
      const nl = first.indexOf("\n");
      if (nl < 0) return;
      const line = first.slice(0, nl);
      const rest = first.slice(nl + 1);
      // From here on stdout is the child's own output.
      child.stdout?.on("data", (x: string) => output("stdout", x));
      child.stdout?.on("end", () => opts.onEnd?.("stdout"));
      if (rest) output("stdout", rest);
      const port = Number(line.trim());
      if (Number.isInteger(port) && port > 0) finish(undefined, port);
      else finish(new Error(`${what} printed "${line}" instead of its port`));
    };
    const onExit = (code: number | null, signal: string | null): void =>
      finish(new Error(`${what} exited (${signal ?? `code ${code}`}) before serving:\n${tail()}`));
    const onError = (error: Error): void =>
      finish(new Error(`${what} could not be started: ${error.message}`));
    const timer = setTimeout(
      () => finish(new Error(`${what} printed no port within ${startTimeoutMs} ms:\n${tail()}`)),
      startTimeoutMs,
    );
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
    child.once("error", onError);
  });
}
