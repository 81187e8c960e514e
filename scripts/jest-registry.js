// jest globalSetup: writes the generated registries (scripts/registry.ts) before any test file loads, so
// `npx jest` right after adding an object file sees it without `npm run registry` first.
"use strict";
const { spawnSync } = require("child_process");
const path = require("path");

module.exports = async function writeRegistries() {
  const root = path.resolve(__dirname, "..");
  const run = spawnSync(
    process.execPath,
    ["-r", path.join(root, "scripts", "ts-register.js"), path.join(root, "scripts", "registry.ts")],
    { cwd: root, encoding: "utf8" },
  );
  if (run.status !== 0) throw new Error(`scripts/registry.ts failed:\n${run.stderr}`);
};
