/**
 * `npm run demo`: the quickstart (the root Pulumi.yaml) end to end on a fresh machine, with nothing but this
 * repository installed: start the local Confluent Cloud emulator, `up`, `up` again (no changes), show the
 * outputs (the API key's secret masked), stop the emulator. State goes to a temporary file.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator } from "../emulator";
import { runLifecycle, type LifecycleResult } from "./index";

const repoRoot = path.resolve(__dirname, "..");

function fail(step: string, r: LifecycleResult): never {
  throw new Error(`${step} failed (exit ${r.exitCode}): ${r.errors.join("; ") || r.stderr.trim()}`);
}

async function main(): Promise<void> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "confluent-iam-demo-"));
  const emulator = await startEmulator({ port: 0 });
  const say = (line: string): void => void process.stdout.write(line + "\n");
  say(
    `Started the Confluent Cloud emulator at ${emulator.url} (demo credentials, nothing leaves this machine).`,
  );
  try {
    const opts = {
      cwd: repoRoot,
      statePath: path.join(stateDir, "dev.json"),
      env: {
        ...process.env,
        CONFLUENT_CLOUD_ENDPOINT: emulator.url,
        CONFLUENT_CLOUD_API_KEY: emulator.apiKey,
        CONFLUENT_CLOUD_API_SECRET: emulator.apiSecret,
        // The state keeps the API key's secret encrypted with a passphrase; the demo's own (not a secret).
        PULUMI_CONFIG_PASSPHRASE: "demo-passphrase-not-a-secret",
      },
      onLine: (line: string) => say(`  ${line}`),
    };
    say("");
    say("== up: create the quickstart's service account, Cloud API key and role binding");
    const first = await runLifecycle("up", opts);
    if (!first.ok) fail("up", first);
    say("");
    say("== up again: everything already matches, so nothing changes");
    const second = await runLifecycle("up", opts);
    if (!second.ok) fail("second up", second);
    const changed = second.steps.length;
    say("");
    say(
      changed === 0
        ? "The second up changed nothing."
        : `The second up unexpectedly made ${changed} change(s).`,
    );
    say("Stack outputs (secrets masked):");
    for (const [k, v] of Object.entries(second.outputs))
      say(`  ${k} = ${typeof v === "string" && v.startsWith("[") ? v : JSON.stringify(v)}`);
    if (changed !== 0) process.exitCode = 1;
  } finally {
    await emulator.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
    say("");
    say("Stopped the emulator.");
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
