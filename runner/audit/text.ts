/**
 * The audit's text summary (stdout): counts per rule, then the findings grouped by severity. Text from the
 * API reaches the terminal only through {@link terminalSafe}.
 */
import { countsPerRule, type AuditReport, type Finding, type ObjectRef } from "./report";

/**
 * Control characters (C0, DEL, C1), line and paragraph separators and bidirectional overrides are shown as
 * `\u{…}`, so a name cannot move the cursor, clear the screen or reorder what the terminal shows.
 */
export function terminalSafe(s: string): string {
  return s.replace(
    // eslint-disable-next-line no-control-regex -- control characters are what this function removes
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u{${c.codePointAt(0)?.toString(16) ?? ""}}`,
  );
}

/** One line per finding: newlines inside a message become spaces. */
const oneLine = (s: string): string => terminalSafe(s.replace(/[\r\n]+/g, " "));

function objectText(o: ObjectRef): string {
  return `${o.kind} ${o.id}${o.name !== undefined ? ` (${o.name})` : ""}`;
}

function findingLine(f: Finding): string {
  // The audit's own messages name their objects; a policy's message names none.
  const subject = f.source === "policy" ? f.objects[0] : undefined;
  return `  [${f.rule}] ${subject ? `${oneLine(objectText(subject))}: ` : ""}${oneLine(f.message)}`;
}

const pad = (s: string, n: number): string => (s.length >= n ? s : s + " ".repeat(n - s.length));

/** The whole summary. */
export function renderText(report: AuditReport, failOn: string, exitCode: number): string {
  const counts = Object.entries(report.counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(", ");
  const lines: string[] = [
    `audit of organization ${terminalSafe(report.organizationId)}: ${counts || "no objects"}`,
    `policy pack ${terminalSafe(report.policyPack.name)} ${terminalSafe(report.policyPack.version)} (${terminalSafe(report.policyPack.dir)}); ` +
      `read in ${report.read.calls} API calls, ${report.read.waits} rate-limit waits, ${(report.read.ms / 1000).toFixed(1)} s`,
  ];
  if (report.excluded.length > 0) lines.push(`not read (--exclude): ${report.excluded.join(", ")}`);
  if (report.unmanaged === undefined)
    lines.push("objects no stack manages: not judged (give the stacks' state files with --state)");
  lines.push("");
  const perRule = countsPerRule(report);
  const width = Math.max(4, ...report.rules.map((r) => r.name.length)) + 2;
  lines.push(`${pad("rule", width)}${pad("level", 11)}${pad("source", 14)}findings`);
  for (const r of report.rules)
    lines.push(`${pad(r.name, width)}${pad(r.level, 11)}${pad(r.source, 14)}${perRule.get(r.name) ?? 0}`);
  for (const severity of ["mandatory", "advisory"] as const) {
    const group = report.findings.filter((f) => f.severity === severity);
    lines.push("", `${severity} (${group.length})`);
    if (group.length === 0) lines.push("  none");
    for (const f of group) lines.push(findingLine(f));
  }
  const m = report.findings.filter((f) => f.severity === "mandatory").length;
  const a = report.findings.length - m;
  lines.push("", `${m} mandatory, ${a} advisory; --fail-on ${failOn}: exit ${exitCode}`, "");
  return lines.join("\n");
}
