// How a policy recognises this package's resources and reads their properties safely.
//
// Resources are matched by their type token, never by class: the policy pack runs in its own process and
// never loads the SDK, and `validateResourceOfType` needs a static `__pulumiType` that dynamic resources
// do not have.
import { UnknownValueError } from "@pulumi/policy";
import { DYNAMIC_PREFIX, TYPE_PREFIX, typeTokenOf, UNKNOWN_VALUE } from "../../protocol";
import { KINDS } from "../../protocol/kinds.generated";

/**
 * Type-token prefix of every resource registered by this package's SDK classes (module `confluent`), and
 * what every dynamic-provider resource's type token starts with (`pulumi-nodejs:dynamic:Resource`, …).
 * Both come from the package's protocol module (compiled into dist/ beside these policies).
 */
export { DYNAMIC_PREFIX, TYPE_PREFIX };

/** SDK classes whose resources these policies judge. */
export type ConfluentClass = "RoleBinding" | "ApiKey" | "ApiKeyRotation" | "IpGroup" | "IdentityPool";

/**
 * Every class of this package's SDK: the only dynamic resources it ever registers. The list is generated
 * from sdk/ (scripts/registry.ts), so a new object's class is known here without an edit.
 */
export const SDK_CLASSES: readonly string[] = KINDS;

/** The type token the SDK registers for `cls`, e.g. `pulumi-nodejs:dynamic/confluent:RoleBinding`. */
export function typeToken(cls: ConfluentClass): string {
  return typeTokenOf(cls);
}

/** Whether `type` is the type token of the SDK class `cls`. */
export function isConfluentType(type: string, cls: ConfluentClass): boolean {
  return type === typeToken(cls);
}

/** Whether the resource makes API keys: an `ApiKey`, or an `ApiKeyRotation` (whose keys share its owner and names). */
export function makesApiKeys(type: string): boolean {
  return isConfluentType(type, "ApiKey") || isConfluentType(type, "ApiKeyRotation");
}

// The sentinels @pulumi/policy's deserializer substitutes for values unknown during preview. Its proxy
// throws on access to them; a policy called directly (tests, other harnesses) may see them raw.
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  UNKNOWN_VALUE,
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/**
 * What {@link readKnownProps} puts in place of a value that is unknown during preview (a computed value,
 * e.g. `User:${sa.id}` for an account the same program creates).
 */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");

/** Whether `value` is {@link UNKNOWN}. */
export function isUnknown(value: unknown): value is typeof UNKNOWN {
  return value === UNKNOWN;
}

function readKey(container: object, key: PropertyKey): unknown {
  try {
    return (container as Record<PropertyKey, unknown>)[key];
  } catch (e) {
    // @pulumi/policy's proxy throws on an unknown value; left uncaught it turns into an advisory
    // "can't run policy during preview" for every resource. The caller decides what an unknown means.
    if (e instanceof UnknownValueError) return UNKNOWN;
    throw e;
  }
}

function copyOf(value: unknown, depth: number): unknown {
  if (value === UNKNOWN) return UNKNOWN;
  if (typeof value === "string") return UNKNOWN_SENTINELS.has(value) ? UNKNOWN : value;
  if (value === null || typeof value !== "object" || depth > 32) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    const length = Number(readKey(value, "length")) || 0;
    for (let i = 0; i < length; i++) out.push(copyOf(readKey(value, i), depth + 1));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copyOf(readKey(value, key), depth + 1);
  return out;
}

function withoutUnknowns(value: unknown): unknown {
  if (value === UNKNOWN) return undefined;
  if (Array.isArray(value)) return value.map(withoutUnknowns);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = withoutUnknowns(v);
    return out;
  }
  return value;
}

/**
 * A plain deep copy of a (possibly proxied) property value in which every value still unknown during
 * preview reads as `undefined`, for checks that skip what they cannot see.
 */
export function snapshot(value: unknown): unknown {
  return withoutUnknowns(copyOf(value, 0));
}

function asRecord(copy: unknown): Record<string, unknown> {
  return copy !== null && typeof copy === "object" && !Array.isArray(copy)
    ? (copy as Record<string, unknown>)
    : {};
}

/** The resource's properties as a plain object, unknown values read as `undefined` (see {@link snapshot}). */
export function readProps(props: unknown): Record<string, unknown> {
  return asRecord(snapshot(props));
}

/**
 * The resource's properties as a plain object in which every value unknown during preview, at any depth,
 * is {@link UNKNOWN}: for the checks that fail closed on what they cannot see.
 */
export function readKnownProps(props: unknown): Record<string, unknown> {
  return asRecord(copyOf(props, 0));
}

/**
 * Whether a property was declared at all. The engine drops properties the program did not set, so a
 * missing key means "not set", while a key whose value is unknown (or `undefined`) means "not known yet".
 */
export function isDeclared(props: unknown, key: string): boolean {
  return props !== null && typeof props === "object" && Object.prototype.hasOwnProperty.call(props, key);
}
