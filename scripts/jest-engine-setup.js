// jest globalSetup of the engine tier (jest.engine.config.js): the Pulumi CLI, built from its Go modules or
// reused from the cache (engine/build-cli.sh prints what it did and how long it took).
"use strict";
const { spawnSync } = require("child_process");
const path = require("path");

module.exports = async function engineSetup() {
  const root = path.resolve(__dirname, "..");
  const build = spawnSync("bash", [path.join(root, "engine", "build-cli.sh")], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });
  if (build.status !== 0) throw new Error("engine/build-cli.sh failed (its output is above)");
};
