/**
 * The adapter's pure rules for values: how a field is compared (diff, adoption), how the API's answer is
 * merged into the outputs, and which part of the outputs are inputs again (read). No I/O, no state: each
 * function takes the spec's lists it needs as parameters, so it can be tested directly
 * (tests/provider/compare.test.ts).
 */
import { z } from "zod";
import type { Spec } from "./spec";
import {
  canonicalJson,
  containsUnknown,
  isSecretWire,
  secretWire,
  unwrapSecrets,
  type PropertyMap,
} from "../protocol";

/** What comparing a field needs from a spec: its defaults, normalizers and server-defaulted fields. */
export type CompareRules = Pick<
  Spec<Record<string, unknown>, unknown>,
  "defaults" | "normalize" | "serverDefaulted" | "writeOnly"
>;

/** A field's comparable form: unwrapped, defaulted, normalized. */
export function comparable(field: string, wireValue: unknown, rules: CompareRules): string {
  let v = unwrapSecrets(wireValue);
  if (v === undefined || v === null) v = rules.defaults?.[field];
  const norm = rules.normalize?.[field];
  if (norm && v !== undefined && v !== null) v = norm(v);
  return canonicalJson(v ?? null);
}

/**
 * The fields among `fields` whose value differs between `olds` and `news` (or is not known yet in `news`).
 * A server-defaulted field the program leaves out is never a change: the server chose its value.
 */
export function changedFields(
  olds: PropertyMap,
  news: PropertyMap,
  fields: readonly string[],
  rules: CompareRules,
): string[] {
  return fields.filter((f) => {
    if (news[f] === undefined && rules.serverDefaulted?.includes(f)) return false;
    if (containsUnknown(news[f])) return true;
    const w = rules.writeOnly?.[f];
    if (w && olds[f] === undefined && olds[w.output] !== undefined && news[f] !== undefined) {
      return !w.same(unwrapSecrets(news[f]), unwrapSecrets(olds[w.output]));
    }
    return comparable(f, olds[f], rules) !== comparable(f, news[f], rules);
  });
}

/**
 * The outputs without each write-only input that no longer matches the output it is compared through (the
 * object was changed behind the program's back): the next diff then compares through that output.
 */
export function withoutStaleWriteOnly(outs: PropertyMap, rules: CompareRules): PropertyMap {
  const kept: PropertyMap = { ...outs };
  for (const [f, w] of Object.entries(rules.writeOnly ?? {})) {
    if (kept[f] === undefined || kept[w.output] === undefined) continue;
    if (!w.same(unwrapSecrets(kept[f]), unwrapSecrets(kept[w.output]))) delete kept[f];
  }
  return kept;
}

/** A field's value for a message: its compared form, or "not set". */
export function shown(field: string, wireValue: unknown, rules: CompareRules): string {
  const c = comparable(field, wireValue, rules);
  return c === "null" ? "not set" : c;
}

/** A JSON object that is neither an array nor a secret wrapper. */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !isSecretWire(v);
}

/**
 * `fresh` over `base`, member by member at every depth: a member the API's answer leaves out keeps the value
 * `base` has (an input the API does not echo, such as a Kafka key's `managedResource.environment`). Arrays
 * and values that are not objects are the API's.
 */
export function keepUnechoed(base: unknown, fresh: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(fresh)) return fresh;
  const out: Record<string, unknown> = { ...fresh };
  for (const [k, v] of Object.entries(base)) {
    if (v === undefined) continue;
    out[k] = out[k] === undefined ? v : keepUnechoed(v, out[k]);
  }
  return out;
}

/**
 * Outputs: `base` (the inputs as received, secret inputs still wrapped), then what the API says (`fresh`).
 * A value the caller had wrapped stays wrapped; a secret output the API no longer returns (an API key's
 * secret after create) keeps its earlier value; a field the API answers as `undefined` is dropped; inside an
 * object the API answers, a member it leaves out keeps the base's value ({@link keepUnechoed}).
 */
export function mergeOutputs(
  base: PropertyMap,
  fresh: PropertyMap,
  secretOutputs: readonly string[],
): PropertyMap {
  const outs: PropertyMap = { ...base };
  for (const [k, v] of Object.entries(fresh)) {
    const before = base[k];
    if (secretOutputs.includes(k) && (v === undefined || v === "") && before !== undefined) continue;
    if (isSecretWire(before)) {
      if (v !== undefined) outs[k] = secretWire(keepUnechoed(before.value, v));
      continue;
    }
    if (v === undefined) delete outs[k];
    else outs[k] = keepUnechoed(before, v);
  }
  return outs;
}

/** Outputs without the input-only fields (credentials never go to state). */
export function withoutInputOnly(outs: PropertyMap, inputOnly: readonly string[] | undefined): PropertyMap {
  const kept: PropertyMap = { ...outs };
  for (const k of inputOnly ?? []) delete kept[k];
  return kept;
}

/** Strips optional/nullable/default/effects wrappers off a zod schema. */
function unwrapSchema(schema: z.ZodTypeAny | undefined): z.ZodTypeAny | undefined {
  let cur = schema;
  for (let i = 0; i < 10 && cur; i++) {
    if (cur instanceof z.ZodOptional || cur instanceof z.ZodNullable) cur = cur.unwrap() as z.ZodTypeAny;
    else if (cur instanceof z.ZodDefault) cur = cur.removeDefault() as z.ZodTypeAny;
    else if (cur instanceof z.ZodEffects) cur = cur.innerType() as z.ZodTypeAny;
    else break;
  }
  return cur;
}

/** Keeps, at every depth, only what `schema` describes (secret wrappers kept as they are). */
export function projectOnto(schema: z.ZodTypeAny | undefined, value: unknown): unknown {
  const s = unwrapSchema(schema);
  if (isSecretWire(value)) return secretWire(projectOnto(s, value.value));
  if (s instanceof z.ZodObject && typeof value === "object" && value !== null && !Array.isArray(value)) {
    const shape = s.shape as Record<string, z.ZodTypeAny>;
    const out: PropertyMap = {};
    for (const [k, v] of Object.entries(value))
      if (k in shape && v !== undefined) out[k] = projectOnto(shape[k], v);
    return out;
  }
  if (s instanceof z.ZodArray && Array.isArray(value)) {
    return value.map((v) => projectOnto(s.element as z.ZodTypeAny, v));
  }
  return value;
}

/**
 * The inputs inside the outputs: the input keys, and inside nested objects only the members the input
 * schema has (the server adds `aws.roles`, `aws.iamRoleArn` …, which are not inputs and would fail check).
 */
export function inputsOf(outs: PropertyMap, inputs: z.ZodObject<z.ZodRawShape>): PropertyMap {
  const found: PropertyMap = {};
  for (const k of Object.keys(inputs.shape)) {
    if (outs[k] !== undefined) found[k] = projectOnto(inputs.shape[k], outs[k]);
  }
  return found;
}
