// The test tiers: every test file of tests/ belongs to exactly one, by its folder or by name.
//
// - unit: no server, no child process (scripts/tier-guard.js makes either fail the file);
// - emulator: servers in the test's own process (the emulator, a scripted server), no child process;
// - process: the lifecycle runner, the dynamic-provider host, the policy analyzer, kills;
// - examples: the examples/ programs, each run through its lifecycle.
//
// tests/engine/ (the real Pulumi CLI) is no jest tier here: `npm run test:engine` runs it. jest.config.js
// builds one jest project per tier; jest.quick.config.js builds `unit` and the smoke files of the others.
// A test file in no tier, or a listed file that does not exist, stops every jest run with a message naming
// it: add a new file to a folder below or to one list.
"use strict";
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");

/** Folders never run by these tiers (their own script runs them). */
const EXCLUDED_FOLDERS = ["tests/engine/"];

/**
 * Each tier: `folders` (every test file under one belongs to the tier, unless a list names it elsewhere),
 * `files` (by name; a name wins over a folder), and `smoke` (the files `npm run test:quick` runs of it).
 */
const TIERS = {
  unit: {
    folders: ["tests/policy/"],
    files: [
      "tests/coverage.test.ts",
      "tests/invariants.test.ts",
      "tests/provider/adapter.test.ts",
      "tests/provider/api-key-rotation-plan.test.ts",
      "tests/provider/check-property.test.ts",
      "tests/provider/compare.test.ts",
      "tests/provider/create-denied.test.ts",
      "tests/provider/create.test.ts",
      "tests/provider/fields.test.ts",
      "tests/provider/input-rules.test.ts",
      "tests/provider/openapi-annotations.test.ts",
      "tests/provider/operations.test.ts",
      "tests/provider/recorded.test.ts",
      "tests/provider/wire.test.ts",
      "tests/runner/args.test.ts",
      "tests/runner/delete-order-run.test.ts",
      "tests/runner/delete-order.test.ts",
      "tests/runner/grpc.test.ts",
      "tests/runner/monitor.test.ts",
      "tests/runner/passphrase.test.ts",
      "tests/runner/plan-rule.test.ts",
      "tests/runner/plan.test.ts",
      "tests/runner/progress.test.ts",
      "tests/runner/render-closing.test.ts",
      "tests/runner/render.test.ts",
      "tests/runner/state-writer.test.ts",
      "tests/runner/state.test.ts",
      "tests/scripts/installed-check.test.ts",
      "tests/scripts/registry.test.ts",
      "tests/scripts/test-tiers.test.ts",
      "tests/sdk/adopt.test.ts",
      "tests/sdk/classes.test.ts",
      "tests/sdk/serialization.test.ts",
    ],
    smoke: [],
  },
  emulator: {
    folders: ["tests/emulator/", "tests/provider/client/"],
    files: [
      "tests/bench/acted-proxy.test.ts",
      "tests/bench/anchor.test.ts",
      "tests/provider/adopt-composite.test.ts",
      "tests/provider/azure-gone.test.ts",
      "tests/provider/calls.test.ts",
      "tests/provider/data-safety.test.ts",
      "tests/provider/gone.test.ts",
      "tests/provider/unknown-outcome.test.ts",
      "tests/sdk/lookups-certificates.test.ts",
      "tests/sdk/lookups-organization.test.ts",
      "tests/sdk/lookups-pim.test.ts",
      "tests/sdk/lookups-specs.test.ts",
      "tests/sdk/lookups-tables.test.ts",
      "tests/sdk/lookups.test.ts",
      "tests/sdk/provider.test.ts",
    ],
    smoke: ["tests/emulator/service-accounts.test.ts"],
  },
  process: {
    // Tests that attack the product (hostile input, kills, lost answers) run the runner and the host.
    folders: ["tests/adversarial/"],
    files: [
      "tests/bench/audit.test.ts",
      "tests/provider/api-key-adopt-secret.test.ts",
      "tests/provider/filter-length.test.ts",
      "tests/provider/inputs-in-outputs.test.ts",
      "tests/provider/oauth.test.ts",
      "tests/provider/provider-oauth-check.test.ts",
      "tests/runner/adopt-key-secret.test.ts",
      "tests/runner/audit-browser.test.ts",
      "tests/runner/audit-findings.test.ts",
      "tests/runner/audit.test.ts",
      "tests/runner/export-kinds.test.ts",
      "tests/runner/oauth-credentials.test.ts",
      "tests/runner/policy-initial-config.test.ts",
      "tests/emulator/test-idp-cli.test.ts",
      "tests/runner/state-identity.test.ts",
      "tests/sdk/provider-oauth.test.ts",
      "tests/bench/adversarial.test.ts",
      "tests/bench/calls.test.ts",
      "tests/bench/export.test.ts",
      "tests/bench/scale.test.ts",
      "tests/bench/soak.test.ts",
      "tests/emulator/cli.test.ts",
      "tests/emulator/data-and-control.test.ts",
      "tests/policy/analyzer.test.ts",
      "tests/policy/preview.test.ts",
      "tests/provider/adopt.test.ts",
      "tests/provider/api-key-kinds.test.ts",
      "tests/provider/api-key-readiness.test.ts",
      "tests/provider/api-key-rotation.test.ts",
      "tests/provider/azure.test.ts",
      "tests/provider/behaviour.test.ts",
      "tests/provider/certificate-authority.test.ts",
      "tests/provider/coalesce.test.ts",
      "tests/provider/faults-extended.test.ts",
      "tests/provider/faults.test.ts",
      "tests/provider/provider-credentials.test.ts",
      "tests/provider/provider-integration-v2.test.ts",
      "tests/provider/recorded-lifecycle.test.ts",
      "tests/provider/released-provider-text.test.ts",
      "tests/provider/resource-owner.test.ts",
      "tests/provider/scenarios.test.ts",
      "tests/runner/adopt.test.ts",
      "tests/runner/cli.test.ts",
      "tests/runner/components.test.ts",
      "tests/runner/credentials.test.ts",
      "tests/runner/engine.test.ts",
      "tests/runner/export.test.ts",
      "tests/runner/host.test.ts",
      "tests/runner/options.test.ts",
      "tests/runner/policy-init.test.ts",
      "tests/runner/providers.test.ts",
      "tests/runner/rbac-lifecycle.test.ts",
      "tests/runner/safety.test.ts",
      "tests/runner/stack-config.test.ts",
      "tests/runner/stack-export.test.ts",
      "tests/runner/stall.test.ts",
      "tests/runner/state-secrets.test.ts",
      "tests/runner/stop.test.ts",
      "tests/scripts/ts-register.test.ts",
      "tests/sdk/lookups-read-lag.test.ts",
    ],
    smoke: ["tests/runner/host.test.ts"],
  },
  examples: {
    folders: ["tests/examples/"],
    files: [],
    smoke: ["tests/examples/smoke.test.ts"],
  },
};

