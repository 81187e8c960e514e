import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const repo = path.resolve(__dirname, "..", "..");
const hook = path.join(repo, "scripts", "ts-register.js");

function runWithHook(file: string, env: NodeJS.ProcessEnv = process.env): string {
  return execFileSync(process.execPath, ["--require", hook, file], {
    encoding: "utf8",
    cwd: os.tmpdir(),
    env,
  });
}

describe("scripts/ts-register.js (development require hook)", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ts-register-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("runs a TypeScript file with type annotations and an extension-less relative import", () => {
    fs.writeFileSync(path.join(dir, "lib.ts"), "export const twice = (n: number): number => n * 2;\n");
    fs.writeFileSync(
      path.join(dir, "main.ts"),
      'import { twice } from "./lib";\nconst x: number = twice(21);\nconsole.log(`answer=${x}`);\n',
    );
    expect(runWithHook(path.join(dir, "main.ts")).trim()).toBe("answer=42");
  });

  it("resolves the package's own name and subpaths to the repository sources, from any folder", () => {
    fs.writeFileSync(
      path.join(dir, "resolve.js"),
      [
        'console.log(require.resolve("pulumi-confluent-iam"));',
        'console.log(require.resolve("pulumi-confluent-iam/provider"));',
        'console.log(require.resolve("pulumi-confluent-iam/policy"));',
      ].join("\n"),
    );
    expect(runWithHook(path.join(dir, "resolve.js")).trim().split("\n")).toEqual([
      path.join(repo, "sdk", "index.ts"),
      path.join(repo, "provider", "index.ts"),
      path.join(repo, "policy", "policies.ts"),
    ]);
  });

  it("keeps each transpiled file in its cache, uses the entry, and transpiles a file again once it is edited", () => {
    const cache = path.join(dir, "cache");
    const env = { ...process.env, TS_REGISTER_CACHE: cache };
    fs.writeFileSync(path.join(dir, "lib.ts"), "export const twice = (n: number): number => n * 2;\n");
    const main = path.join(dir, "cached-main.ts");
    fs.writeFileSync(main, 'import { twice } from "./lib";\nconsole.log(`answer=${twice(21) as number}`);\n');
    expect(runWithHook(main, env).trim()).toBe("answer=42");
    const entries = fs.readdirSync(cache).sort();
    expect(entries).toHaveLength(2);
    expect(entries.every((e) => /^[0-9a-f]{64}\.js$/.test(e))).toBe(true);

    // An entry is what runs: replaced by hand, the replacement is what the next process executes.
    for (const e of entries) {
      const text = fs.readFileSync(path.join(cache, e), "utf8");
      if (text.includes("answer=")) fs.writeFileSync(path.join(cache, e), 'console.log("from the cache");\n');
    }
    expect(runWithHook(main, env).trim()).toBe("from the cache");

    // An edited file has another key: the stale entry is not used.
    fs.writeFileSync(main, 'import { twice } from "./lib";\nconsole.log(`edited=${twice(2) as number}`);\n');
    expect(runWithHook(main, env).trim()).toBe("edited=4");
    expect(fs.readdirSync(cache)).toHaveLength(3);
  });
});
