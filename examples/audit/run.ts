/**
 * Audits the demo organization (examples/audit/organization.ts) against a local emulator:
 *
 *   npm run -s registry && node -r ./scripts/ts-register.js examples/audit/run.ts [--html FILE] [--sarif FILE]
 *
 * Prints the audit's summary (stdout) and its progress (stderr), as `confluent-iam audit` does, and exits
 * with the audit's exit code (1: mandatory findings).
 */
import { auditCommand } from "../../runner/audit";
import { startDemoOrganization } from "./organization";

/** Runs the audit of the demo organization with `extra` arguments; resolves the exit code. */
export async function runDemoAudit(
  extra: readonly string[],
  io: { out: (s: string) => void; err: (s: string) => void },
): Promise<number> {
  const org = await startDemoOrganization();
  try {
    return await auditCommand(["--state", org.statePath, ...org.configArgs, ...extra], io);
  } finally {
    await org.close();
  }
}

if (require.main === module) {
  void runDemoAudit(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  }).then((code) => {
    process.exitCode = code;
  });
}
