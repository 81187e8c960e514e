/**
 * The protocol between this package's parts, stated once: Pulumi's wire conventions (secrets, unknowns),
 * the type tokens the SDK registers and the runner and policies recognise, the provider-only input that
 * carries an import, and the answers a provider gives. The provider, the SDK, the runner and the policy
 * pack all import it, so it imports nothing (no package, not even a Node built-in) and loads anywhere.
 *
 * The dynamic-provider host unwraps secrets only in Configure; Check/Diff/Create/Update/Read/Delete receive
 * `{ "4dabf…": "1b47…", value }` objects and the unknown sentinel as they came from the engine, so the
 * provider and the runner both deal with them, with the helpers below.
 */

// ---------------------------------------------------------------------------------------------------------
// Wire values

/** Key that marks a wire object as one of Pulumi's special values (`rpc.specialSigKey`). */
export const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
/** Signature value of a secret (`rpc.specialSecretSig`). */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** The string that stands for a value not known yet (during preview), `rpc.unknownValue`. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The property that carries the serialized provider in every dynamic resource's inputs and outputs. */
export const PROVIDER_KEY = "__provider";

/** A property bag as it travels over the wire (plain JSON, with the sentinels above). */
export type PropertyMap = Record<string, unknown>;

/** A secret on the wire: `{ "4dabf…": "1b47…", value }`. */
export interface SecretWire {
  /** Always {@link SECRET_SIG}. */
  [SPECIAL_SIG_KEY]: typeof SECRET_SIG;
  /** The secret's plain value. */
  value: unknown;
}

/** Wraps a value in the wire form of a secret. */
export function secretWire(value: unknown): SecretWire {
  return { [SPECIAL_SIG_KEY]: SECRET_SIG, value };
}

/** True when `v` is a secret in wire form. */
export function isSecretWire(v: unknown): v is SecretWire {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    (v as Record<string, unknown>)[SPECIAL_SIG_KEY] === SECRET_SIG
  );
}

/** True when `v` is the unknown sentinel. */
export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN_VALUE;
}

/** True when `v` is or contains (at any depth, secrets included) the unknown sentinel. */
export function containsUnknown(v: unknown): boolean {
  if (isUnknown(v)) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (typeof v === "object" && v !== null) return Object.values(v).some(containsUnknown);
  return false;
}

