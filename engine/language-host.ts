/**
 * A Node.js language host for the Pulumi CLI (`pulumi-language-nodejs`), for the engine test tier only.
 *
 * Why it exists: the engine tier builds the Pulumi CLI from its Go modules (engine/build-cli.sh). The CLI is
 * served by the Go module proxy (`github.com/pulumi/pulumi/pkg/v3`), but Pulumi's own Node.js language host
 * (`github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3`) is not: the proxy answers 403 "This
 * module version is not available" for every version. The engine talks to a language host over Pulumi's
 * LanguageRuntime gRPC service (proto/pulumi/language.proto), and the program itself is run by
 * `@pulumi/pulumi/cmd/run` of the program's own @pulumi/pulumi, so this host does what the engine asks of one:
 *
 * - `Run`: starts `node <program's @pulumi/pulumi>/cmd/run` with the monitor and engine addresses, project,
 *   stack, organization, root directory, dry-run and parallelism as flags, the stack config as
 *   `PULUMI_CONFIG` / `PULUMI_CONFIG_SECRET_KEYS`, and TypeScript on unless the runtime option
 *   `typescript: false` says otherwise; exit code 32 (the SDK has already reported the error) is a bail.
 * - `RunPlugin`: starts a Node.js plugin; for a policy pack (`kind` analyzer) that is
 *   `@pulumi/pulumi/cmd/run-policy-pack <engine> <pack folder>`, as the engine does for packs whose runtime
 *   has a language host. Output is streamed back; the engine reads the pack's port from it.
 * - `GetRequiredPackages`/`GetRequiredPlugins`: none (dynamic resources use the bundled `pulumi-nodejs`
 *   provider, found beside the CLI); `GetPluginInfo`, `Handshake`, `About`, `GetProgramDependencies`,
 *   `Cancel`: minimal answers. Everything else answers UNIMPLEMENTED, which the engine handles.
 *
 * It is written from the protocol's definition and the SDK's `cmd/run` usage text; it is not Pulumi's host.
 * Usage (as the engine starts it): `pulumi-language-nodejs [flags…] <engine address>`; it prints its port.
 */
import { spawn } from "child_process";
import { createRequire } from "module";
import type * as GrpcModule from "@grpc/grpc-js";

const requireFromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc = requireFromPulumi("@grpc/grpc-js") as typeof GrpcModule;
/* eslint-disable @typescript-eslint/no-explicit-any */
const languageGrpc = requireFromPulumi("./proto/language_grpc_pb") as { LanguageRuntimeService: any };
const languagePb = requireFromPulumi("./proto/language_pb") as any;
const pluginPb = requireFromPulumi("./proto/plugin_pb") as any;
const emptyPb = requireFromPulumi("google-protobuf/google/protobuf/empty_pb") as any;

/** The exit code with which @pulumi/pulumi's `cmd/run` says it has already reported the error. */
const ALREADY_REPORTED = 32;
const VERSION = "3.276.0";

interface ProgramInfo {
  rootDirectory: string;
  programDirectory: string;
  entryPoint: string;
  options: Record<string, unknown>;
}

function programInfo(info: any): ProgramInfo {
  const options = info?.getOptions?.();
  return {
    rootDirectory: info?.getRootDirectory?.() ?? "",
    programDirectory: info?.getProgramDirectory?.() ?? "",
    entryPoint: info?.getEntryPoint?.() ?? ".",
    options: options ? (options.toJavaScript() as Record<string, unknown>) : {},
  };
}

/** Resolves `@pulumi/pulumi/<sub>` as the program in `dir` would. */
function resolvePulumi(sub: string, dir: string): string {
  return require.resolve(`@pulumi/pulumi/${sub}`, { paths: [dir] });
}

/** The environment a program or plugin gets: ours, plus the runtime options the real host turns into env. */
function childEnv(info: ProgramInfo, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  // TypeScript through ts-node unless the project's runtime option `typescript: false` says otherwise, as the
  // CLI's own host does. A PULUMI_NODEJS_TYPESCRIPT already set wins: the engine tier sets "false" when the
  // repository's ts-register hook (NODE_OPTIONS) already compiles `.ts` files, with a cache ts-node lacks.
  const ts = info.options.typescript;
  env.PULUMI_NODEJS_TYPESCRIPT ??= ts === false || ts === "false" ? "false" : "true";
  if (typeof info.options.tsconfig === "string") env.PULUMI_NODEJS_TSCONFIG_PATH = info.options.tsconfig;
  return env;
}

function nodeArgs(info: ProgramInfo): string[] {
  const raw = info.options.nodeargs;
  return typeof raw === "string" && raw.trim() !== "" ? raw.trim().split(/\s+/) : [];
}

