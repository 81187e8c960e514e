/**
 * `confluent-iam access --cwd DIR [--stack NAME] [--state FILE] [--json]`: who holds which role where, read
 * from a stack's state (no API call). One row per role binding in state: the principal (with the service
 * account's display name when the stack manages it), the role, the scope (the CRN pattern below the
 * organization) and the binding that grants it (its logical name and id). Reviewers read the result of a
 * change rather than a diff of CRNs.
 */
import * as fs from "fs";
import * as path from "path";
import { typeTokenOf } from "../protocol";
import { flagArgs, readSharedFlag } from "./args";
import { readProject } from "./project";
import { loadState, type ResourceState, type StackState } from "./state";

const ROLE_BINDING = typeTokenOf("RoleBinding");
const SERVICE_ACCOUNT = typeTokenOf("ServiceAccount");

/** One grant. */
export interface AccessRow {
  /** `User:sa-1`, as the binding names it. */
  principal: string;
  /** The service account's display name, when the stack manages that account. */
  principalName?: string;
  role: string;
  /** `organization=<id>`, or the CRN pattern's path below the organization (`environment=env-1/...`). */
  scope: string;
  /** The CRN pattern as bound. */
  crnPattern: string;
  /** Logical name of the RoleBinding resource that grants it. */
  binding: string;
  /** The role binding's id. */
  bindingId: string;
}

function text(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** A property from the outputs (what the API answered), else the inputs (what the program declared). */
function prop(r: ResourceState, key: string): string | undefined {
  return text(r.outputs[key]) ?? text(r.inputs[key]);
}

/** The scope column: the pattern's path below `organization=<id>`, or `organization=<id>` itself. */
export function scopeOf(crnPattern: string): string {
  const m = /^crn:\/\/confluent\.cloud\/(organization=[^/]+)(?:\/(.*))?$/.exec(crnPattern);
  if (!m) return crnPattern;
  return m[2] ? m[2] : (m[1] as string);
}

/** The rows of a stack, sorted by principal (name, then id), scope, role. Replaced copies awaiting deletion are left out. */
function accessRows(state: StackState): AccessRow[] {
  const names = new Map<string, string>();
  for (const r of state.resources) {
    const name = prop(r, "displayName");
    if (r.type === SERVICE_ACCOUNT && !r.pendingDelete && name !== undefined) names.set(r.id, name);
  }
  const rows: AccessRow[] = [];
  for (const r of state.resources) {
    if (r.type !== ROLE_BINDING || r.pendingDelete) continue;
    const principal = prop(r, "principal") ?? "";
    const crnPattern = prop(r, "crnPattern") ?? "";
    const principalName = names.get(principal.replace(/^User:/, ""));
    rows.push({
      principal,
      ...(principalName !== undefined ? { principalName } : {}),
      role: prop(r, "roleName") ?? "",
      scope: scopeOf(crnPattern),
      crnPattern,
      binding: r.name,
      bindingId: r.id,
    });
  }
  // By what a reader sees first (the account's name when known), so the order does not hang on ids.
  const key = (x: AccessRow) => [x.principalName ?? x.principal, x.principal, x.scope, x.role, x.binding];
  return rows.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) {
      const c = (ka[i] as string).localeCompare(kb[i] as string);
      if (c !== 0) return c;
    }
    return 0;
  });
}

/** A plain-text table, columns padded; one line when the stack grants nothing. */
function formatAccess(rows: AccessRow[], stack: string): string {
  if (rows.length === 0) return `stack ${stack} grants no roles (no role bindings in its state)\n`;
  const table = [
    ["PRINCIPAL", "ROLE", "SCOPE", "GRANTED BY"],
    ...rows.map((r) => [
      r.principalName !== undefined ? `${r.principal} (${r.principalName})` : r.principal,
      r.role,
      r.scope,
      `${r.binding} (${r.bindingId})`,
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => (row[i] as string).length)));
  return (
    table
      .map((row) =>
        row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] as number))).join("  "),
      )
      .join("\n") + "\n"
  );
}

/** Parsed `access` arguments. */
export interface AccessArgs {
  cwd: string;
  stack: string;
  statePath: string | undefined;
  json: boolean;
}

/** Parses the arguments after `access`. Throws with a message fit for the user. */
export function parseAccessArgs(argv: readonly string[]): AccessArgs {
  const out: AccessArgs = { cwd: process.cwd(), stack: "dev", statePath: undefined, json: false };
  for (const a of flagArgs(argv)) {
    if (readSharedFlag(a, out)) continue;
    const { arg, flag } = a;
    switch (flag) {
      case "--json":
        out.json = true;
        break;
      default:
        throw new Error(
          `access: unknown argument ${arg}; usage: confluent-iam access [--cwd DIR] [--stack NAME] [--state FILE] [--json]`,
        );
    }
  }
  return out;
}

/** `confluent-iam access`: writes the report to `out`, problems to `err`; returns the exit code. */
export function accessCommand(
  argv: readonly string[],
  out: (s: string) => void = (s) => void process.stdout.write(s),
  err: (s: string) => void = (s) => void process.stderr.write(s),
): number {
  let args: AccessArgs;
  try {
    args = parseAccessArgs(argv);
  } catch (e) {
    err(`confluent-iam: ${(e as Error).message}\n`);
    return 2;
  }
  try {
    const project = readProject(args.cwd);
    const file = args.statePath ?? path.join(project.dir, ".state", `${args.stack}.json`);
    if (!fs.existsSync(file)) {
      err(`confluent-iam: access: no state for stack ${args.stack} at ${file}; run confluent-iam up first\n`);
      return 1;
    }
    const state = loadState(file, project.name, args.stack);
    const rows = accessRows(state);
    out(
      args.json
        ? JSON.stringify({ stack: args.stack, access: rows }, null, 2) + "\n"
        : formatAccess(rows, args.stack),
    );
    return 0;
  } catch (e) {
    err(`confluent-iam: access: ${(e as Error).message}\n`);
    return 1;
  }
}
