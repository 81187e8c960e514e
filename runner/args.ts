/**
 * Command-line flags as the runner's commands read them: `--flag value` or `--flag=value`; a value may not
 * start with `--`. One reader for `confluent-iam`, `export`, `access` and `stack`.
 */

import * as path from "path";

/** One argument, with its value read on demand. */
export interface FlagArg {
  /** The argument as given. */
  arg: string;
  /** The flag name (`--out` of `--out=dir`), or the argument itself. */
  flag: string;
  /** The flag's value: after `=`, else the next argument (consumed). Throws `<flag> needs a value`. */
  value(): string;
}

/** Walks `argv`; a value read with `value()` is not yielded again. */
export function* flagArgs(argv: readonly string[]): Generator<FlagArg> {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    yield {
      arg,
      flag,
      value: (): string => {
        if (eq > 0) return arg.slice(eq + 1);
        const v = argv[++i];
        if (v === undefined || v.startsWith("--")) throw new Error(`${flag} needs a value`);
        return v;
      },
    };
  }
}

/** Where a lifecycle command works: what the flags every such command shares set. */
export interface SharedFlags {
  cwd: string;
  stack: string;
  statePath?: string | undefined;
  /** `--config` pairs, for the commands that take them (absent: `--config` is not one of its flags). */
  config?: string[];
}

/**
 * Reads one of the flags the runner's commands share, `--cwd DIR`, `--stack NAME`, `--state FILE` and (where
 * `out.config` exists) `--config`/`-c key=value`, into `out`. False for any other flag, which the command
 * then reads itself.
 */
export function readSharedFlag({ flag, value }: FlagArg, out: SharedFlags): boolean {
  switch (flag) {
    case "--cwd":
      out.cwd = path.resolve(value());
      return true;
    case "--stack":
      out.stack = value();
      return true;
    case "--state":
      out.statePath = path.resolve(value());
      return true;
    case "--config":
    case "-c":
      if (out.config === undefined) return false;
      out.config.push(value());
      return true;
    default:
      return false;
  }
}