const TIER_NAMES = Object.keys(TIERS);

/** Every test file under tests/ (relative, with forward slashes), not in an excluded folder. */
function testFiles(root = ROOT) {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) {
        if (!EXCLUDED_FOLDERS.includes(`${rel}/`) && e.name !== "node_modules") walk(rel);
      } else if (e.name.endsWith(".test.ts")) out.push(rel);
    }
  };
  walk("tests");
  return out.sort();
}

/** The tier of one test file (relative path), or undefined when it is in none. */
function tierOf(file) {
  const named = TIER_NAMES.filter((t) => TIERS[t].files.includes(file));
  if (named.length > 0) return named[0];
  const byFolder = TIER_NAMES.map((t) => [t, TIERS[t].folders.find((f) => file.startsWith(f))])
    .filter(([, f]) => f !== undefined)
    .sort((a, b) => b[1].length - a[1].length);
  return byFolder.length > 0 ? byFolder[0][0] : undefined;
}

/** What is wrong with the tier lists: files in no tier, named twice, or named but missing. */
function problems(root = ROOT) {
  const files = testFiles(root);
  const out = [];
  for (const f of files) {
    if (tierOf(f) === undefined) {
      out.push(`${f} is in no test tier: add it to a tier's files (or folders) in scripts/test-tiers.js`);
    }
  }
  for (const t of TIER_NAMES) {
    for (const f of [...TIERS[t].files, ...TIERS[t].smoke]) {
      if (!files.includes(f))
        out.push(`${f} is listed in the ${t} tier (scripts/test-tiers.js) but does not exist`);
    }
    for (const f of TIERS[t].smoke) {
      if (tierOf(f) !== t)
        out.push(`${f} is a smoke file of the ${t} tier but belongs to ${tierOf(f) ?? "none"}`);
    }
  }
  for (const f of files) {
    const named = TIER_NAMES.filter((t) => TIERS[t].files.includes(f));
    if (named.length > 1) out.push(`${f} is named in more than one tier: ${named.join(", ")}`);
  }
  return out;
}

/** The test files of each tier, checked: throws naming every file in no tier (or listed but missing). */
function filesByTier(root = ROOT) {
  const wrong = problems(root);
  if (wrong.length > 0) throw new Error(`Test tiers (scripts/test-tiers.js):\n  ${wrong.join("\n  ")}`);
  const by = Object.fromEntries(TIER_NAMES.map((t) => [t, []]));
  for (const f of testFiles(root)) by[tierOf(f)].push(f);
  return by;
}

module.exports = { TIERS, TIER_NAMES, EXCLUDED_FOLDERS, testFiles, tierOf, problems, filesByTier, ROOT };
