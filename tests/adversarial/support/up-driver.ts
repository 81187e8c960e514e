/**
 * `up` of the program in argv[2] with the state file argv[3] and config argv[4..], without its preview
 * (`skipPreview`: the kill test kills `up` itself), printing each line as it comes. The kill test kills this
 * process's whole group (driver, worker, provider host) with SIGKILL.
 */
import { runLifecycle } from "../../../runner";

const [cwd, statePath, ...config] = process.argv.slice(2);
runLifecycle("up", {
  cwd: cwd as string,
  statePath,
  config,
  skipPreview: true,
  onLine: (l) => void process.stdout.write(`${l}\n`),
}).then(
  (r) => {
    process.stdout.write(
      `__result__ ${JSON.stringify({ ok: r.ok, errors: r.errors, summary: r.summary })}\n`,
    );
    process.exitCode = r.exitCode;
  },
  (e: unknown) => {
    process.stderr.write(`${String(e)}\n`);
    process.exitCode = 1;
  },
);
