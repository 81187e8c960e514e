/**
 * The generic adapter: turns one declarative spec (provider/specs/*) into the methods of a Pulumi dynamic
 * `ResourceProvider`. Every rule that is the same for all objects lives here once: validation, unknowns and
 * secrets on the wire, local diffs, the single POST with reconciliation when its outcome is unknown, "gone"
 * (with a 403 proven to be a deletion before it is believed), one PATCH with only the changed fields, a
 * delete that never pretends, and adoption of an existing object (`importId`, see {@link IMPORT_ID}).
 *
 * This file wires the operations together; the parts live beside it: the pure value rules (compare, merge,
 * project) in compare.ts, the create's POST and its reconciliation in create.ts, adoption in adopt.ts, and
 * the calls on one existing object (read, "gone", PATCH) in calls.ts. The pure decisions of this file
 * (input schema, check failures, diff) are exported and tested directly (tests/provider/adapter.test.ts).
 */
import { z } from "zod";
import { ConfluentApiError } from "./client";
import { ReadCoalescer } from "./coalesce";
import { adopt } from "./adopt";
import {
  changedFields,
  inputsOf,
  mergeOutputs,
  withoutInputOnly,
  withoutStaleWriteOnly,
  type CompareRules,
} from "./compare";
import { postOnce, settleInterruptedCreate } from "./create";
import { confirmGone, fetchOne, isGone, patchFields, requireFoundWithNewCredentials } from "./calls";
import { errorText, failuresFromIssue, propertyPath } from "./messages";
import { anyOAuth, OAUTH_SETTING_NAMES, OAUTH_SETTINGS, oauthProblems, type OAuthValues } from "./oauth";
import {
  configuredOAuth,
  getClient,
  logProgress,
  resolveCredentials,
  type ResourceCredentials,
} from "./runtime";
import type { OperationContext, Spec } from "./spec";
import {
  IMPORT_ID,
  isSecretWire,
  PROVIDER_INPUTS,
  pendingOperationOf,
  unknownPaths,
  unwrapSecrets,
  withoutInternalKeys,
  type CheckFailure,
  type CheckResult,
  type CreateResult,
  type DiffResult,
  type PropertyMap,
  type ReadResult,
  type UpdateResult,
} from "../protocol";

/** The operations of one object, with wire-level arguments, as the dynamic host calls them. */
export interface Adapter {
  readonly kind: string;
  readonly secretOutputs: readonly string[];
  check(olds: PropertyMap, news: PropertyMap): Promise<CheckResult>;
  diff(id: string, olds: PropertyMap, news: PropertyMap): Promise<DiffResult>;
  create(inputs: PropertyMap): Promise<CreateResult>;
  read(id: string, props: PropertyMap): Promise<ReadResult>;
  update(id: string, olds: PropertyMap, news: PropertyMap): Promise<UpdateResult>;
  delete(id: string, props: PropertyMap): Promise<void>;
}

/** Whether the path `short` is a prefix of (or equal to) the path `long`. */
function startsWith(long: readonly (string | number)[], short: readonly (string | number)[]): boolean {
  return short.length <= long.length && short.every((p, i) => long[i] === p);
}

/**
 * A `Provider`'s inputs (protocol/index.ts `PROVIDER_INPUTS`): each a non-empty string when present. The
 * messages never quote the value (the key and secret are secrets).
 */
const providerInputSchema = z
  .unknown()
  .superRefine((v, c) => {
    if (v !== undefined && (typeof v !== "string" || v === "")) {
      c.addIssue({ code: "custom", message: "must be a non-empty string; set it on the Provider" });
    }
  })
  .optional();

/** A Provider's `endpoint`: an http(s) URL. */
const endpointSchema = z
  .unknown()
  .superRefine((v, c) => {
    if (v === undefined) return;
    let ok = false;
    try {
      ok = typeof v === "string" && /^https?:$/.test(new URL(v).protocol);
    } catch {
      ok = false;
    }
    if (!ok) {
      c.addIssue({
        code: "custom",
        message: "must be an http(s) URL such as https://api.confluent.cloud; set it on the Provider",
      });
    }
  })
  .optional();

