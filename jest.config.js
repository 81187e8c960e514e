// Bound every lifecycle command a test runs (runner/index.ts): a hung one is killed and reported instead
// of outliving the test. Workers inherit this environment.
process.env.CONFLUENT_IAM_RUN_TIMEOUT_MS ??= "240000";
// The runner stores secrets encrypted with a passphrase: every lifecycle command a test runs has this one
// (obviously fake) unless the test sets or removes its own. Workers inherit it.
if (process.env.PULUMI_CONFIG_PASSPHRASE_FILE === undefined) {
  process.env.PULUMI_CONFIG_PASSPHRASE ??= "fake-passphrase-for-tests-not-a-secret";
}

const { filesByTier, TIER_NAMES } = require("./scripts/test-tiers");

// One project per test tier (scripts/test-tiers.js: unit, emulator, process, examples); building the lists
// throws, naming the file, when a test file is in no tier. `npx jest --selectProjects unit` runs one tier,
// `npm run test:quick` (jest.quick.config.js) runs unit and a smoke file of each other tier. tests/engine/
// is in none: `npm run test:engine` runs it.
const byTier = filesByTier();
const COLORS = { unit: "green", emulator: "cyan", process: "magenta", examples: "yellow" };

/** @type {import('jest').Config} */
const project = {
  rootDir: __dirname,
  testEnvironment: "node",
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.jest.json" }] },
  moduleNameMapper: {
    "^pulumi-confluent-iam$": "<rootDir>/sdk/index.ts",
    "^pulumi-confluent-iam/provider$": "<rootDir>/provider/index.ts",
    "^pulumi-confluent-iam/policy$": "<rootDir>/policy/policies.ts",
  },
  // Holds each file to its tier: no child process in unit and emulator, no server in unit.
  setupFilesAfterEnv: ["<rootDir>/scripts/tier-guard.js"],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: TIER_NAMES.map((tier) => ({
    ...project,
    displayName: { name: tier, color: COLORS[tier] },
    globals: { TEST_TIER: tier },
    roots: ["<rootDir>/tests"],
    testMatch: byTier[tier].map((f) => `<rootDir>/${f}`),
  })),
  // The ten slowest test files, with their tier and time, after every run.
  reporters: ["default", "<rootDir>/scripts/slowest-reporter.js"],
  // A lifecycle `up` is two commands (its preview, then the update), each in its own processes.
  testTimeout: 180000,
  maxWorkers: 2,
  // A worker that ran ~70 files held a 1.5 GB heap and 3-6 GB of RSS; told to end, it ran its exit handlers
  // in 1 ms but took over 500 ms to give that memory back, so jest killed it and printed "A worker process
  // has failed to exit gracefully" (no handle was open: probed when jest sent its end message). A worker
  // whose heap passes this after a file is replaced by a fresh one, so none ends that large.
  workerIdleMemoryLimit: "512MB",
};
