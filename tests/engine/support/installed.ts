/**
 * The installed project of the engine tier: a folder where `npm install` put this repository's `npm pack`
 * tarball with @pulumi/pulumi, typescript and @types/node, made by the installed-package check
 * (scripts/installed-check.ts) run with INSTALLED_CHECK_DIR, which keeps it. Programs run there have no
 * ts-register hook: ts-node compiles them, and `pulumi-confluent-iam` is the package's compiled dist/, as a
 * user has it. It is rebuilt when the sources that ship (see {@link sourceFingerprint}) changed since.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { engineEnv, repoRoot, runCommand } from "./engine";

/** What goes into the tarball: a change to any of these makes the installed project stale. */
const SHIPPED = [
  "sdk",
  "provider",
  "policy",
  "policy-pack",
  "runner",
  "protocol",
  "emulator",
  "package.json",
  "tsconfig.build.json",
];

function filesUnder(p: string): string[] {
  const stat = fs.statSync(p, { throwIfNoEntry: false });
  if (!stat) return [];
  if (!stat.isDirectory()) return [p];
  return fs
    .readdirSync(p)
    .filter((name) => !["node_modules", ".state", ".emulator-data"].includes(name))
    .sort()
    .flatMap((name) => filesUnder(path.join(p, name)));
}

/** A hash of the shipped sources' paths and contents. */
export function sourceFingerprint(): string {
  const hash = createHash("sha256");
  for (const file of SHIPPED.flatMap((p) => filesUnder(path.join(repoRoot, p)))) {
    hash.update(path.relative(repoRoot, file)).update("\0").update(fs.readFileSync(file)).update("\0");
  }
  return hash.digest("hex");
}

/** Where the installed-package check keeps its folder for the engine tier. */
export const INSTALLED_DIR = path.join(repoRoot, ".cache", "installed");
/** The user's project inside it: package.json, tsconfig.json and node_modules. */
export const INSTALLED_PROJECT = path.join(INSTALLED_DIR, "project");

const FINGERPRINT = path.join(INSTALLED_DIR, "sources.sha256");

function isInstalled(): boolean {
  return fs.existsSync(path.join(INSTALLED_PROJECT, "node_modules", "pulumi-confluent-iam", "package.json"));
}

function isCurrent(fingerprint: string): boolean {
  return isInstalled() && fs.existsSync(FINGERPRINT) && fs.readFileSync(FINGERPRINT, "utf8") === fingerprint;
}

/**
 * The installed project, made by `INSTALLED_CHECK_DIR=.cache/installed npm run -s test:installed` when it
 * is not there yet or was made from other sources (several minutes: npm pack builds dist/, then npm
 * install). Throws with the check's output when the check fails.
 */
export async function installedProject(): Promise<string> {
  const fingerprint = sourceFingerprint();
  if (isCurrent(fingerprint)) return INSTALLED_PROJECT;
  const env = engineEnv("installed", { INSTALLED_CHECK_DIR: INSTALLED_DIR });
  // engineEnv drops npm's variables; keep the ones that say how to reach the registry.
  for (const k of ["npm_config_registry", "npm_config_cache", "npm_config_userconfig"]) {
    if (process.env[k]) env[k] = process.env[k];
  }
  const r = await runCommand("npm", ["run", "-s", "test:installed"], {
    cwd: repoRoot,
    env,
    timeoutMs: 25 * 60_000,
  });
  if (r.code !== 0 || !isInstalled()) {
    throw new Error(`the installed-package check did not make ${INSTALLED_PROJECT}:\n${r.output}`);
  }
  fs.writeFileSync(FINGERPRINT, fingerprint);
  return INSTALLED_PROJECT;
}
