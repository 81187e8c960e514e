// `npm run test:quick`: every file of the unit tier, and the smoke files of the other tiers
// (scripts/test-tiers.js), with the projects, guards and reporters of jest.config.js.
const base = require("./jest.config");
const { TIERS } = require("./scripts/test-tiers");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  projects: base.projects.map((p) =>
    p.displayName.name === "unit"
      ? p
      : { ...p, testMatch: TIERS[p.displayName.name].smoke.map((f) => `<rootDir>/${f}`) },
  ),
};
