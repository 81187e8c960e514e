/**
 * The generic adapter: turns one declarative spec (provider/specs/*) into the methods of a Pulumi dynamic
 * `ResourceProvider`. Every rule that is the same for all objects lives here once: validation, unknowns and
 * secrets on the wire, local diffs, the single POST with reconciliation when its outcome is unknown, "gone"
 * (with a 403 proven to be a deletion before it is believed), one PATCH with only the changed fields, a
 * delete that never pretends, and adoption of an existing object (`importId`, see {@link IMPORT_ID}).
 */
import { z } from "zod";
import { ConfluentApiError, NetworkError, OutcomeUnknownError, type ConfluentClient } from "./client";
import { ReadCoalescer } from "./coalesce";
import { createDeniedMessage, failuresFromIssue, importOption, PULUMI_IMPORT_UNSUPPORTED } from "./messages";
import { envNumber, getClient, logProgress, sleep, TUNING_ENV } from "./runtime";
import type { Locator, OperationContext, Spec } from "./spec";
import { CLOCK_SKEW_MS } from "./specs/common";
import {
  canonicalJson,
  containsUnknown,
  IMPORT_ID,
  isSecretWire,
  secretWire,
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

/**
 * How many POSTs a create may send when earlier ones had an unknown outcome and nothing was found. Every
 * resend follows a lookup, so a larger bound is safe; it matches the client's default attempt limit.
 */
const MAX_CREATE_SENDS = 8;

function startsWith(long: readonly (string | number)[], short: readonly (string | number)[]): boolean {
  return short.length <= long.length && short.every((p, i) => long[i] === p);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A POST whose effect on the server we cannot know. */
function outcomeUnknown(e: unknown): boolean {
  if (e instanceof OutcomeUnknownError) return true;
  if (e instanceof ConfluentApiError) return e.status >= 500;
  return e instanceof NetworkError;
}

function lastPathSegment(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const path = url.replace(/[?#].*$/, "").replace(/\/+$/, "");
  const seg = path.slice(path.lastIndexOf("/") + 1);
  return seg === "" ? undefined : decodeURIComponent(seg);
}

/** `metadata.created_at` of an API object, in ms since the epoch; undefined when absent or unreadable. */
export function createdAtOf(body: unknown): number | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const meta = (body as { metadata?: unknown }).metadata;
  if (typeof meta !== "object" || meta === null) return undefined;
  const at = (meta as { created_at?: unknown }).created_at;
  const ms = typeof at === "string" ? Date.parse(at) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Whether an object found after a create with an unknown outcome may be the one that create made: only if
 * the API stamped it as created after the first request was sent (less the clock skew). An object without
 * a creation time cannot be proven ours, so it is not taken.
 */
export function createdSince(body: unknown, sentAt: number): boolean {
  const at = createdAtOf(body);
  return at !== undefined && at >= sentAt - CLOCK_SKEW_MS;
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

/** Builds the adapter for one spec. */
export function makeAdapter<I extends Record<string, unknown>, R>(spec: Spec<I, R>): Adapter {
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
  const strictInputs = spec.inputs.extend({ [IMPORT_ID]: importIdSchema }).strict();
  const schema: z.ZodType<I, z.ZodTypeDef, unknown> = spec.crossCheck
    ? (strictInputs.superRefine((v, ctx) => spec.crossCheck?.(v as I, ctx)) as unknown as z.ZodType<
        I,
        z.ZodTypeDef,
        unknown
      >)
    : (strictInputs as unknown as z.ZodType<I, z.ZodTypeDef, unknown>);
  const inputKeys = Object.keys(spec.inputs.shape);
  const compared = [...spec.replaceOnChange, ...spec.updateInPlace, ...(spec.providerOnly ?? [])];

  const ctx = (): OperationContext => ({ client: getClient(), log: logProgress });

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

  /**
   * Plain, validated inputs (without `importId`, which no spec hook sees) and the import ID; throws when
   * invalid (check should have caught it first).
   */
  function parseAll(wire: PropertyMap): { inputs: I; importId: string | undefined } {
    const plain = unwrapSecrets(withoutInternalKeys(wire));
    const parsed = schema.safeParse(plain);
    if (parsed.success) {
      const { [IMPORT_ID]: importId, ...inputs } = parsed.data as I & { [IMPORT_ID]?: unknown };
      return {
        inputs: inputs as unknown as I,
        importId: typeof importId === "string" ? importId : undefined,
      };
    }
    const failures = parsed.error.issues.flatMap((i) => failuresFromIssue(i, plain, spec.kind));
    throw new Error(
      `Invalid ${spec.kind} inputs: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`,
    );
  }

  function parseInputs(wire: PropertyMap): I {
    return parseAll(wire).inputs;
  }

  /** A field's comparable form: unwrapped, defaulted, normalized. */
  function comparable(field: string, wireValue: unknown): string {
    let v = unwrapSecrets(wireValue);
    if (v === undefined || v === null) v = spec.defaults?.[field];
    const norm = spec.normalize?.[field];
    if (norm && v !== undefined && v !== null) v = norm(v);
    return canonicalJson(v ?? null);
  }

  function changedFields(olds: PropertyMap, news: PropertyMap, fields: readonly string[]): string[] {
    return fields.filter((f) => {
      if (news[f] === undefined && spec.serverDefaulted?.includes(f)) return false;
      return containsUnknown(news[f]) || comparable(f, olds[f]) !== comparable(f, news[f]);
    });
  }

  /**
   * Outputs: the inputs as received (secret inputs stay wrapped), then what the API says. A value the
   * caller had wrapped stays wrapped; a secret output the API no longer returns (an API key's secret after
   * create) keeps its earlier value.
   */
  function mergeOutputs(base: PropertyMap, fresh: PropertyMap): PropertyMap {
    const outs: PropertyMap = { ...base };
    for (const [k, v] of Object.entries(fresh)) {
      const before = base[k];
      if (spec.secretOutputs.includes(k) && (v === undefined || v === "") && before !== undefined) continue;
      if (isSecretWire(before)) {
        if (v !== undefined) outs[k] = secretWire(v);
        continue;
      }
      if (v === undefined) delete outs[k];
      else outs[k] = v;
    }
    return outs;
  }

  /** Outputs without the input-only fields (credentials never go to state). */
  function withoutInputOnly(outs: PropertyMap): PropertyMap {
    for (const k of spec.inputOnly ?? []) delete outs[k];
    return outs;
  }

  /**
   * The inputs inside the outputs: the input keys, and inside nested objects only the members the input
   * schema has (the server adds `aws.roles`, `aws.iamRoleArn` …, which are not inputs and would fail check).
   */
  function inputsOf(outs: PropertyMap): PropertyMap {
    const inputs: PropertyMap = {};
    for (const k of inputKeys) {
      if (outs[k] !== undefined) inputs[k] = projectOnto(spec.inputs.shape[k], outs[k]);
    }
    return inputs;
  }

  function isGone(e: unknown): e is ConfluentApiError {
    return e instanceof ConfluentApiError && spec.goneStatuses.includes(e.status);
  }

  /**
   * A 403 hides whether the object exists. Believe "gone" only when the same credentials can list this
   * kind of object (one cheap LIST, page_size=1); otherwise it is a permission problem.
   */
  async function confirmGone(client: ConfluentClient, e: ConfluentApiError, loc: Locator): Promise<void> {
    if (e.status !== 403) return;
    const route = spec.listRoute(loc);
    const denied = new Error(
      `Cannot read ${spec.noun} ${loc.id}: the API answered 403 Forbidden` +
        (route ? ` and the credentials in use cannot list ${spec.noun}s either` : "") +
        `, so this is a missing permission, not a deleted object. ${spec.readPermissionHint}`,
    );
    if (!route) throw denied;
    try {
      await client.request("GET", route.path, { query: { ...route.query, page_size: 1 } });
    } catch (probe) {
      if (probe instanceof ConfluentApiError && (probe.status === 401 || probe.status === 403)) throw denied;
      throw probe;
    }
  }

  /** Asks `find` a few times within the reconcile window (the API's read lag) until it finds something. */
  async function poll<T>(find: () => Promise<T | undefined>, what: string): Promise<T | undefined> {
    const windowMs = envNumber(TUNING_ENV.reconcileWaitMs, 5000);
    const deadline = Date.now() + windowMs;
    for (let attempt = 1; ; attempt++) {
      const found = await find();
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0 || attempt >= 4) return undefined;
      const delay = Math.min(left, Math.max(50, Math.floor(windowMs / 3)));
      logProgress(`${spec.kind} ${what}: not visible yet; looking again in ${delay} ms`);
      await sleep(delay);
    }
  }

  /** Looks the object up by its unique attributes. */
  async function lookUp(client: ConfluentClient, inputs: I): Promise<R | undefined> {
    const find = spec.findExisting;
    if (!find) return undefined;
    return poll(() => find(client, inputs), spec.describeUnique?.(inputs) ?? "");
  }

  /** For an object without unique attributes: what a create sent at `sentAt` may have made. */
  async function lookForCreated(client: ConfluentClient, inputs: I, sentAt: number): Promise<R[]> {
    const find = spec.findCreatedSince;
    if (!find) return [];
    const found = await poll(async () => {
      // A sibling the stack already knows (made earlier in this run) is not what the lost request made.
      const list = (await find(client, inputs, sentAt)).filter((b) => !owned.has(spec.idOf(b)));
      return list.length > 0 ? list : undefined;
    }, "created by the lost request");
    return found ?? [];
  }

  /**
   * The advice for a create that clashes with an existing object. `unknownOutcome`: the create's own
   * request had an unknown outcome, and the object found was not made by it.
   */
  function conflictError(
    inputs: I,
    e: unknown,
    existingId: string | undefined,
    unknownOutcome: { found: boolean; createdAt?: number } = { found: false },
  ): Error {
    const what = spec.describeUnique
      ? `${spec.noun} with ${spec.describeUnique(inputs)}`
      : `this ${spec.noun}`;
    if (existingId === undefined) {
      return new Error(`Cannot create ${what}: it conflicts with an existing object (${errorText(e)}).`);
    }
    if (owned.has(existingId)) {
      return new Error(
        `Cannot create ${what}: another resource of this stack already manages it as ${existingId}, so the ` +
          `program declares the same ${spec.noun} twice. Remove one of the two resources from the program and ` +
          `run pulumi up again.`,
      );
    }
    const importId = spec.importIdOf ? spec.importIdOf(existingId, inputs) : existingId;
    const when =
      unknownOutcome.createdAt === undefined
        ? "the API does not say when it was created, so it cannot be shown to be what this create request made"
        : "it was created before this create request was sent";
    const exists = unknownOutcome.found
      ? `it already exists as ${existingId}, and ${when} (the request's outcome is unknown: ` +
        `${errorText(e)}), so it was not taken over.`
      : `it already exists as ${existingId}.`;
    return new Error(
      `Cannot create ${what}: ${exists} If the program declares the same ${spec.noun} twice, remove one of ` +
        `the two resources. Otherwise, to manage the existing one, add the resource option ` +
        `${importOption(importId)} to this resource in the program and run pulumi up again ` +
        `(${PULUMI_IMPORT_UNSUPPORTED}), or choose different values.`,
    );
  }

  function noUniqueAttributesError(e: unknown): Error {
    // The fallback for a spec that can neither look its object up nor list what a create made: never
    // send a create twice blind.
    return new Error(
      `The ${spec.noun} create request's outcome is unknown (${errorText(e)}), so the ${spec.noun} may exist. ` +
        `It has no unique attributes to look it up by, so it was not sent again. Look for it in the Confluent ` +
        `Cloud console or API; to keep one that was created, add the resource option ${importOption("<id>")} ` +
        `to this resource in the program (${PULUMI_IMPORT_UNSUPPORTED}). Then run pulumi up again.`,
    );
  }

  function strayCreatedError(e: unknown, ids: readonly string[]): Error {
    const list = ids.join(", ");
    return new Error(
      `The ${spec.noun} create request's outcome is unknown (${errorText(e)}), and a matching ${spec.noun} ` +
        `appeared since it was sent: ${list}. Its secret was in the lost answer, so it was neither used nor ` +
        `sent again. Before deleting it, make sure it is not one of the stack's own: a key the stack manages ` +
        `is the id of an ${spec.kind} resource in the stack's state (pulumi stack export), and keys this run ` +
        `created or read are already left out of this list. If it is a stray, delete it (confluent api-key ` +
        `delete <keyId>, or DELETE /iam/v2/api-keys/<keyId>) and run pulumi up again; to keep it anyway, add ` +
        `the resource option ${importOption(ids[0] ?? "<keyId>")} to this resource (its secret stays empty).`,
    );
  }

  /**
   * After a create with an unknown outcome, the object found by the unique attributes is taken as the one
   * it made only if this stack does not already own it and the API says it was created since the first
   * request was sent (less the clock skew); anything else is someone else's object.
   */
  function madeByUs(found: R, firstSentAt: number): boolean {
    return !owned.has(spec.idOf(found)) && createdSince(found, firstSentAt);
  }

  async function postOnce(client: ConfluentClient, inputs: I): Promise<R> {
    const req = spec.createRequest(inputs);
    let lastUnknown: unknown;
    // When the first request with an unknown outcome was sent: anything it made was created after this.
    let firstSentAt: number | undefined;
    for (let send = 1; send <= MAX_CREATE_SENDS; send++) {
      const sentAt = Date.now();
      try {
        return await client.request<R>("POST", req.path, {
          query: req.query,
          body: req.body,
          schema: spec.response,
        });
      } catch (e) {
        if (e instanceof ConfluentApiError && e.status === 409) {
          // After an unknown outcome, a conflict on the unique attributes is most likely our own object.
          const found = await lookUp(client, inputs);
          if (firstSentAt !== undefined && found !== undefined && madeByUs(found, firstSentAt)) {
            logProgress(`${spec.kind}: found ${spec.idOf(found)} created by the earlier request; using it`);
            return found;
          }
          const existing = found !== undefined ? spec.idOf(found) : lastPathSegment(e.location);
          throw conflictError(inputs, e, existing);
        }
        if (e instanceof ConfluentApiError && e.status === 403) {
          throw new Error(
            createDeniedMessage(spec.kind, spec.noun, spec.describeUnique?.(inputs), e.message),
          );
        }
        if (!outcomeUnknown(e)) throw e;
        lastUnknown = e;
        firstSentAt ??= sentAt;
        if (!spec.findExisting) {
          if (!spec.findCreatedSince) throw noUniqueAttributesError(e);
          logProgress(
            `${spec.kind} create: outcome unknown (${errorText(e)}); looking for a matching ${spec.noun} ` +
              `created since the request was sent before sending it again`,
          );
          const created = await lookForCreated(client, inputs, firstSentAt);
          if (created.length > 0) throw strayCreatedError(e, created.map(spec.idOf));
          if (send < MAX_CREATE_SENDS) logProgress(`${spec.kind}: not created; sending the create again`);
          continue;
        }
        logProgress(
          `${spec.kind} create: outcome unknown (${errorText(e)}); looking for the ${spec.noun} with ` +
            `${spec.describeUnique?.(inputs) ?? "the same attributes"} before sending it again`,
        );
        const found = await lookUp(client, inputs);
        if (found !== undefined) {
          if (!madeByUs(found, firstSentAt))
            throw conflictError(inputs, e, spec.idOf(found), { found: true, createdAt: createdAtOf(found) });
          logProgress(`${spec.kind}: the earlier request did create ${spec.idOf(found)}; using it`);
          return found;
        }
        if (send < MAX_CREATE_SENDS) logProgress(`${spec.kind}: not created; sending the create again`);
      }
    }
    throw new Error(
      `Creating the ${spec.noun} failed ${MAX_CREATE_SENDS} times with an unknown outcome and it was not ` +
        `found afterwards: ${errorText(lastUnknown)}`,
    );
  }

  /** A field's value for a message: its compared form, or "not set". */
  function shown(field: string, wireValue: unknown): string {
    const c = comparable(field, wireValue);
    return c === "null" ? "not set" : c;
  }

  /**
   * One object as outputs: the spec's own read, else GET. A "gone" answer gives no outputs and the error
   * that said so (the caller decides whether to believe a 403).
   */
  async function fetchOne(
    context: OperationContext,
    loc: Locator,
    props: PropertyMap,
  ): Promise<{ fresh?: PropertyMap; goneAnswer?: ConfluentApiError }> {
    if (spec.read) return { fresh: await spec.read(context, loc, props) };
    const route = spec.itemRoute(loc);
    try {
      const body = await context.client.request<R>("GET", route.path, {
        query: route.query,
        schema: spec.response,
      });
      return { fresh: spec.toOutputs(body) };
    } catch (e) {
      if (!isGone(e)) throw e;
      return { goneAnswer: e };
    }
  }

  /**
   * Create with an import ID: one GET instead of the POST. The object must already be what the program
   * declares in its replace-fields (adoption never replaces); differing update-fields are brought in line
   * with one PATCH. No readiness wait: an adopted object is in use already.
   */
  async function adopt(
    context: OperationContext,
    wireInputs: PropertyMap,
    inputs: I,
    importId: string,
  ): Promise<{ id: string; outs: PropertyMap }> {
    const declared = withoutInternalKeys(wireInputs);
    const plainDeclared = unwrapSecrets(declared) as PropertyMap;
    const loc = spec.locate(importId, plainDeclared);
    // A 403 here may be a missing permission as well as a missing object: the message below says both, so
    // no LIST probe is spent on telling them apart.
    let { fresh } = await fetchOne(context, loc, plainDeclared);
    if (fresh === undefined) {
      throw new Error(
        `Cannot import ${spec.noun} ${importId}: it does not exist (or these credentials cannot see it). ` +
          `Remove the import option to create a new one.`,
      );
    }
    const known = fresh;
    // A field the API does not answer cannot be judged (it is kept as the program declares it).
    const answered = (fields: readonly string[]) => fields.filter((f) => f in known);
    const patchable = spec.updateRequest ? spec.updateInPlace : [];
    const fixed = changedFields(known, declared, answered(spec.replaceOnChange)).concat(
      changedFields(known, declared, answered(spec.updateInPlace.filter((f) => !patchable.includes(f)))),
    );
    if (fixed.length > 0) {
      // A value the program marked secret is not written into the message, nor what the API holds for it.
      const hidden = (f: string, v: unknown): string =>
        isSecretWire(declared[f]) ? "[secret]" : shown(f, v);
      const what = fixed
        .map((f) => `${f} is ${hidden(f, known[f])} but the program declares ${hidden(f, declared[f])}`)
        .join("; ");
      throw new Error(
        `Cannot import ${spec.noun} ${importId}: ${what}. Importing cannot change ` +
          `${fixed.length === 1 ? "this field" : "these fields"} (a change would replace the ${spec.noun}): ` +
          `change the program to match, or remove the import option to create a new ${spec.noun}.`,
      );
    }
    const toPatch = changedFields(known, declared, answered(patchable));
    if (toPatch.length > 0 && spec.updateRequest) {
      context.log(
        `${spec.kind} ${loc.id}: adopting it; ${toPatch.join(", ")} differ${toPatch.length === 1 ? "s" : ""} ` +
          `from the program, so one PATCH makes the ${spec.noun} match it`,
      );
      const changed: Partial<I> = {};
      // A field the program leaves out is set to its default, so that the object matches the program.
      for (const f of toPatch) (changed as Record<string, unknown>)[f] = inputs[f] ?? spec.defaults?.[f];
      const req = spec.updateRequest(loc, changed, inputs);
      const body = await context.client.request<R>("PATCH", req.path, {
        query: req.query,
        body: req.body,
        schema: spec.response,
      });
      fresh = { ...known, ...spec.toOutputs(body) };
    } else {
      context.log(`${spec.kind} ${loc.id}: adopted as it is (no API change)`);
    }
    owned.add(loc.id);
    return { id: loc.id, outs: withoutInputOnly(mergeOutputs(declared, fresh)) };
  }

  const adapter: Adapter = {
    kind: spec.kind,
    secretOutputs: spec.secretOutputs,

    async check(_olds, news) {
      const plain = unwrapSecrets(withoutInternalKeys(news));
      const unknowns = unknownPaths(withoutInternalKeys(news));
      const parsed = schema.safeParse(plain);
      const failures: CheckFailure[] = [];
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const judged =
            issue.code === "unrecognized_keys" ||
            !unknowns.some((u) => startsWith(issue.path, u) || startsWith(u, issue.path));
          if (judged) failures.push(...failuresFromIssue(issue, plain, spec.kind));
        }
      }
      return { inputs: news, failures };
    },

    async diff(id, olds, news) {
      if (id !== "") owned.add(id);
      const changed = changedFields(olds, news, compared);
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
    },

    async create(wireInputs) {
      const { inputs, importId } = parseAll(wireInputs);
      const context = ctx();
      if (importId !== undefined) return adopt(context, wireInputs, inputs, importId);
      if (spec.create) {
        const made = await spec.create(context, inputs);
        owned.add(made.id);
        return {
          id: made.id,
          outs: withoutInputOnly(mergeOutputs(withoutInternalKeys(wireInputs), made.outs)),
        };
      }
      // The POST's answer is the truth we record: a GET right after it could miss the object (eventual
      // consistency) and would be a second call for nothing.
      const body = await postOnce(context.client, inputs);
      const id = spec.idOf(body);
      owned.add(id);
      let outs = withoutInputOnly(mergeOutputs(withoutInternalKeys(wireInputs), spec.toOutputs(body)));
      if (spec.afterCreate) outs = await spec.afterCreate(context, id, inputs, outs);
      return { id, outs };
    },

    async read(id, props) {
      const old = withoutInternalKeys(props);
      const loc = spec.locate(id, unwrapSecrets(old) as PropertyMap);
      const context = ctx();
      const list = coalescer ? spec.listRead?.route(loc, unwrapSecrets(old) as PropertyMap) : undefined;
      const { fresh, goneAnswer } =
        coalescer && list
          ? await coalescer.read(
              context.client,
              list,
              loc.id,
              () => fetchOne(context, loc, old),
              (item) => ({ fresh: spec.toOutputs(item) }),
            )
          : await fetchOne(context, loc, old);
      if (goneAnswer !== undefined) await confirmGone(context.client, goneAnswer, loc);
      if (fresh === undefined) return { id: "", props: {} };
      owned.add(loc.id);
      const outs = withoutInputOnly(mergeOutputs(old, fresh));
      return { id: loc.id, props: outs, inputs: inputsOf(outs) };
    },

    async update(id, olds, news) {
      const inputs = parseInputs(news);
      const oldOuts = withoutInternalKeys(olds);
      const loc = spec.locate(id, unwrapSecrets(oldOuts) as PropertyMap);
      const context = ctx();
      owned.add(loc.id);
      const changedApi = changedFields(olds, news, spec.updateInPlace);
      let fresh: PropertyMap = {};
      if (changedApi.length > 0 && spec.updateRequest) {
        const changed: Partial<I> = {};
        // A field the program no longer sets goes back to its default (as adoption does), or the PATCH
        // would carry nothing for it and the diff would show on every run.
        for (const f of changedApi) (changed as Record<string, unknown>)[f] = inputs[f] ?? spec.defaults?.[f];
        const req = spec.updateRequest(loc, changed, inputs);
        const body = await context.client.request<R>("PATCH", req.path, {
          query: req.query,
          body: req.body,
          schema: spec.response,
        });
        fresh = spec.toOutputs(body);
      }
      const base: PropertyMap = { ...oldOuts, ...withoutInternalKeys(news) };
      // An input the user removed must leave the outputs too, or every later diff would see it again.
      for (const k of inputKeys) if (news[k] === undefined && !(k in fresh)) delete base[k];
      let outs = withoutInputOnly(mergeOutputs(base, fresh));
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
      const context = ctx();
      try {
        if (spec.delete) {
          await spec.delete(context, loc, old);
          return;
        }
        const route = spec.itemRoute(loc);
        await context.client.request("DELETE", route.path, { query: route.query });
      } catch (e) {
        if (isGone(e)) {
          await confirmGone(context.client, e, loc);
          return;
        }
        const hint = e instanceof ConfluentApiError ? spec.deleteHints?.[e.status] : undefined;
        throw new Error(
          `Could not delete ${spec.noun} ${loc.id}; it still exists: ${errorText(e)}${hint ? ` ${hint}` : ""}`,
        );
      }
    },
  };
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
