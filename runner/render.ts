/**
 * What the runner prints: step lines, and which lines of the dynamic-provider host's output reach the user.
 * Pure functions, tested on their own.
 */
import { DYNAMIC_PREFIX } from "../protocol";
import type { Command, StepRecord } from "./engine";

/** `pulumi-nodejs:dynamic/confluent:ApiKey` → `confluent:ApiKey`, the way a reader would name it. */
export function displayType(type: string): string {
  return type.startsWith(`${DYNAMIC_PREFIX}/`) ? type.slice(DYNAMIC_PREFIX.length + 1) : type;
}

const SIGNS = { create: "+ ", update: "~ ", replace: "+-", delete: "- ", read: "> ", same: "  " } as const;
const DONE = {
  create: "created",
  update: "updated",
  replace: "replaced",
  delete: "deleted",
  read: "read",
  same: "",
};
const REFRESHED = { create: "", update: "changed", replace: "", delete: "gone", read: "read", same: "" };

/** The line of a step (not of a `same` one): ` +  created        confluent:ApiKey  key  [diff: ~description]`. */
export function stepLine(step: StepRecord, command: Command, preview: boolean): string {
  const verb =
    step.status === "failed"
      ? `${step.op} failed`
      : command === "refresh"
        ? REFRESHED[step.op]
        : preview || step.status === "planned"
          ? step.op
          : DONE[step.op];
  let line = ` ${SIGNS[step.op]} ${verb.padEnd(14)} ${displayType(step.type)}  ${step.name}`;
  if (step.diffs.length > 0) line += `  [diff: ${step.diffs.join(" ")}]`;
  if (step.replaces.length > 0) line += `  [replaces: ${step.replaces.join(", ")}]`;
  if (step.note) line += `  [${step.note}]`;
  return line;
}

/**
 * Whether a line the dynamic-provider host printed is worth showing. The host echoes every error a provider
 * operation throws as `${e}: ${e.stack}` before returning it over gRPC, and the runner reports that error
 * itself, once, as the step's `error:` line; Node's warnings about rejections handled late are noise too.
 * The provider's own progress lines (`confluent-iam: …`) pass.
 */
export function showHostLine(line: string): boolean {
  if (line.trim() === "") return false;
  // A stack frame.
  if (/^\s+at /.test(line)) return false;
  // The echo's first line: the error's text, twice.
  if (errorEcho(line)) return false;
  if (/\bPromiseRejectionHandledWarning\b/.test(line)) return false;
  if (/^\(Use `node --trace-warnings/.test(line)) return false;
  return true;
}

/** `X: msg: X: msg` (the host's `${e}: ${e.stack}` first line) for some error text `X: msg`. */
function errorEcho(line: string): boolean {
  // The line is `t: t` where t = `${e}`; t itself contains ": ", so try each split point.
  for (let i = line.indexOf(": "); i >= 0; i = line.indexOf(": ", i + 1)) {
    const a = line.slice(0, i);
    if (a === line.slice(i + 2)) return true;
  }
  return false;
}