/** True when `v` is or contains (at any depth) a secret in wire form. */
export function containsSecret(v: unknown): boolean {
  if (isSecretWire(v)) return true;
  if (Array.isArray(v)) return v.some(containsSecret);
  if (typeof v === "object" && v !== null) return Object.values(v).some(containsSecret);
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
  if (isUnknown(v)) return [at];
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

// ---------------------------------------------------------------------------------------------------------
// Type tokens

/**
 * What every dynamic-provider resource's type token starts with (`pulumi-nodejs:dynamic:Resource` for a
 * plain one, `pulumi-nodejs:dynamic/<module>:<type>` for one registered with a module and type).
 */
export const DYNAMIC_PREFIX = "pulumi-nodejs:dynamic";

/** The `module` part of every type token this package registers: `pulumi-nodejs:dynamic/confluent:<Class>`. */
export const TOKEN_MODULE = "confluent";

/** What every type token of this package starts with; the SDK class name follows. */
export const TYPE_PREFIX = `${DYNAMIC_PREFIX}/${TOKEN_MODULE}:`;

/**
 * The type token of an SDK class (`RoleBinding` → `pulumi-nodejs:dynamic/confluent:RoleBinding`), as
 * `dynamic.Resource` builds it from the `module` and `type` arguments the SDK passes.
 */
export function typeTokenOf(kind: string): string {
  return `${TYPE_PREFIX}${kind}`;
}

// ---------------------------------------------------------------------------------------------------------
// Adoption

/**
 * The provider-only input through which a program adopts an existing object. The SDK moves the `import`
 * resource option here (sdk/base.ts) because the engine cannot import a dynamic-provider resource: it sends
 * Read without the serialized provider and the dynamic-provider host fails (pulumi/pulumi#16175). Create then
 * reads the object instead of POSTing it. Diff never looks at it, so dropping the option later is a no-op.
 */
export const IMPORT_ID = "importId";

// ---------------------------------------------------------------------------------------------------------
// Interrupted operations

/**
 * The key under which the runner hands the provider, in Read's properties, an operation of an earlier run
 * that never finished (the runner's `pendingOperations`, runner/state.ts): Read then settles it instead of
 * (creating) or before (updating) reading. Like every `__` key it never reaches a spec.
 */
export const PENDING_OPERATION_KEY = "__pendingOperation";

/** The value under {@link PENDING_OPERATION_KEY}. */
export interface PendingOperationMarker {
  /** `creating`: Read is called with id "" and the create's inputs; `updating`: with the stored outputs. */
  type: "creating" | "updating";
  /** When the runner sent the operation to the provider (ms since the epoch, the machine's clock). */
  startedAt: number;
  /** Ids the stack records (never taken for what the interrupted operation made). */
  known: string[];
  /** `updating`: the inputs the update was sent with (what an object it made would carry). */
  inputs?: PropertyMap;
}

/** The marker in `props`, if a well-formed one is there. */
export function pendingOperationOf(props: PropertyMap | undefined): PendingOperationMarker | undefined {
  const v = props?.[PENDING_OPERATION_KEY] as Partial<PendingOperationMarker> | undefined;
  if (typeof v !== "object" || v === null) return undefined;
  if ((v.type !== "creating" && v.type !== "updating") || typeof v.startedAt !== "number") return undefined;
  const known = Array.isArray(v.known) ? v.known.filter((k): k is string => typeof k === "string") : [];
  const inputs = typeof v.inputs === "object" && v.inputs !== null ? v.inputs : undefined;
  return { type: v.type, startedAt: v.startedAt, known, ...(inputs ? { inputs } : {}) };
}

// ---------------------------------------------------------------------------------------------------------
// Explicit providers

/**
 * The provider-only inputs through which a `Provider` (sdk/provider-resource.ts) gives one resource its own
 * credentials and endpoint, named as @pulumi/confluentcloud's provider arguments. The SDK moves the
 * `provider` resource option here (sdk/base.ts), because a dynamic resource's provider is always
 * `pulumi-nodejs`: the key and secret travel as secrets, so the state holds them encrypted, never in the
 * serialized provider text. They are kept in the outputs too, because read and delete receive only the
 * stored outputs. Diff compares them as in-place fields; update changes them without an API call. Without
 * them the provider uses the stack config and the environment, as before.
 */
export const PROVIDER_INPUTS = [
  "cloudApiKey",
  "cloudApiSecret",
  "endpoint",
  // OAuth (provider/oauth.ts): @pulumi/confluentcloud's `oauth` block members, flattened; the ready-token
  // value `oauthExternalAccessToken` is deliberately not one (a token is never stored in state).
  "oauthExternalTokenUrl",
  "oauthExternalClientId",
  "oauthExternalClientSecret",
  "oauthExternalTokenScope",
  "oauthIdentityPoolId",
  "oauthStsTokenExpiredInSeconds",
  "oauthExternalAccessTokenFile",
  "oauthExternalTokenAudience",
] as const;

/** One of {@link PROVIDER_INPUTS}. */
export type ProviderInput = (typeof PROVIDER_INPUTS)[number];

/** The provider inputs that are secret: in state, logs and plans they appear only encrypted or as "[secret]". */
export const SECRET_PROVIDER_INPUTS: readonly ProviderInput[] = [
  "cloudApiKey",
  "cloudApiSecret",
  "oauthExternalClientSecret",
];

// ---------------------------------------------------------------------------------------------------------
// A provider's answers

/** One failed check, the shape Pulumi's Check answer carries. */
export interface CheckFailure {
  /** Property path: `displayName`, `owner.id`, `cidrBlocks[1]`. */
  property: string;
  /** What is wrong and what to change. */
  reason: string;
}

/** Check's answer. */
export interface CheckResult {
  /** The inputs as received (secrets stay wrapped, so they stay secret in state), with `__provider`. */
  inputs: PropertyMap;
  /** Every problem found; empty when the inputs are valid (else the object must not be created or updated). */
  failures: CheckFailure[];
}

/** How one property differs (Pulumi's `PropertyDiff.Kind`). */
export type PropertyDiffKind =
  "add" | "add-replace" | "delete" | "delete-replace" | "update" | "update-replace";

/** One property's difference. */
export interface PropertyDiff {
  kind: PropertyDiffKind;
  /** The difference is between the old and new inputs (not the old outputs). */
  inputDiff: boolean;
}

/** Diff's answer as this package's provider gives it: it always knows, and always says why. */
export interface DiffResult {
  /** true when anything the object depends on changed. */
  changes: boolean;
  /** Changed properties that force a replacement. */
  replaces: string[];
  /** Always false: a replacement is created before the old object is deleted. */
  deleteBeforeReplace: boolean;
  /** Every changed property (the dynamic host drops this; an in-process caller can print it). */
  diffs: string[];
  /** Per-property detail (also dropped by the dynamic host). */
  detailedDiff: Record<string, PropertyDiff>;
}

/**
 * Diff's answer as it comes back through a provider host, whatever provider is behind it: `changes` is
 * undefined when the provider could not tell (DIFF_UNKNOWN), and `detailedDiff` only when it sent one.
 */
export interface HostDiffResult extends Omit<DiffResult, "changes" | "detailedDiff"> {
  changes: boolean | undefined;
  detailedDiff?: Record<string, PropertyDiff>;
}

/** Create's answer. */
export interface CreateResult {
  /** The new object's id ("" when only previewed). */
  id: string;
  /** Output properties (with `__provider` once through the host). */
  outs: PropertyMap;
}

/** Read's answer. */
export interface ReadResult {
  /** The object's id; "" means the object is gone. */
  id: string;
  /** Current output properties. */
  props: PropertyMap;
  /** Inputs the provider derived from what it read, when it returned them. */
  inputs?: PropertyMap;
}

/** Update's answer. */
export interface UpdateResult {
  /** New output properties (with `__provider` once through the host). */
  outs: PropertyMap;
}
