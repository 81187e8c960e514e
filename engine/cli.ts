/**
 * Where the engine tier's Pulumi CLI lives: engine/build-cli.sh builds it into
 * `<cache>/<version>/bin` (cache: $PULUMI_CLI_CACHE, else `<repo>/.cache/pulumi-cli`), the version being the
 * one engine/pulumi-cli/go.mod requires.
 */
import * as fs from "fs";
import * as path from "path";

const repoRoot = path.resolve(__dirname, "..");

/** The pinned `github.com/pulumi/pulumi/pkg/v3` version, e.g. `v3.276.0`. */
export function pinnedVersion(): string {
  const goMod = fs.readFileSync(path.join(repoRoot, "engine", "pulumi-cli", "go.mod"), "utf8");
  const m = /^require github\.com\/pulumi\/pulumi\/pkg\/v3 (v\d+\.\d+\.\d+)$/m.exec(goMod);
  if (!m?.[1]) throw new Error("engine/pulumi-cli/go.mod does not pin github.com/pulumi/pulumi/pkg/v3");
  return m[1];
}

/** The folder holding `pulumi` and the launchers of the pinned version; throws, naming the fix, if absent. */
export function cliBinDir(): string {
  const cache = process.env.PULUMI_CLI_CACHE || path.join(repoRoot, ".cache", "pulumi-cli");
  const bin = path.join(cache, pinnedVersion(), "bin");
  if (!fs.existsSync(path.join(bin, "pulumi"))) {
    throw new Error(
      `no Pulumi CLI in ${bin}: run \`bash engine/build-cli.sh\` (npm run test:engine runs it)`,
    );
  }
  return bin;
}
