/**
 * The flags every runner command shares (runner/args.ts readSharedFlag), as `access` and `stack` read them:
 * `--cwd`, `--stack`, `--state` everywhere; `--config` only where the command takes config.
 */
import * as path from "path";
import { parseAccessArgs } from "../../runner/access";
import { flagArgs, readSharedFlag, type SharedFlags } from "../../runner/args";
import { parseStackArgs } from "../../runner/stack-command";

describe("shared flags", () => {
  it("--cwd and --state are resolved to absolute paths, --stack is taken as it is, in both flag forms", () => {
    expect(parseAccessArgs(["--cwd", "prog", "--stack=prod", "--state=s.json", "--json"])).toEqual({
      cwd: path.resolve("prog"),
      stack: "prod",
      statePath: path.resolve("s.json"),
      json: true,
    });
    expect(parseStackArgs(["import", "--file", "d.json", "--stack", "prod", "--force"])).toMatchObject({
      sub: "import",
      stack: "prod",
      file: path.resolve("d.json"),
      force: true,
      statePath: undefined,
    });
  });

  it("--config is a shared flag only for a command that takes config", () => {
    const withConfig: SharedFlags = { cwd: "/", stack: "dev", statePath: undefined, config: [] };
    for (const a of flagArgs(["-c", "a=1", "--config=b=2"])) expect(readSharedFlag(a, withConfig)).toBe(true);
    expect(withConfig.config).toEqual(["a=1", "b=2"]);
    expect(() => parseAccessArgs(["--config", "a=1"])).toThrow(
      "access: unknown argument --config; usage: confluent-iam access [--cwd DIR] [--stack NAME] [--state FILE] [--json]",
    );
  });

  it("a shared flag without its value says so", () => {
    expect(() => parseStackArgs(["export", "--stack"])).toThrow("--stack needs a value");
    expect(() => parseAccessArgs(["--state", "--json"])).toThrow("--state needs a value");
  });
});
