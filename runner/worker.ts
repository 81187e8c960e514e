/**
 * Child-process entry: runs exactly one lifecycle command (the Pulumi SDK keeps global state, so a process
 * runs one program once). Started by ./index.ts with the options as JSON in argv[2]; prints the command's
 * output on stdout and sends the {@link RunResult} to the parent over the IPC channel.
 */
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import { checkCredentials, explainUnauthorized } from "./credentials";
import { explainProgramError, runEngine, type EngineOptions, type RunResult } from "./engine";
import { readProject } from "./project";
import { readStateFile } from "./state";

type WorkerOptions = Omit<EngineOptions, "print">;

/**
 * Programs are TypeScript. From the repository's sources the ts-register hook is already loaded; from an
 * installed copy, use the program's own `typescript` to transpile on load, as Pulumi's language host does.
 */
function ensureTypeScriptLoader(projectDir: string): void {
  // The only synchronous CommonJS load hook (deprecated in name only).
  const extensions = require.extensions;
  if (extensions[".ts"]) return;
  let ts: { transpileModule(src: string, o: unknown): { outputText: string } };
  try {
    ts = createRequire(path.join(projectDir, "noop.js"))("typescript") as typeof ts;
  } catch {
    return; // a JavaScript program needs no loader
  }
  extensions[".ts"] = (module, filename) => {
    const out = ts.transpileModule(fs.readFileSync(filename, "utf8"), {
      compilerOptions: { module: 1 /* CommonJS */, target: 9 /* ES2022 */, esModuleInterop: true },
      fileName: filename,
    });
    (module as unknown as { _compile(src: string, file: string): void })._compile(out.outputText, filename);
  };
}

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? "{}") as WorkerOptions;
  let reported = false;
  // The parent (confluent-iam, or a program calling runLifecycle) is gone before the result: nobody is left
  // to read it, so stop now. Exiting closes the provider host's stdin, and the host stops too
  // (./host-watchdog.ts), instead of going on calling the API for no one.
  process.on("disconnect", () => {
    if (!reported) process.exit(1);
  });
  // Tell the parent which operations are under way, so that a run stopped by its time limit can say so.
  const onOperation = (phase: "start" | "end", what: string): void => {
    if (process.connected) process.send?.({ type: "operation", phase, what });
  };
  const late = new Map<Promise<unknown>, string>();
  // A failed registration also rejects Outputs nobody awaits; the engine has reported the failure already.
  process.on("unhandledRejection", (e, p) =>
    late.set(p, explainProgramError(e instanceof Error ? e.message : String(e))),
  );
  // A rejection handled after all is no error, and with this listener Node prints no
  // PromiseRejectionHandledWarning about it.
  process.on("rejectionHandled", (p) => late.delete(p));
  ensureTypeScriptLoader(path.resolve(opts.cwd));
  let result: RunResult;
  try {
    // First of all, before the credential check's call: a state file that is not JSON, or is another stack's
    // or project's, is refused (the engine would read it only after that call).
    const project = readProject(path.resolve(opts.cwd));
    const stack = opts.stack ?? "dev";
    readStateFile(
      path.resolve(opts.statePath ?? path.join(project.dir, ".state", `${stack}.json`)),
      project.name,
      stack,
    );
    // Before anything is planned: credentials configured and, at a preview the user asked for (not the one
    // `up` runs first, the gate), accepted: a no-change `up` makes no API call.
    await checkCredentials({ ...opts, command: opts.gate === true ? "up" : opts.command });
    result = await runEngine({
      ...opts,
      print: (line) => process.stdout.write(line + "\n"),
      onOperation,
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    process.stdout.write(`error: ${message}\n`);
    result = {
      command: opts.command,
      ok: false,
      steps: [],
      summary: { create: 0, update: 0, replace: 0, delete: 0, same: 0, read: 0, failed: 0 },
      outputs: {},
      violations: [],
      errors: [message],
    };
  }
  const unauthorized = explainUnauthorized(opts, [
    ...result.errors,
    ...result.steps.map((s) => s.error ?? ""),
  ]);
  if (unauthorized !== undefined && !result.errors.includes(unauthorized)) {
    result.ok = false;
    result.errors.push(unauthorized);
    process.stdout.write(`error: ${unauthorized}\n`);
  }
  if (result.ok && late.size > 0) {
    result.ok = false;
    const distinct = [...new Set(late.values())];
    result.errors.push(...distinct);
    for (const l of distinct) process.stdout.write(`error: ${l}\n`);
  }
  reported = true;
  await new Promise<void>((resolve) => {
    if (process.send) process.send({ type: "result", result }, () => resolve());
    else resolve();
  });
  process.exitCode = result.ok ? 0 : 1;
  // Leftover handles (the SDK's timers) must not keep a finished command alive.
  setTimeout(() => process.exit(process.exitCode ?? 0), 100).unref();
  process.disconnect?.();
}

void main();
