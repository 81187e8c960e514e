/**
 * What the runner prints: the heading, step lines, policy violations, stack outputs, the closing summary, and
 * which lines of the dynamic-provider host's output reach the user. Pure functions, tested on their own.
 */
import { DYNAMIC_PREFIX, UNKNOWN_VALUE, type PropertyMap } from "../protocol";
import type { Command, RunResult, StepRecord, Violation } from "./engine";
import { maskSecrets } from "./state";

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

/** The first line of a run: `Updating (dev) of project p, state /…/.state/dev.json`. */
export function headingLine(command: Command, stack: string, project: string, statePath: string): string {
  const heading = {
    preview: "Previewing update",
    up: "Updating",
    refresh: "Refreshing",
    destroy: "Destroying",
  }[command];
  return `${heading} (${stack}) of project ${project}, state ${statePath}`;
}

/** A step's lines: its line and, when it failed, its error (none for a `same` step). */
export function stepLines(step: StepRecord, command: Command, preview: boolean): string[] {
  if (step.op === "same") return [];
  return [stepLine(step, command, preview), ...(step.error ? [`      error: ${step.error}`] : [])];
}

/** A policy violation: a heading line, then the message (the pack prefixes it with a description), one line each. */
export function violationLines(v: Violation): string[] {
  const lines = [`    ${v.enforcementLevel} policy violation: ${v.policyName}${v.urn ? ` (${v.urn})` : ""}`];
  for (const l of v.message.split("\n")) if (l.trim() !== "") lines.push(`        ${l}`);
  return lines;
}

/** Stack outputs for display: secrets as `[secret]`, unknowns (preview) as `[unknown]`. */
export function maskOutputs(outputs: PropertyMap): Record<string, unknown> {
  const masked = maskSecrets(outputs) as Record<string, unknown>;
  const unknowns = (v: unknown): unknown =>
    v === UNKNOWN_VALUE
      ? "[unknown]"
      : Array.isArray(v)
        ? v.map(unknowns)
        : typeof v === "object" && v !== null
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unknowns(x)]))
          : v;
  return unknowns(masked) as Record<string, unknown>;
}

/** What {@link closingLines} shows. */
export interface Closing {
  /** The command run. */
  command: Command;
  /** A preview (a plain one, or the policy check of `up --policy-pack`). */
  preview: boolean;
  /** This preview is the policy check `up --policy-pack` runs before applying. */
  gate: boolean;
  /** The run's outcome so far: its steps (`same` ones included), errors, violations, masked outputs. */
  steps: readonly StepRecord[];
  errors: readonly string[];
  violations: readonly Violation[];
  outputs: Record<string, unknown>;
  summary: RunResult["summary"];
  /** Whether the run succeeded. */
  ok: boolean;
}

/** The lines after the steps: stack outputs, the counts by operation, and the errors not shown yet. */
export function closingLines(c: Closing): string[] {
  const out: string[] = [];
  const { command: cmd, summary } = c;
  if (cmd !== "refresh" && cmd !== "destroy" && Object.keys(c.outputs).length > 0) {
    out.push("", "Outputs:");
    const width = Math.max(...Object.keys(c.outputs).map((k) => k.length));
    for (const [k, v] of Object.entries(c.outputs)) {
      out.push(`    ${k.padEnd(width)}: ${v === "[secret]" || v === "[unknown]" ? v : JSON.stringify(v)}`);
    }
  }
  const mandatory = c.violations.filter((v) => v.enforcementLevel === "mandatory").length;
  const blocked = c.preview && mandatory > 0;
  out.push("", blocked ? "Resources (none will be applied: a mandatory policy failed):" : "Resources:");
  const line = (n: number, sign: string, now: string, later: string): void => {
    if (n > 0) out.push(`    ${sign} ${n} ${c.preview ? later : now}`);
  };
  line(summary.create, "+ ", "created", blocked ? "would be created" : "to create");
  line(
    summary.update,
    "~ ",
    cmd === "refresh" ? "changed (drift)" : "updated",
    blocked ? "would be updated" : "to update",
  );
  line(summary.replace, "+-", "replaced", blocked ? "would be replaced" : "to replace");
  line(
    summary.delete,
    "- ",
    cmd === "refresh" ? "gone" : "deleted",
    blocked ? "would be deleted" : "to delete",
  );
  line(summary.failed, "**", "failed", "failed");
  out.push(`      ${summary.same} unchanged`);
  if (mandatory > 0) {
    const what = `mandatory policy violation${mandatory > 1 ? "s" : ""}`;
    out.push("");
    if (c.gate) out.push(`error: ${what}; up stopped before changing anything, nothing was applied`);
    else if (c.preview) out.push(`error: ${what}; nothing will be applied`);
    // In up, each stopped resource is a failed step with its own error line; the rest of the run went on.
    else if (!c.steps.some((s) => s.error?.startsWith("mandatory policy "))) {
      out.push(`error: ${what} in the stack policies, found after the update; nothing was deleted`);
    }
  }
  // An error already shown as a step's `error:` line is not repeated.
  for (const e of c.errors) {
    if (!c.steps.some((s) => s.error && e.endsWith(s.error))) out.push(`error: ${e}`);
  }
  if (c.gate && !c.ok && mandatory === 0) {
    out.push("", "error: the preview failed, so up stopped before changing anything; nothing was applied");
  }
  return out;
}
