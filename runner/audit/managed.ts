/**
 * Which objects the stacks manage, from their state files (`--state FILE`, repeatable, or a folder of
 * them): `<kind>/<id>` of each resource, the id it was adopted from, and the keys of each ApiKeyRotation.
 */
import * as fs from "fs";
import * as path from "path";
import { hasPassphrase, loadState } from "../state";

type Resource = { type?: unknown; id?: unknown; outputs?: Record<string, unknown> };

const kindOf = (type: string): string => type.slice(type.lastIndexOf(":") + 1);

/** The state files `--state` names: a file, or every `*.json` of a folder. */
export function stateFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (st === undefined) throw new Error(`--state ${p}: no such file or folder`);
    if (st.isDirectory()) {
      const files = fs
        .readdirSync(p)
        .filter((f) => f.endsWith(".json"))
        .sort()
        .map((f) => path.join(p, f));
      if (files.length === 0) throw new Error(`--state ${p}: the folder holds no state file (*.json)`);
      out.push(...files);
    } else out.push(p);
  }
  return out;
}

function resourcesOf(file: string): Resource[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`--state ${file}: not a state file (${(e as Error).message})`);
  }
  const resources = (raw as { resources?: unknown } | null)?.resources;
  if (!Array.isArray(resources))
    throw new Error(`--state ${file}: not a confluent-iam state file (no resources list)`);
  const rotationsEncrypted = resources.some(
    (r: Resource) =>
      typeof r?.type === "string" &&
      kindOf(r.type) === "ApiKeyRotation" &&
      typeof r.outputs?.active === "object" &&
      r.outputs.active !== null &&
      "ciphertext" in r.outputs.active,
  );
  if (rotationsEncrypted && hasPassphrase()) {
    // A rotation's keys are secret outputs: with the passphrase, read them decrypted.
    const { project, stack } = raw as { project?: unknown; stack?: unknown };
    const state = loadState(file, String(project), String(stack));
    return state.resources as unknown as Resource[];
  }
  return resources as Resource[];
}

const unwrap = (v: unknown): unknown => {
  // A secret in wire form: { "4dabf18193072939515e22adb298388d": "...", value }.
  if (v !== null && typeof v === "object" && "value" in v && "4dabf18193072939515e22adb298388d" in v)
    return (v as { value: unknown }).value;
  return v;
};

/** `<kind>/<id>` of every object the state files manage. */
export function managedObjects(files: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const file of files) {
    for (const r of resourcesOf(file)) {
      if (typeof r.type !== "string" || typeof r.id !== "string") continue;
      const kind = kindOf(r.type);
      out.add(`${kind}/${r.id.slice(r.id.lastIndexOf("/") + 1)}`);
      const imported = r.outputs?.importId;
      if (typeof imported === "string") out.add(`${kind}/${imported.slice(imported.lastIndexOf("/") + 1)}`);
      if (kind === "ApiKeyRotation") {
        for (const slot of ["active", "previous", "pending"]) {
          const id = (unwrap(r.outputs?.[slot]) as { id?: unknown } | undefined)?.id;
          if (typeof id === "string") out.add(`ApiKey/${id}`);
        }
      }
    }
  }
  return out;
}
