// The file-list rules of the installed-package check (scripts/installed-check.ts), which npm test runs on
// the real tarball; here, that each rule catches what it is for.
import {
  chosenPulumiVersion,
  missingFiles,
  requiredFiles,
  unwantedFiles,
} from "../../scripts/installed-check";

describe("what the tarball must not hold", () => {
  it.each([
    ["tests/runner/cli.test.ts", "tests"],
    ["bench/index.ts", "benchmarks"],
    ["examples/quickstart/index.ts", "examples"],
    ["examples/quickstart/.state/dev.json", "examples"],
    [".state/dev.json", "a runner state folder"],
    [".emulator-data/store.json", "emulator data"],
    ["policy/node_modules/zod/package.json", "node_modules"],
    ["dist/runner/cli.test.js", "a test"],
    ["dist/tsconfig.build.tsbuildinfo", "a build cache"],
    ["scripts/ts-register.js", "development files"],
    ["docs/CONTRACTS.md", "development files"],
    ["dist/tests/runner/host.test.js", "a test"],
    ["dist/policy/index.js", "the repository's pack entry, which starts a server when loaded"],
    ["sdk/index.ts", "TypeScript source outside dist (a user cannot load it)"],
    [
      "policy/rules/role-binding-no-org-admin.js",
      "the repository's policy pack sources (policy-pack/ is what ships)",
    ],
  ])("%s (%s)", (file, reason) => {
    expect(unwantedFiles([file])).toEqual([`${file} (${reason})`]);
  });

  it("lets through what a user needs", () => {
    expect(
      unwantedFiles([
        "package.json",
        "README.md",
        "LICENSE",
        "CHANGELOG.md",
        "dist/sdk/index.js",
        "dist/sdk/index.d.ts",
        "dist/runner/cli.js",
        "policy-pack/index.js",
        "policy-pack/package.json",
        "policy-pack/PulumiPolicy.yaml",
        "policy/README.md",
        "policy/policy-config.example.json",
      ]),
    ).toEqual([]);
  });
});

describe("what the tarball must hold", () => {
  it("every entry point package.json names, the bins, the shipped pack, the license and the changelog", () => {
    expect(requiredFiles()).toEqual([
      "CHANGELOG.md",
      "LICENSE",
      "README.md",
      "dist/emulator/cli.js",
      "dist/policy/policies.d.ts",
      "dist/policy/policies.js",
      "dist/provider/index.d.ts",
      "dist/provider/index.js",
      "dist/runner/cli.js",
      "dist/sdk/index.d.ts",
      "dist/sdk/index.js",
      "package.json",
      "policy-pack/PulumiPolicy.yaml",
      "policy-pack/index.js",
      "policy-pack/package.json",
      "policy/README.md",
    ]);
  });

  it("names what is missing", () => {
    const all = requiredFiles();
    expect(missingFiles(all)).toEqual([]);
    expect(missingFiles(all.filter((f) => f !== "dist/policy/policies.d.ts" && f !== "LICENSE"))).toEqual([
      "LICENSE",
      "dist/policy/policies.d.ts",
    ]);
  });
});

describe("the @pulumi/pulumi the check installs", () => {
  it("is the development version by default, the peer range's lower bound for `oldest`, or the one named", () => {
    expect(chosenPulumiVersion(undefined)).toBe("3.248.0");
    expect(chosenPulumiVersion("")).toBe("3.248.0");
    expect(chosenPulumiVersion("oldest")).toBe("3.204.0");
    expect(chosenPulumiVersion("3.220.0")).toBe("3.220.0");
  });
});
