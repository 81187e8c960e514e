/**
 * Inputs a spec marks `inputOnly` (e.g. AzureMarketplaceApiKey's `azureAccessToken`): the provider needs them
 * for one call and promises never to store them, so the runner keeps them out of its state (inputs, outputs,
 * and what a failed step leaves behind). Read from the specs themselves, so a new spec needs nothing here.
 */
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import { typeTokenOf, type PropertyMap } from "../protocol";
import type { ResourceState } from "./state";

const requireHere = createRequire(__filename);

let byType: Map<string, readonly string[]> | undefined;

function looksLikeSpec(v: unknown): v is { kind: string; inputOnly?: readonly string[] } {
  return (
    typeof v === "object" &&
    v !== null &&
    typeof (v as { kind?: unknown }).kind === "string" &&
    typeof (v as { noun?: unknown }).noun === "string"
  );
}

/** Type token → input-only keys, for every spec in provider/specs that has some. */
function inputOnlyKeys(): Map<string, readonly string[]> {
  if (byType) return byType;
  byType = new Map();
  const dir = path.join(__dirname, "..", "provider", "specs");
  const ext = path.extname(__filename);
  for (const file of fs.readdirSync(dir)) {
    if (!file.endsWith(ext) || file.endsWith(`.d${ext}`)) continue;
    const mod = requireHere(path.join(dir, file)) as Record<string, unknown>;
    for (const v of Object.values(mod)) {
      if (looksLikeSpec(v) && v.inputOnly && v.inputOnly.length > 0) {
        byType.set(typeTokenOf(v.kind), [...v.inputOnly]);
      }
    }
  }
  return byType;
}

/** `props` without the input-only keys of `type`. */
export function withoutInputOnly(type: string, props: PropertyMap): PropertyMap {
  const keys = inputOnlyKeys().get(type);
  if (!keys) return props;
  const out = { ...props };
  for (const k of keys) delete out[k];
  return out;
}

/** A resource's state entry without input-only keys in its inputs or outputs. */
export function storable(entry: ResourceState): ResourceState {
  if (!inputOnlyKeys().has(entry.type)) return entry;
  return {
    ...entry,
    inputs: withoutInputOnly(entry.type, entry.inputs),
    outputs: withoutInputOnly(entry.type, entry.outputs),
  };
}
