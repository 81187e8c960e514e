// The engine tier (`npm run test:engine`): programs run by the real Pulumi CLI, built from its Go modules by
// engine/build-cli.sh in this config's globalSetup. Each file starts its own emulators and CLI commands; two
// files run at once.
const base = require("./jest.config.js");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ["<rootDir>/tests/engine"],
  testPathIgnorePatterns: ["/node_modules/"],
  globalSetup: "<rootDir>/scripts/jest-engine-setup.js",
  testTimeout: 900000,
  maxWorkers: 2,
};