function run(call: any, callback: (err: Error | null, res?: unknown) => void): void {
  const req = call.request;
  const info = programInfo(req.getInfo());
  const programDir = info.programDirectory || req.getPwd();
  const config: Record<string, string> = {};
  req.getConfigMap().forEach((v: string, k: string) => {
    config[k] = v;
  });
  const args = [
    ...nodeArgs(info),
    resolvePulumi("cmd/run", programDir),
    `--monitor=${req.getMonitorAddress()}`,
    `--engine=${engineAddress}`,
    `--project=${req.getProject()}`,
    `--stack=${req.getStack()}`,
    `--pwd=${req.getPwd() || programDir}`,
  ];
  if (req.getOrganization()) args.push(`--organization=${req.getOrganization()}`);
  if (info.rootDirectory) args.push(`--root-directory=${info.rootDirectory}`);
  if (req.getDryrun()) args.push("--dry-run");
  if (req.getParallel() > 0) args.push(`--parallel=${req.getParallel()}`);
  args.push(info.entryPoint || ".", ...req.getArgsList());
  const env = childEnv(info, {
    PULUMI_CONFIG: JSON.stringify(config),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(req.getConfigsecretkeysList()),
  });
  const child = spawn(process.execPath, args, {
    cwd: programDir,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  child.on("error", (err) => callback(err));
  child.on("exit", (code, signal) => {
    const res = new languagePb.RunResponse();
    if (code === ALREADY_REPORTED) res.setBail(true);
    else if (code !== 0) {
      res.setError(
        signal
          ? `Program exited on signal ${signal}`
          : `Program exited with non-zero exit code: ${String(code)}`,
      );
    }
    callback(null, res);
  });
}

function runPlugin(call: any): void {
  const req = call.request;
  const info = programInfo(req.getInfo());
  const dir = info.programDirectory;
  const extra: Record<string, string> = {};
  for (const kv of req.getEnvList() as string[]) {
    const at = kv.indexOf("=");
    if (at > 0) extra[kv.slice(0, at)] = kv.slice(at + 1);
  }
  const kind = req.getKind();
  let args: string[];
  try {
    args =
      kind === "analyzer"
        ? [resolvePulumi("cmd/run-policy-pack", dir), ...req.getArgsList(), dir]
        : [resolvePulumi("cmd/run-plugin", dir), ...req.getArgsList(), dir];
  } catch (err) {
    call.destroy(
      Object.assign(new Error(`cannot start the ${kind} plugin in ${dir}: ${(err as Error).message}`), {
        code: grpc.status.FAILED_PRECONDITION,
      }),
    );
    return;
  }
  // A policy pack runs in its own folder, as Pulumi's host runs it: @pulumi/policy's PolicyPack reads the
  // pack's version from `<cwd>/package.json`. Other plugins run where the CLI runs.
  const child = spawn(process.execPath, [...nodeArgs(info), ...args], {
    cwd: kind === "analyzer" ? dir : req.getPwd() || dir,
    env: childEnv(info, extra),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const send = (set: "setStdout" | "setStderr", chunk: Buffer): void => {
    const msg = new languagePb.RunPluginResponse();
    msg[set](new Uint8Array(chunk));
    call.write(msg);
  };
  child.stdout.on("data", (c: Buffer) => send("setStdout", c));
  child.stderr.on("data", (c: Buffer) => send("setStderr", c));
  call.on("cancelled", () => child.kill("SIGTERM"));
  child.on("close", (code) => {
    const msg = new languagePb.RunPluginResponse();
    msg.setExitcode(code ?? 1);
    call.write(msg);
    call.end();
  });
}

let engineAddress = "";

function main(argv: string[]): void {
  const positional = argv.filter((a) => !a.startsWith("-"));
  engineAddress = positional[positional.length - 1] ?? "";
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  const unimplemented = (name: string) => (_call: unknown, cb: (err: unknown) => void) =>
    cb({ code: grpc.status.UNIMPLEMENTED, details: `${name} is not implemented by this language host` });
  const handlers: Record<string, unknown> = {};
  for (const name of Object.keys(languageGrpc.LanguageRuntimeService)) handlers[name] = unimplemented(name);
  Object.assign(handlers, {
    handshake: (_call: unknown, cb: (e: null, r: unknown) => void) =>
      cb(null, new languagePb.LanguageHandshakeResponse()),
    getRequiredPlugins: (_call: unknown, cb: (e: null, r: unknown) => void) =>
      cb(null, new languagePb.GetRequiredPluginsResponse()),
    getRequiredPackages: (_call: unknown, cb: (e: null, r: unknown) => void) =>
      cb(null, new languagePb.GetRequiredPackagesResponse()),
    getPluginInfo: (_call: unknown, cb: (e: null, r: unknown) => void) => {
      const res = new pluginPb.PluginInfo();
      res.setVersion(VERSION);
      cb(null, res);
    },
    about: (_call: unknown, cb: (e: null, r: unknown) => void) => {
      const res = new languagePb.AboutResponse();
      res.setExecutable(process.execPath);
      res.setVersion(process.version);
      cb(null, res);
    },
    getProgramDependencies: (_call: unknown, cb: (e: null, r: unknown) => void) =>
      cb(null, new languagePb.GetProgramDependenciesResponse()),
    cancel: (_call: unknown, cb: (e: null, r: unknown) => void) => cb(null, new emptyPb.Empty()),
    run,
    runPlugin,
  });
  server.addService(languageGrpc.LanguageRuntimeService, handlers as GrpcModule.UntypedServiceImplementation);
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) {
      process.stderr.write(`pulumi-language-nodejs: cannot listen: ${err.message}\n`);
      process.exit(1);
    }
    process.stdout.write(`${port}\n`);
  });
  const stop = (): void => {
    server.forceShutdown();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main(process.argv.slice(2));
