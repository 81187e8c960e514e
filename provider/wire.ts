/**
 * Pulumi's wire conventions as the dynamic-provider host hands them to us. The host unwraps secrets only in
 * Configure; Check/Diff/Create/Update/Read/Delete receive `{ "4dabf…": "1b47…", value }` objects and the
 * unknown sentinel as they came from the engine, so the adapter deals with both itself.
 */

/** Key that marks a wire object as one of Pulumi's special values (`rpc.specialSigKey`). */
export const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
/** Signature value of a secret (`rpc.specialSecretSig`). */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** The string that stands for a value not known yet (during preview), `rpc.unknownValue`. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A property bag as it travels over the wire. */
export type PropertyMap = Record<string, unknown>;

/** True when `v` is a secret in wire form. */
export function isSecretWire(v: unknown): v is { value: unknown } {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    (v as Record<string, unknown>)[SPECIAL_SIG_KEY] === SECRET_SIG
  );
}

/** Wraps a value in the wire form of a secret. */
export function secretWire(value: unknown): Record<string, unknown> {
  return { [SPECIAL_SIG_KEY]: SECRET_SIG, value };
}

/** True when `v` is or contains (at any depth, secrets included) the unknown sentinel. */
export function containsUnknown(v: unknown): boolean {
  if (v === UNKNOWN_VALUE) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (typeof v === "object" && v !== null) return Object.values(v).some(containsUnknown);
  return false;
}

/** Removes every secret wrapper, at any depth, leaving the plain values. */
export function unwrapSecrets(v: unknown): unknown {
  if (isSecretWire(v)) return unwrapSecrets(v.value);
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
  }
  return v;
}

/**
 * Paths (as arrays of keys) of every unknown value inside `v`, secrets looked through. A value inside an
 * unknown is not judged, so the adapter drops validation issues at or below these paths, and issues on a
 * container that holds one (a cross-field rule cannot be judged on half a value).
 */
export function unknownPaths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (v === UNKNOWN_VALUE) return [at];
  if (isSecretWire(v)) return unknownPaths(v.value, at);
  if (Array.isArray(v)) return v.flatMap((x, i) => unknownPaths(x, [...at, i]));
  if (typeof v === "object" && v !== null) {
    return Object.entries(v).flatMap(([k, x]) => unknownPaths(x, [...at, k]));
  }
  return [];
}

/** The user's own properties: drops `__provider` and any other `__`-prefixed engine key. */
export function withoutInternalKeys(props: PropertyMap | undefined): PropertyMap {
  const out: PropertyMap = {};
  for (const [k, v] of Object.entries(props ?? {})) if (!k.startsWith("__")) out[k] = v;
  return out;
}

/** Deterministic JSON (sorted keys), for comparing values. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (typeof v === "object" && v !== null) {
    const entries = Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "undefined";
}

/**
 * The one rule for everything the provider hands back to the dynamic-provider host: no `undefined` at any
 * depth. The host turns outputs into a protobuf Struct, which rejects `undefined` below the top level
 * ("Unexpected struct type.") after the object already exists, which would orphan it. A member whose value
 * is `undefined` is left out and an `undefined` array element becomes `null`, as `JSON.stringify` does.
 */
export function withoutUndefined<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x: unknown) => (x === undefined ? null : withoutUndefined(x))) as T;
  if (typeof v === "object" && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = withoutUndefined(x);
    return out as T;
  }
  return v;
}