/** The key and secret come together: a Provider with one of them would silently mix two sources. */
function checkProviderPair(v: Record<string, unknown>, c: z.RefinementCtx): void {
  const key = v.cloudApiKey !== undefined;
  const secret = v.cloudApiSecret !== undefined;
  if (key === secret) return;
  const [given, missing] = key ? ["cloudApiKey", "cloudApiSecret"] : ["cloudApiSecret", "cloudApiKey"];
  c.addIssue({
    code: "custom",
    path: [missing],
    message:
      `is required when ${given} is set: a Provider sets cloudApiKey and cloudApiSecret together; set ` +
      `both, or neither to use the stack config or the environment`,
  });
}

/** The credentials a resource carries (from a `Provider`), taken out of plain inputs. */
export function ownCredentials(plain: Record<string, unknown>): ResourceCredentials | undefined {
  const str = (k: string): string | undefined => {
    const v = plain[k];
    return typeof v === "string" && v !== "" ? v : undefined;
  };
  const own = { apiKey: str("cloudApiKey"), apiSecret: str("cloudApiSecret"), endpoint: str("endpoint") };
  const oauth = providerOAuthValues(plain);
  if (oauth !== undefined) return { ...own, oauth };
  return own.apiKey || own.apiSecret || own.endpoint ? own : undefined;
}

/** A Provider's OAuth settings among a resource's inputs (provider/oauth.ts), or undefined. */
function providerOAuthValues(plain: Record<string, unknown>): OAuthValues | undefined {
  const out: OAuthValues = {};
  for (const k of OAUTH_SETTING_NAMES) {
    const v = plain[k];
    if (typeof v === "string" && v !== "") out[k] = v;
  }
  return anyOAuth(out) ? out : undefined;
}

/**
 * Exactly one kind of credentials per Provider: the key and secret, or OAuth, each complete. Names what is
 * missing or extra, never a value. (A ready token is not a Provider input: it would be stored.)
 */
function checkProviderOAuth(v: Record<string, unknown>, c: z.RefinementCtx): void {
  const oauth = providerOAuthValues(v);
  if (oauth === undefined) return;
  if (v.cloudApiKey !== undefined || v.cloudApiSecret !== undefined) {
    c.addIssue({
      code: "custom",
      path: [v.cloudApiKey !== undefined ? "cloudApiKey" : "cloudApiSecret"],
      message:
        "cannot be set together with OAuth (oauth… arguments): a Provider uses one kind of credentials; " +
        "remove cloudApiKey and cloudApiSecret to sign in by OAuth, or the oauth… arguments to use the key",
    });
    return;
  }
  // The ready token may come from config or env (provider/runtime.ts), so it counts as a source here.
  const env = { ...process.env };
  const ready =
    configuredOAuth("oauthExternalAccessToken") ?? process.env[OAUTH_SETTINGS.oauthExternalAccessToken.env];
  const withReady =
    ready && !oauth.oauthExternalTokenUrl && !oauth.oauthExternalAccessTokenFile
      ? { ...oauth, oauthExternalAccessToken: ready }
      : oauth;
  for (const p of oauthProblems(withReady, env)) {
    c.addIssue({ code: "custom", path: [p.property], message: p.reason });
  }
}

/**
 * The schema `check` and every operation validate with: the spec's inputs made strict (an unknown key is a
 * typo), plus the provider-only `importId` (checked against the spec's import ID pattern) and a Provider's
 * `cloudApiKey`, `cloudApiSecret`, `endpoint`, plus the spec's cross-field rules.
 */
