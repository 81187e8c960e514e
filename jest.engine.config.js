// The engine tier (`npm run test:engine`): programs run by the real Pulumi CLI, built from its Go modules by
// engine/build-cli.sh in this config's globalSetup. Each file starts its own emulators and CLI commands; two
// files run at once. Not one of scripts/test-tiers.js's tiers: `npm test` never runs it.
process.env.PULUMI_CONFIG_PASSPHRASE ??= "fake-passphrase-for-tests-not-a-secret";

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: "node",
  roots: ["<rootDir>/tests/engine"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.jest.json" }] },
  moduleNameMapper: {
    "^pulumi-confluent-iam$": "<rootDir>/sdk/index.ts",
    "^pulumi-confluent-iam/provider$": "<rootDir>/provider/index.ts",
    "^pulumi-confluent-iam/policy$": "<rootDir>/policy/policies.ts",
  },
  globalSetup: "<rootDir>/scripts/jest-engine-setup.js",
  reporters: ["default", "<rootDir>/scripts/slowest-reporter.js"],
  testTimeout: 900000,
  maxWorkers: 2,
};
