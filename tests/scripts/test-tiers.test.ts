/**
 * The test tiers (scripts/test-tiers.js) and their guard (scripts/tier-guard.js): every test file is in
 * exactly one tier, a new file in none stops the run naming it, and a unit file that starts a server or a
 * child process fails, naming the tier it needs.
 */
import * as childProcess from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS module jest's config loads
const tiers = require("../../scripts/test-tiers") as {
  problems: (root?: string) => string[];
  filesByTier: (root?: string) => Record<string, string[]>;
  tierOf: (file: string) => string | undefined;
  testFiles: (root?: string) => string[];
};

const SELF = "tests/scripts/test-tiers.test.ts";

describe("test tiers", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "tiers-"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A checkout whose tests/ holds these test files and every file the tier lists name. */
  function checkout(extra: string[], leaveOut: string[] = []): void {
    for (const f of [...tiers.testFiles(), ...extra].filter((f) => !leaveOut.includes(f))) {
      mkdirSync(join(root, dirname(f)), { recursive: true });
      writeFileSync(join(root, f), "");
    }
  }

  it("every test file of this checkout is in exactly one tier, and every listed file exists", () => {
    expect(tiers.problems()).toEqual([]);
    const byTier = tiers.filesByTier();
    const all = Object.values(byTier).flat();
    expect(all.sort()).toEqual(tiers.testFiles());
    expect(Object.keys(byTier)).toEqual(["unit", "emulator", "process", "examples"]);
  });

  it("a new test file in a folder of no tier stops the run, naming the file and where to add it", () => {
    checkout(["tests/widgets/new.test.ts"]);
    expect(tiers.problems(root)).toEqual([
      "tests/widgets/new.test.ts is in no test tier: add it to a tier's files (or folders) in scripts/test-tiers.js",
    ]);
    expect(() => tiers.filesByTier(root)).toThrow(
      "Test tiers (scripts/test-tiers.js):\n  tests/widgets/new.test.ts is in no test tier",
    );
  });

  it("a listed file that was removed is named too; tests/engine/ is in no tier and never run here", () => {
    checkout(["tests/engine/up.test.ts"], ["tests/runner/plan.test.ts"]);
    expect(tiers.problems(root)).toEqual([
      "tests/runner/plan.test.ts is listed in the unit tier (scripts/test-tiers.js) but does not exist",
    ]);
    expect(tiers.testFiles(root)).not.toContain("tests/engine/up.test.ts");
  });

  it("folders give a tier to files no list names: tests/adversarial/ is process, tests/examples/ examples", () => {
    expect(tiers.tierOf("tests/adversarial/anything.test.ts")).toBe("process");
    expect(tiers.tierOf("tests/examples/new-example.test.ts")).toBe("examples");
    expect(tiers.tierOf("tests/policy/new-rule.test.ts")).toBe("unit");
    // A name wins over its folder.
    expect(tiers.tierOf("tests/policy/preview.test.ts")).toBe("process");
    expect(tiers.tierOf(SELF)).toBe("unit");
  });
});

describe("the unit tier's guard (this file is in the unit tier)", () => {
  /** The guard's record of this file's violations: cleared of the ones these tests cause on purpose. */
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module object itself, which holds it
  const guard = (require("node:child_process") as Record<symbol, { violations: string[] }>)[
    Symbol.for("pulumi-confluent-iam.tier-guard")
  ];
  afterEach(() => guard.violations.splice(0));

  it("listening on a port throws, and names the tier the file needs", () => {
    const server = net.createServer();
    expect(() => server.listen(0, "127.0.0.1")).toThrow(
      `${SELF} is in the unit tier, which allows no server, but it listened on a port: ` +
        "move it to the emulator tier (servers in the test's process) in scripts/test-tiers.js.",
    );
    expect(server.listening).toBe(false);
    expect(guard.violations).toHaveLength(1);
  });

  it("starting a child process throws, and names the process tier", () => {
    expect(() => childProcess.spawnSync(process.execPath, ["-e", ""])).toThrow(
      `${SELF} is in the unit tier, which allows no child process, but it started a child process ` +
        "(child_process.spawnSync): move it to the process tier in scripts/test-tiers.js.",
    );
    expect(guard.violations).toHaveLength(1);
  });
});