export function inputSchema<I extends Record<string, unknown>, R>(
  spec: Spec<I, R>,
): z.ZodType<I, z.ZodTypeDef, unknown> {
  const clash = PROVIDER_INPUTS.filter((k) => k in spec.inputs.shape);
  if (clash.length > 0) {
    throw new Error(
      `${spec.kind}: the input ${clash.join(", ")} is a Provider input (protocol/index.ts PROVIDER_INPUTS); ` +
        `rename the object's input`,
    );
  }
  const importIdSchema = z
    .string()
    .superRefine((v, c) => {
      if (!(spec.importIdPattern ?? /\S/).test(v)) {
        c.addIssue({
          code: "custom",
          message: `must look like ${spec.importIdFormat}; got ${JSON.stringify(v)}`,
        });
      }
    })
    .optional();
  const providerInputs = {
    ...Object.fromEntries(PROVIDER_INPUTS.map((k) => [k, providerInputSchema])),
    endpoint: endpointSchema,
  };
  const strictInputs = spec.inputs
    .extend({ [IMPORT_ID]: importIdSchema, ...providerInputs })
    .strict()
    .superRefine((v, ctx) => {
      checkProviderPair(v, ctx);
      checkProviderOAuth(v, ctx);
      spec.crossCheck?.(v as I, ctx);
    });
  return strictInputs as unknown as z.ZodType<I, z.ZodTypeDef, unknown>;
}

/** The paths of the secret values in wire inputs. */
function secretPaths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (isSecretWire(v)) return [at];
  if (Array.isArray(v)) return v.flatMap((x, i) => secretPaths(x, [...at, i]));
  if (typeof v === "object" && v !== null) {
    return Object.entries(v).flatMap(([k, x]) => secretPaths(x, [...at, k]));
  }
  return [];
}

/**
 * The longest string any input may hold (characters), checked before anything is sent. The specs give most
 * names their own maximum (a service account's displayName: 64), which check reports first; this limit is
 * for the fields the API documents none for (descriptions, certificate chains), so that a runaway value
 * (5 MB) is refused by check, naming the field, instead of failing somewhere on the wire.
 */
export const MAX_INPUT_CHARS = 1_048_576;

/** A failure for each string in `plain` longer than {@link MAX_INPUT_CHARS}. */
function oversizedInputs(plain: unknown, path: (string | number)[] = []): CheckFailure[] {
  if (typeof plain === "string" && plain.length > MAX_INPUT_CHARS) {
    return [
      {
        property: propertyPath(path),
        reason:
          `is ${plain.length} characters long; an input may hold at most ${MAX_INPUT_CHARS} characters ` +
          `(this package's limit where the API documents none); shorten it`,
      },
    ];
  }
  if (Array.isArray(plain)) return plain.flatMap((v, i) => oversizedInputs(v, [...path, i]));
  if (typeof plain === "object" && plain !== null) {
    return Object.entries(plain).flatMap(([k, v]) => oversizedInputs(v, [...path, k]));
  }
  return [];
}

/**
 * Check's failures for wire inputs: every schema issue as `{ property, reason }`, except the issues at,
 * below or above a value not known yet (preview), which cannot be judged; an unknown key is judged always.
 * A reason about a secret value never quotes it.
 */
export function checkFailures(
  schema: z.ZodType<unknown, z.ZodTypeDef, unknown>,
  kind: string,
  news: PropertyMap,
): CheckFailure[] {
  const plain = unwrapSecrets(withoutInternalKeys(news));
  const unknowns = unknownPaths(withoutInternalKeys(news));
  const secrets = secretPaths(withoutInternalKeys(news));
  const parsed = schema.safeParse(plain);
  const failures: CheckFailure[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const judged =
        issue.code === "unrecognized_keys" ||
        !unknowns.some((u) => startsWith(issue.path, u) || startsWith(u, issue.path));
      if (!judged) continue;
      const secret = secrets.some((s) => startsWith(issue.path, s));
      for (const f of failuresFromIssue(issue, plain, kind)) {
        failures.push(
          secret ? { ...f, reason: f.reason.replace(/ \(got [^)]*\)/, " (got a secret value)") } : f,
        );
      }
    }
  }
  // A field whose own maximum already failed is not reported twice.
  for (const f of oversizedInputs(plain)) {
    if (!failures.some((x) => x.property === f.property)) failures.push(f);
  }
  return failures;
}

/**
 * Plain, validated inputs (without `importId` and a Provider's inputs, which no spec hook sees), the import
 * ID and the resource's own credentials; throws when invalid (check should have caught it first).
 */
