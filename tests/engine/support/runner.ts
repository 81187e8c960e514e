/** The runner (`confluent-iam`) from this repository's sources, as a user runs it, for the engine tier. */
import * as path from "path";
import { PASSPHRASE, repoRoot, runCommand, type CommandResult } from "./engine";

/** `confluent-iam <args>` in `cwd` against the given emulator. */
export function confluentIam(
  args: string[],
  opts: {
    cwd: string;
    emulator: { url: string; apiKey: string; apiSecret: string };
    env?: Record<string, string>;
  },
): Promise<CommandResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith("npm_") || k.startsWith("JEST_")) delete env[k];
  delete env.NODE_OPTIONS;
  Object.assign(env, {
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    CONFLUENT_CLOUD_ENDPOINT: opts.emulator.url,
    CONFLUENT_CLOUD_API_KEY: opts.emulator.apiKey,
    CONFLUENT_CLOUD_API_SECRET: opts.emulator.apiSecret,
    ...opts.env,
  });
  return runCommand(
    process.execPath,
    [
      "-r",
      path.join(repoRoot, "scripts", "ts-register.js"),
      path.join(repoRoot, "runner", "cli.ts"),
      ...args,
    ],
    { cwd: opts.cwd, env, timeoutMs: 300_000 },
  );
}
