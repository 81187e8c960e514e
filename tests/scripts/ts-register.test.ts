import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const repo = path.resolve(__dirname, "..", "..");
const hook = path.join(repo, "scripts", "ts-register.js");

function runWithHook(file: string): string {
  return execFileSync(process.execPath, ["--require", hook, file], { encoding: "utf8", cwd: os.tmpdir() });
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
});
