#!/usr/bin/env node
/**
 * `confluent-iam preview|up|refresh|destroy`: the lifecycle of a Pulumi program of this package, for
 * machines where the Pulumi CLI cannot be installed.
 */
import * as fs from "fs";
import * as path from "path";
import { accessCommand } from "./access";
import { auditCommand } from "./audit";
import { flagArgs, readSharedFlag } from "./args";
import { runLifecycle, type Command } from "./index";
import { configCommand } from "./config-command";
import { exportCommand } from "./export";
import { initPolicyPack } from "./policy-init";
import { stackCommand } from "./stack-command";

const HELP = `Usage: confluent-iam <preview|up|refresh|destroy> [options]

Runs a Pulumi program that uses pulumi-confluent-iam through its lifecycle without the Pulumi CLI:
the real @pulumi/pulumi SDK runs the program, Pulumi's own dynamic-provider host runs the provider,
and this runner does the engine's part (diff against saved state, ordering, deletes, secrets).

With the Pulumi CLI installed, use \`pulumi preview\`, \`pulumi up\`, \`pulumi refresh\` and
\`pulumi destroy\` as usual; this runner exists for machines without it (CI without internet access).

Commands:
  preview   show what up would change; changes nothing
  up        create, update, replace and delete so the objects match the program
  refresh   read every object in state and record drift
  destroy   delete every object in state, dependents first
  policy init DIR
            write a policy pack of your own into DIR (new or empty): it selects and configures this
            package's policies and has room for yours
  export --out DIR
            write a program that adopts every object of an organization (export --help)
  audit [--state FILE]... [--html FILE] [--sarif FILE] [--json]
            run the policy pack against the live organization, with the findings only it shows
            (unmanaged objects, orphaned and old keys, idle service accounts, admins, open pools)
            and an access map (audit --help)
  config set [--secret] KEY VALUE | config get KEY
            read and write Pulumi.<stack>.yaml as \`pulumi config\` does (config --help)
  access [--cwd DIR] [--stack NAME] [--state FILE] [--json]
            who holds which role where, from the stack's state: principal, role, scope, binding
  stack export [--stack NAME] [--file F]
            write the stack's state as a Pulumi deployment (stdout, or F) for \`pulumi stack import\`
  stack import [--stack NAME] --file F [--force]
            read a deployment (\`pulumi stack export\`) into the stack's state; --force replaces a
            state that holds resources

Options:
  --cwd DIR           folder with Pulumi.yaml and the program (default: the current folder)
  --stack NAME        stack name (default: dev); config comes from Pulumi.<stack>.yaml
  --config key=value  set a config value (repeatable); unqualified keys get the project's namespace
  --policy-pack DIR   run this policy pack on preview and up; a mandatory violation stops before any change
  --state FILE        state file (default: <cwd>/.state/<stack>.json)
  --parallel N        at most N resource operations at once (default: 10)
  --help              show this help

Credentials: CONFLUENT_CLOUD_API_KEY, CONFLUENT_CLOUD_API_SECRET and CONFLUENT_CLOUD_ENDPOINT in the
environment, or config confluentcloud:cloudApiKey, confluentcloud:cloudApiSecret, confluentcloud:endpoint.

Secrets in state (an API key's secret, secret outputs) are stored encrypted as Pulumi's passphrase secrets
provider does: set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE. The Pulumi CLI opens them
with the same passphrase after \`confluent-iam stack export\` and \`pulumi stack import\`.
`;

const commands: readonly Command[] = ["preview", "up", "refresh", "destroy"];

/** Parsed command line. */
export interface CliArgs {
  /** The command, or undefined with --help. */
  command: Command | undefined;
  /** --cwd */
  cwd: string;
  /** --stack */
  stack: string;
  /** --config, in order. */
  config: string[];
  /** --policy-pack */
  policyPack: string | undefined;
  /** --state */
  statePath: string | undefined;
  /** --parallel */
  parallel: number;
  /** --help */
  help: boolean;
}

/** Parses argv (without node and the script). Throws with a message fit for the user. */
function isFolder(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() === true;
}

export function parseArgs(argv: readonly string[]): CliArgs {
  const out: CliArgs = {
    command: undefined,
    cwd: process.cwd(),
    stack: "dev",
    config: [],
    policyPack: undefined,
    statePath: undefined,
    parallel: 10,
    help: false,
  };
  for (const a of flagArgs(argv)) {
    if (readSharedFlag(a, out)) continue;
    const { arg, flag, value } = a;
    switch (flag) {
      case "--help":
      case "-h":
        out.help = true;
        break;
      case "--policy-pack":
        out.policyPack = path.resolve(value());
        break;
      case "--parallel": {
        const v = value();
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1)
          throw new Error(`--parallel expects a positive integer, got ${JSON.stringify(v)}`);
        out.parallel = n;
        break;
      }
      default:
        if (arg.startsWith("-")) throw new Error(`unknown option ${arg}`);
        if (out.command !== undefined) throw new Error(`unexpected argument ${arg}`);
        if (!(commands as readonly string[]).includes(arg)) {
          throw new Error(`unknown command ${arg}; expected one of ${commands.join(", ")}`);
        }
        out.command = arg as Command;
    }
  }
  if (!out.help && out.command === undefined)
    throw new Error(`a command is required: ${commands.join(", ")}`);
  if (!out.help) {
    // Checked here so a typo reads as a usage error, not as a child process that failed to spawn.
    if (!isFolder(out.cwd)) throw new Error(`--cwd ${out.cwd}: no such folder`);
    if (out.policyPack !== undefined && !isFolder(out.policyPack))
      throw new Error(`--policy-pack ${out.policyPack}: no such folder`);
  }
  return out;
}

/** `policy init DIR`; returns the exit code. */
function policyCommand(argv: readonly string[]): number {
  const [sub, dir, ...rest] = argv;
  if (sub !== "init" || dir === undefined || dir.startsWith("-") || rest.length > 0) {
    process.stderr.write("confluent-iam: usage: confluent-iam policy init DIR\n");
    return 2;
  }
  try {
    const r = initPolicyPack(dir);
    process.stdout.write(
      `wrote policy pack ${r.name} in ${r.dir}: ${r.files.join(", ")}\n` +
        `run it with: pulumi preview --policy-pack ${dir} (or npx confluent-iam preview --policy-pack ${dir})\n`,
    );
    return 0;
  } catch (e) {
    process.stderr.write(`confluent-iam: policy init: ${(e as Error).message}\n`);
    return 1;
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === "policy") {
    process.exitCode = policyCommand(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === "config") {
    process.exitCode = configCommand(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === "export") {
    process.exitCode = await exportCommand(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === "audit") {
    process.exitCode = await auditCommand(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === "stack") {
    process.exitCode = stackCommand(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === "access") {
    process.exitCode = accessCommand(process.argv.slice(3));
    return;
  }
  let args: CliArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`confluent-iam: ${(e as Error).message}\nRun confluent-iam --help for usage.\n`);
    process.exitCode = 2;
    return;
  }
  if (args.help || args.command === undefined) {
    process.stdout.write(HELP);
    return;
  }
  const result = await runLifecycle(args.command, {
    cwd: args.cwd,
    stack: args.stack,
    config: args.config,
    statePath: args.statePath,
    parallel: args.parallel,
    policyPack: args.policyPack,
    onLine: (line) => process.stdout.write(line + "\n"),
  });
  if (result.stderr.trim() !== "") process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
}

if (require.main === module) void main();