export function parseWire<I>(
  schema: z.ZodType<I, z.ZodTypeDef, unknown>,
  kind: string,
  wire: PropertyMap,
): { inputs: I; importId: string | undefined; own: ResourceCredentials | undefined } {
  const plain = unwrapSecrets(withoutInternalKeys(wire));
  const parsed = schema.safeParse(plain);
  const oversized = oversizedInputs(plain);
  if (parsed.success && oversized.length === 0) {
    const { [IMPORT_ID]: importId, ...rest } = parsed.data as I & { [IMPORT_ID]?: unknown };
    const inputs: Record<string, unknown> = { ...rest };
    for (const k of PROVIDER_INPUTS) delete inputs[k];
    return {
      inputs: inputs as unknown as I,
      importId: typeof importId === "string" ? importId : undefined,
      own: ownCredentials(rest),
    };
  }
  const failures = parsed.success
    ? []
    : parsed.error.issues.flatMap((i) => failuresFromIssue(i, plain, kind));
  for (const f of oversized) if (!failures.some((x) => x.property === f.property)) failures.push(f);
  throw new Error(`Invalid ${kind} inputs: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
}

/**
 * Diff's answer for old outputs and new inputs: the compared fields (replace-fields, then in-place ones, then
 * provider-only ones, then a Provider's inputs) that changed, the replace-fields among them, and never
 * delete-before-replace. A Provider's inputs (credentials, endpoint) are always in-place: they never
 * replace an object.
 */
export function diffOf(
  olds: PropertyMap,
  news: PropertyMap,
  spec: CompareRules &
    Pick<Spec<Record<string, unknown>, unknown>, "replaceOnChange" | "updateInPlace" | "providerOnly">,
): DiffResult {
  const compared = [
    ...spec.replaceOnChange,
    ...spec.updateInPlace,
    ...(spec.providerOnly ?? []),
    ...PROVIDER_INPUTS,
  ];
  const changed = changedFields(olds, news, compared, spec);
  const replaces = changed.filter((f) => spec.replaceOnChange.includes(f));
  const detailedDiff: DiffResult["detailedDiff"] = {};
  for (const f of changed) {
    detailedDiff[f] = { kind: replaces.includes(f) ? "update-replace" : "update", inputDiff: true };
  }
  return {
    changes: changed.length > 0,
    replaces,
    deleteBeforeReplace: false,
    diffs: changed,
    detailedDiff,
  };
}

/** Builds the adapter for one spec. */
export function makeAdapter<I extends Record<string, unknown>, R>(spec: Spec<I, R>): Adapter {
  const schema = inputSchema(spec);
  const inputKeys = Object.keys(spec.inputs.shape);

  /** The context of one operation: the client for the resource's own credentials, else config/env. */
  const ctx = (own: ResourceCredentials | undefined): OperationContext => ({
    client: getClient(undefined, own),
    log: logProgress,
    endpoint: resolveCredentials(undefined, own).endpoint,
  });

  /** The credentials stored in an object's outputs (for read and delete, which receive only those). */
  const storedCredentials = (props: PropertyMap): ResourceCredentials | undefined =>
    ownCredentials(unwrapSecrets(withoutInternalKeys(props)) as Record<string, unknown>);

  /**
   * Ids of the objects of this kind that this provider process has created, read, diffed or updated:
   * objects the stack owns (an `up` diffs every object already in the state, unchanged ones too). The
   * dynamic-provider host serves one run, so these are the stack's objects seen so far in this run. A create
   * whose outcome is unknown never takes over, nor blames, one of them.
   */
  const owned = new Set<string>();

  /** Overlapping reads of this kind answered from its list (provider/coalesce.ts); absent: GET each. */
  const coalescer =
    spec.listRead && !spec.read
      ? new ReadCoalescer<R>({
          itemSchema: spec.response,
          idOf: (item) => spec.idOf(item),
          pageSize: spec.listRead.pageSize ?? 100,
        })
      : undefined;

  const adapter: Adapter = {
    kind: spec.kind,
    secretOutputs: spec.secretOutputs,

    async check(_olds, news) {
      return { inputs: news, failures: checkFailures(schema, spec.kind, news) };
    },

    async diff(id, olds, news) {
      if (id !== "") owned.add(id);
      return diffOf(olds, news, spec);
    },

    async create(wireInputs) {
      const { inputs, importId, own } = parseWire(schema, spec.kind, wireInputs);
      const context = ctx(own);
      if (importId !== undefined) {
        const adopted = await adopt(spec, context, wireInputs, inputs, importId);
        owned.add(adopted.id);
        return adopted;
      }
      const refused = spec.refuseCreate?.(inputs);
      if (refused !== undefined) throw new Error(refused);
      if (spec.create) {
        const made = await spec.create(context, inputs);
        owned.add(made.id);
        return {
          id: made.id,
          outs: withoutInputOnly(
            mergeOutputs(withoutInternalKeys(wireInputs), made.outs, spec.secretOutputs),
            spec.inputOnly,
          ),
        };
      }
      // The POST's answer is the truth we record: a GET right after it could miss the object (eventual
      // consistency) and would be a second call for nothing.
      const body = await postOnce(spec, owned, context.client, inputs);
      const id = spec.idOf(body);
      owned.add(id);
      let outs = withoutInputOnly(
        mergeOutputs(withoutInternalKeys(wireInputs), spec.toOutputs(body), spec.secretOutputs),
        spec.inputOnly,
      );
      if (spec.afterCreate) outs = await spec.afterCreate(context, id, inputs, outs);
      return { id, outs };
    },

    async read(id, props) {
      // An operation of an earlier run that never finished (runner/state.ts pendingOperations).
      const pending = pendingOperationOf(props);
      if (pending?.type === "creating") {
        // What the state records (references such as an owner's id included) is never taken as made by
        // it; `owned` itself keeps meaning "managed by this stack" for the conflict messages.
        const known = new Set([...owned, ...pending.known]);
        const { inputs, importId, own } = parseWire(schema, spec.kind, props);
        // An adoption sends no POST: nothing can have been made.
        if (importId !== undefined) return { id: "", props: {} };
        const context = ctx(own);
        const body = await settleInterruptedCreate(spec, known, context.client, inputs, pending.startedAt);
        if (body === undefined) return { id: "", props: {} };
        const madeId = spec.idOf(body);
        owned.add(madeId);
        logProgress(`${spec.kind}: ${madeId} was made by the interrupted create; it is adopted`);
        const outs = withoutInputOnly(
          mergeOutputs(withoutInternalKeys(props), spec.toOutputs(body), spec.secretOutputs),
          spec.inputOnly,
        );
        return { id: madeId, props: outs };
      }
      const old = withoutInternalKeys(props);
      const loc = spec.locate(id, unwrapSecrets(old) as PropertyMap);
      const context = ctx(storedCredentials(props));
      const list = coalescer ? spec.listRead?.route(loc, unwrapSecrets(old) as PropertyMap) : undefined;
      const { fresh, goneAnswer } =
        coalescer && list
          ? await coalescer.read(
              context.client,
              list,
              loc.id,
              () => fetchOne(spec, context, loc, old),
              (item) => ({ fresh: spec.toOutputs(item) }),
            )
          : await fetchOne(spec, context, loc, old);
      if (goneAnswer !== undefined) await confirmGone(spec, context.client, goneAnswer, loc);
      if (fresh === undefined) return { id: "", props: {} };
      owned.add(loc.id);
      const outs = withoutStaleWriteOnly(
        withoutInputOnly(mergeOutputs(old, fresh, spec.secretOutputs), spec.inputOnly),
        spec,
      );
      // A Provider's inputs stay inputs too, so a refresh leaves nothing for the next diff to show.
      const inputs = inputsOf(outs, spec.inputs);
      // A secret the server chose (an API key's secret) is no input the program declared.
      for (const k of spec.secretOutputs) if (spec.serverDefaulted?.includes(k)) delete inputs[k];
      for (const k of PROVIDER_INPUTS) if (outs[k] !== undefined) inputs[k] = outs[k];
      return { id: loc.id, props: outs, inputs };
    },

    async update(id, olds, news) {
      const { inputs, own } = parseWire(schema, spec.kind, news);
      const oldOuts = withoutInternalKeys(olds);
      const loc = spec.locate(id, unwrapSecrets(oldOuts) as PropertyMap);
      owned.add(loc.id);
      // The new credentials: a changed Provider takes effect with this update.
      const context = ctx(own);
      // A change of credentials or endpoint is accepted only once the new ones find the object (one read):
      // else every later call, a delete too, would go to another organization and find nothing there.
      if (changedFields(olds, news, PROVIDER_INPUTS, spec).length > 0) {
        await requireFoundWithNewCredentials(spec, context, loc, oldOuts);
      }
      const objectFields = [...spec.replaceOnChange, ...spec.updateInPlace, ...(spec.providerOnly ?? [])];
      if (changedFields(olds, news, objectFields, spec).length === 0) {
        // Only a Provider's credentials or endpoint changed: store the new ones (or drop them, to fall back
        // to the stack config and env), and keep every other output as it is.
        const outs: PropertyMap = { ...oldOuts };
        for (const k of PROVIDER_INPUTS) {
          if (news[k] === undefined) delete outs[k];
          else outs[k] = news[k];
        }
        return { outs };
      }
      const changedApi = changedFields(olds, news, spec.updateInPlace, spec);
      let fresh: PropertyMap = {};
      if (changedApi.length > 0 && spec.updateRequest) {
        // A field the program no longer sets goes back to its default (as adoption does).
        fresh = await patchFields(spec, context, loc, changedApi, inputs);
      }
      const base: PropertyMap = { ...oldOuts, ...withoutInternalKeys(news) };
      // An input the user removed must leave the outputs too, or every later diff would see it again; a
      // server-defaulted one keeps the server's value (an API key's secret, which the program need not give).
      for (const k of inputKeys) {
        if (news[k] === undefined && !(k in fresh) && !spec.serverDefaulted?.includes(k)) delete base[k];
      }
      // Likewise a Provider's inputs: without them the object falls back to the stack config and env.
      for (const k of PROVIDER_INPUTS) if (news[k] === undefined) delete base[k];
      let outs = withoutInputOnly(mergeOutputs(base, fresh, spec.secretOutputs), spec.inputOnly);
      if (spec.afterUpdate) outs = await spec.afterUpdate(context, loc, oldOuts, inputs, outs);
      return { outs };
    },

    async delete(id, props) {
      const old = withoutInternalKeys(props);
      const plain = unwrapSecrets(old) as PropertyMap;
      const loc = spec.locate(id, plain);
      const skip = spec.skipDelete?.(plain);
      if (skip !== undefined) {
        logProgress(`${spec.kind} ${loc.id}: not deleted: ${skip}`);
        return;
      }
      const context = ctx(storedCredentials(props));
      try {
        if (spec.delete) {
          await spec.delete(context, loc, old);
          return;
        }
        const route = spec.itemRoute(loc);
        await context.client.request("DELETE", route.path, { query: route.query });
      } catch (e) {
        if (isGone(spec, e)) {
          await confirmGone(spec, context.client, e, loc);
          return;
        }
        const hint = e instanceof ConfluentApiError ? spec.deleteHints?.[e.status] : undefined;
        throw new Error(
          `Could not delete ${spec.noun} ${loc.id}; it still exists: ${errorText(e)}${hint ? ` ${hint}` : ""}`,
        );
      }
    },
  };
  // An object that manages several API objects performs these itself (Spec.operations).
  Object.assign(adapter, spec.operations?.() ?? {});
  if (coalescer === undefined) return adapter;
  // A write of this kind makes earlier list snapshots stale: drop them before and after it.
  const invalidating =
    <A extends unknown[], T>(op: (...args: A) => Promise<T>) =>
    async (...args: A): Promise<T> => {
      coalescer.invalidate();
      try {
        return await op(...args);
      } finally {
        coalescer.invalidate();
      }
    };
  return {
    ...adapter,
    create: invalidating(adapter.create.bind(adapter)),
    update: invalidating(adapter.update.bind(adapter)),
    delete: invalidating(adapter.delete.bind(adapter)),
  };
}
