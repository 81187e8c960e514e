/**
 * ApiKeyRotation: one API key in use (`active`), replaced every `rotationPeriod` without an outage. The new
 * key is created and waited for (the readiness rules of ApiKey: 401 = wait, any other authenticated answer
 * = ready) before it becomes active; the former active key stays valid as `previous` for `overlap`, then a
 * later `up` deletes it. So consumers always hold a key that works, as long as they pick up the new one
 * within the overlap.
 *
 * The schedule is read from the clock in `diff`, so a `preview` after `nextRotationAt` (or after
 * `previous.retiresAt`) shows the update and why; `rotationTrigger` (any value) rotates now when it changes.
 * Guarantees, each kept by the code below:
 * - at most two keys are alive: a rotation that finds `previous` still alive (a trigger within the overlap)
 *   deletes it first, and the new key's create never leaves a third (an unknown outcome is settled as for
 *   ApiKey: keys of the same owner, resource and names created since; one found fails naming it);
 * - a key is never deleted before its successor authenticates: `previous` is deleted only once the active
 *   key has authenticated;
 * - anything that fails after a key was created or deleted keeps the keys as they are in state (the error
 *   carries the resource's properties, as a create's does), and the next `up` finishes the step: a created
 *   key that has not authenticated yet is `pending` until it does, then promoted;
 * - a refresh that finds the active key deleted drops it from the outputs; the next `up` makes a new one at
 *   once. A refresh that finds no key alive reads the whole object as gone.
 *
 * The resource's id is `akr-` and a digest of its first key's id ({@link rotationIdOf}): the keys' ids are
 * inside the secret outputs (`active.id`, `previous.id`), so the id, which is stored and shown in plain text,
 * does not repeat one. Times
 * are the provider's clock, read in one place ({@link rotationNow}); tests set it through
 * `CONFLUENT_IAM_ROTATION_NOW`, which nothing else reads.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { diffOf, inputSchema, ownCredentials, parseWire } from "../adapter";
import { confirmGone, isGone, notFoundWithNewCredentials } from "../calls";
import { changedFields, inputsOf, mergeOutputs } from "../compare";
import { postOnce, settleInterruptedCreate } from "../create";
import { errorText } from "../messages";
import { getClient, logProgress, resolveCredentials, type ResourceCredentials } from "../runtime";
import { defineSpec, type TableSpec } from "../fields";
import type { Adapter } from "../adapter";
import { PartialCreateError, type OperationContext, type OwnOperation } from "../spec";
import {
  KEY_PATH,
  apiKeyResponse,
  keyFields,
  keyImportIdFormat,
  keyImportIdPattern,
  keyInputs,
  keyReadPermissionHint,
  keysCreatedSince,
  discardKey,
  LOST_SECRET_REASON,
  strayKeysAdvice,
  waitUntilReady,
  type ApiKeyResponse,
  checkManagedResource,
} from "./api-key";
import { seg, splitImportId } from "./common";
import {
  PROVIDER_INPUTS,
  pendingOperationOf,
  unwrapSecrets,
  withoutInternalKeys,
  type PropertyMap,
} from "../../protocol";

const KIND = "ApiKeyRotation";
const DAY_MS = 86_400_000;

/** The environment variable that sets the rotation clock (tests); read only by {@link rotationNow}. */
export const ROTATION_NOW_ENV = "CONFLUENT_IAM_ROTATION_NOW";

/**
 * The time, in ms since the epoch, for every schedule decision of this object: the clock, or the ISO time in
 * `CONFLUENT_IAM_ROTATION_NOW` (so tests need not wait for days). The only reader of that variable: no other
 * object's behaviour depends on it.
 */
export function rotationNow(): number {
  const raw = process.env[ROTATION_NOW_ENV];
  if (raw === undefined || raw.trim() === "") return Date.now();
  const t = Date.parse(raw);
  if (Number.isNaN(t)) {
    throw new Error(
      `${ROTATION_NOW_ENV} is ${JSON.stringify(raw)}, which is not a time: set it to an ISO-8601 time such ` +
        `as 2027-03-01T00:00:00Z, or unset it to use the clock.`,
    );
  }
  return t;
}

const ISO_DURATION =
  /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * A duration in ms: an ISO-8601 duration of weeks, days, hours, minutes and seconds (`P90D`, `P2W`,
 * `PT12H`, `P1DT6H`), or a number of days. A string that is not one gives the reason (what to write).
 */
export function durationMs(value: unknown): number | { reason: string } {
  if (typeof value === "number") {
    if (Number.isFinite(value) && value >= 0) return value * DAY_MS;
    return { reason: `must be a number of days of 0 or more (got ${value}); use e.g. 90` };
  }
  if (typeof value !== "string") {
    return {
      reason: `must be an ISO-8601 duration such as "P90D" or a number of days (got ${value === null ? "null" : typeof value}); change it`,
    };
  }
  if (/^P[^T]*[YM]/.test(value)) {
    return {
      reason:
        `must not count months or years (got ${JSON.stringify(value)}): their length varies; ` +
        `write days or weeks instead, e.g. "P90D" or "P13W"`,
    };
  }
  const m = ISO_DURATION.exec(value);
  if (!m || value === "P" || value.endsWith("T")) {
    return {
      reason: `must be an ISO-8601 duration such as "P90D", "P2W" or "PT12H" (got ${JSON.stringify(value)}); fix it`,
    };
  }
  const [w, d, h, min, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  return ((w ?? 0) * 7 + (d ?? 0)) * DAY_MS + (h ?? 0) * 3_600_000 + (min ?? 0) * 60_000 + (s ?? 0) * 1000;
}

/** The resource id of a rotation whose first key is `firstKeyId` (see the header). */
export function rotationIdOf(firstKeyId: string): string {
  return `akr-${createHash("sha256").update(firstKeyId).digest("hex").slice(0, 16)}`;
}

/** The default `overlap`: one week for consumers to pick up the new key. */
export const DEFAULT_OVERLAP = "P7D";

/** A duration input; `required`: the message when it is left out. */
function durationInput(required: string | undefined) {
  return z
    .custom<string | number>(() => true)
    .superRefine((v, ctx) => {
      if (v === undefined) {
        if (required !== undefined) ctx.addIssue({ code: "custom", message: required });
        return;
      }
      const ms = durationMs(v);
      if (typeof ms !== "number") ctx.addIssue({ code: "custom", message: ms.reason });
      else if (required !== undefined && ms <= 0)
        ctx.addIssue({
          code: "custom",
          message: `must be longer than zero (got ${JSON.stringify(v)}); e.g. "P90D"`,
        });
    });
}

export const apiKeyRotationInputs = keyInputs.extend({
  rotationPeriod: durationInput(
    `is required; set it to how long a key stays active: an ISO-8601 duration such as "P90D", or a number of days`,
  ),
  overlap: durationInput(undefined).optional(),
  rotationTrigger: z.unknown().optional(),
});
export type ApiKeyRotationInputs = z.infer<typeof apiKeyRotationInputs>;

/** Shown as the value a duration compares by: its length (so `90` and `"P90D"` are the same). */
const byLength = (v: unknown): unknown => {
  const ms = durationMs(v);
  return typeof ms === "number" ? ms : v;
};

/** The key in use. */
export interface ActiveKey {
  id: string;
  secret: string;
  createdAt: string;
}
/** The key that was in use before, until `retiresAt`. */
export interface PreviousKey {
  id: string;
  secret: string;
  retiresAt: string;
}
/** The keys of one rotation, as stored in its outputs. */
export interface RotationKeys {
  active?: ActiveKey;
  previous?: PreviousKey;
  /** A key created by a rotation that has not authenticated yet (the next `up` finishes the rotation). */
  pending?: ActiveKey;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** The keys in stored (plain) outputs; a slot that does not hold a key is empty. */
export function keysOf(outs: PropertyMap): RotationKeys {
  const slot = (v: unknown): Record<string, unknown> | undefined =>
    typeof v === "object" && v !== null && typeof (v as { id?: unknown }).id === "string"
      ? (v as Record<string, unknown>)
      : undefined;
  const a = slot(outs.active);
  const p = slot(outs.previous);
  const n = slot(outs.pending);
  return {
    active: a && { id: String(a.id), secret: str(a.secret) ?? "", createdAt: str(a.createdAt) ?? "" },
    previous: p && { id: String(p.id), secret: str(p.secret) ?? "", retiresAt: str(p.retiresAt) ?? "" },
    pending: n && { id: String(n.id), secret: str(n.secret) ?? "", createdAt: str(n.createdAt) ?? "" },
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** What an `up` must do now, and why (each reason is a sentence for the user). */
export interface RotationPlan {
  /** Delete `previous`: its overlap has passed, or a rotation needs its place. */
  retire?: { reason: string };
  /** Make (or finish making) a new active key. `cause` is the output or input the preview names. */
  rotate?: { cause: "pending" | "active" | "rotationTrigger" | "nextRotationAt"; reason: string };
  /** When the active key is due for rotation (undefined while the period or the key is not known). */
  nextRotationAt?: string;
}

/**
 * The pure decision of `diff` and `update`: from the stored keys, the rotation period (ms; undefined while
 * not known, at preview), whether `rotationTrigger` changed, and the time.
 */
export function planRotation(
  keys: RotationKeys,
  stored: { nextRotationAt?: string },
  periodMs: number | undefined,
  triggerChanged: boolean,
  now: number,
): RotationPlan {
  const created = keys.active ? Date.parse(keys.active.createdAt) : NaN;
  const nextMs =
    periodMs !== undefined && !Number.isNaN(created)
      ? created + periodMs
      : stored.nextRotationAt !== undefined
        ? Date.parse(stored.nextRotationAt)
        : NaN;
  const plan: RotationPlan = { nextRotationAt: Number.isNaN(nextMs) ? undefined : iso(nextMs) };
  if (keys.pending) {
    plan.rotate = {
      cause: "pending",
      reason: `a rotation did not finish: the new key ${keys.pending.id} has not become active yet`,
    };
  } else if (!keys.active) {
    plan.rotate = {
      cause: "active",
      reason: "there is no active key (it was deleted outside the program): a new one is made now",
    };
  } else if (triggerChanged) {
    plan.rotate = { cause: "rotationTrigger", reason: "rotationTrigger changed: the key is rotated now" };
  } else if (!Number.isNaN(nextMs) && now >= nextMs) {
    plan.rotate = {
      cause: "nextRotationAt",
      reason: `rotation due: nextRotationAt ${iso(nextMs)} has passed`,
    };
  }
  const prev = keys.previous;
  if (prev) {
    const retires = Date.parse(prev.retiresAt);
    if (Number.isNaN(retires) || now >= retires) {
      plan.retire = {
        reason: `the previous key ${prev.id} retires: its overlap ended at ${prev.retiresAt || "an unknown time"}`,
      };
    } else if (plan.rotate && keys.active && !keys.pending) {
      plan.retire = {
        reason:
          `the previous key ${prev.id} is deleted before its retiresAt (${prev.retiresAt}): the rotation ` +
          `needs its place, as two keys at most are alive`,
      };
    }
  }
  return plan;
}

/** The diff keys that name a plan's causes (the preview shows them as the update's reason). */
export function planDiffs(plan: RotationPlan): string[] {
  const keys: string[] = [];
  if (plan.rotate && plan.rotate.cause !== "rotationTrigger") keys.push(plan.rotate.cause);
  if (plan.retire) keys.push("previous");
  return keys;
}

/** Ids of the keys this provider process has seen as the stack's (never taken for a stray by a create). */
const owned = new Set<string>();

function see(keys: RotationKeys): void {
  for (const k of [keys.active, keys.previous, keys.pending]) if (k) owned.add(k.id);
}

/** The keys as outputs: each slot set, or left out. */
function withKeys(outs: PropertyMap, keys: RotationKeys, nextRotationAt: string | undefined): PropertyMap {
  const o: PropertyMap = { ...outs };
  delete o.active;
  delete o.previous;
  delete o.pending;
  delete o.nextRotationAt;
  if (keys.active) o.active = { ...keys.active };
  if (keys.previous) o.previous = { ...keys.previous };
  if (keys.pending) o.pending = { ...keys.pending };
  if (nextRotationAt !== undefined) o.nextRotationAt = nextRotationAt;
  return o;
}

/** Period and overlap of valid inputs, in ms. */
function periods(inputs: ApiKeyRotationInputs): { periodMs: number; overlapMs: number } {
  const p = durationMs(inputs.rotationPeriod);
  const o = durationMs(inputs.overlap ?? DEFAULT_OVERLAP);
  return { periodMs: typeof p === "number" ? p : NaN, overlapMs: typeof o === "number" ? o : NaN };
}

/** Deletes one key; one already gone (proven, for a 403) counts as deleted. */
async function deleteKey(ctx: OperationContext, keyId: string, what: string): Promise<void> {
  try {
    await ctx.client.request("DELETE", `${KEY_PATH}/${seg(keyId)}`);
  } catch (e) {
    if (isGone(apiKeyRotationSpec, e)) {
      await confirmGone(apiKeyRotationSpec, ctx.client, e, { id: keyId });
      return;
    }
    throw new Error(`Could not delete the ${what} API key ${keyId}; it still exists: ${errorText(e)}`);
  }
}

/** One key's record, or undefined when it is gone (a 403 only once proven). */
async function readKey(ctx: OperationContext, keyId: string): Promise<ApiKeyResponse | undefined> {
  try {
    return await ctx.client.request("GET", `${KEY_PATH}/${seg(keyId)}`, { schema: apiKeyResponse });
  } catch (e) {
    if (!isGone(apiKeyRotationSpec, e)) throw e;
    await confirmGone(apiKeyRotationSpec, ctx.client, e, { id: keyId });
    return undefined;
  }
}

/** POSTs a new key (an unknown outcome settled as ApiKey's, never a third key) and notes it as the stack's. */
async function createKey(
  ctx: OperationContext,
  inputs: ApiKeyRotationInputs,
  now: number,
): Promise<{ key: ActiveKey; body: ApiKeyResponse }> {
  const body: ApiKeyResponse = await postOnce(apiKeyRotationSpec, owned, ctx.client, inputs);
  owned.add(body.id);
  const key: ActiveKey = { id: body.id, secret: body.spec.secret ?? "", createdAt: iso(now) };
  return { key, body };
}

/**
 * The context of one operation: the client for the resource's own credentials (a `Provider`'s, from the new
 * inputs for create and update, from the stored outputs for read and delete), else stack config and the
 * environment, as the generic operations do.
 */
const context = (own: ResourceCredentials | undefined): OperationContext => ({
  client: getClient(undefined, own),
  log: logProgress,
  endpoint: resolveCredentials(undefined, own).endpoint,
});

/** The credentials a `Provider` stored in a rotation's outputs. */
const stored = (props: PropertyMap): ResourceCredentials | undefined =>
  ownCredentials(unwrapSecrets(withoutInternalKeys(props)) as Record<string, unknown>);

/**
 * The rotation's own operations (Spec.operations): create makes the first key; diff reads the clock; update
 * renames, retires and rotates; read and delete cover every key held.
 */
function operations(): Partial<Pick<Adapter, OwnOperation>> {
  const spec = apiKeyRotationSpec;
  const schema = inputSchema(spec);

  /** The state to keep when a step fails after keys changed: the old inputs, the keys as they are now. */
  const keepState = (
    id: string,
    base: PropertyMap,
    keys: RotationKeys,
    nextRotationAt: string | undefined,
    message: string,
    reason: string,
  ): PartialCreateError =>
    new PartialCreateError(message, id, withKeys(base, keys, nextRotationAt), [reason]);

  /** Waits for `pending` to authenticate, then makes it active and the active key previous. */
  async function promote(
    ctx: OperationContext,
    id: string,
    base: PropertyMap,
    inputs: ApiKeyRotationInputs,
    keys: RotationKeys,
    now: number,
    overlapMs: number,
    nextBefore: string | undefined,
  ): Promise<RotationKeys> {
    const pending = keys.pending;
    if (!pending) return keys;
    await waitUntilReady(ctx, pending.id, inputs, pending.secret, (message, reason) =>
      keepState(
        id,
        base,
        keys,
        nextBefore,
        `API key rotation ${id}: the new key ${pending.id} was created but ${message}. ` +
          (keys.active
            ? `Both keys are kept in the stack and ${keys.active.id} stays active; `
            : `It is kept in the stack; `) +
          `run pulumi up again to finish the rotation.`,
        reason,
      ),
    );
    const former = keys.active;
    return {
      active: pending,
      previous: former
        ? { id: former.id, secret: former.secret, retiresAt: iso(now + overlapMs) }
        : keys.previous,
    };
  }

  return {
    async diff(id: string, olds: PropertyMap, news: PropertyMap) {
      const generic = diffOf(olds, news, spec);
      const plainOld = unwrapSecrets(withoutInternalKeys(olds)) as PropertyMap;
      const keys = keysOf(plainOld);
      if (id !== "") see(keys);
      const newsPlain = unwrapSecrets(withoutInternalKeys(news)) as PropertyMap;
      const period = durationMs(newsPlain.rotationPeriod);
      const plan = planRotation(
        keys,
        { nextRotationAt: str(plainOld.nextRotationAt) },
        typeof period === "number" ? period : undefined,
        generic.diffs.includes("rotationTrigger"),
        rotationNow(),
      );
      const extra = planDiffs(plan).filter((k) => !generic.diffs.includes(k));
      for (const r of [plan.retire?.reason, plan.rotate?.reason]) {
        if (r !== undefined) logProgress(`${KIND} ${id}: ${r}`);
      }
      if (extra.length === 0) return generic;
      const detailedDiff = { ...generic.detailedDiff };
      for (const k of extra) detailedDiff[k] = { kind: "update", inputDiff: false };
      return { ...generic, changes: true, diffs: [...generic.diffs, ...extra], detailedDiff };
    },

    async create(wire: PropertyMap) {
      const { inputs, importId, own } = parseWire(schema, spec.kind, wire);
      if (importId !== undefined) {
        throw new Error(
          `${KIND} cannot adopt an existing key (import option ${JSON.stringify(importId)}): its secret is ` +
            `not known, so consumers could not be given it. Remove the import option; the first pulumi up ` +
            `creates a key, and you delete the old one once consumers use the new one.`,
        );
      }
      const now = rotationNow();
      const { periodMs } = periods(inputs);
      const ctx = context(own);
      const { key, body } = await createKey(ctx, inputs, now);
      const base = mergeOutputs(withoutInternalKeys(wire), spec.toOutputs(body), []);
      await waitUntilReady(
        ctx,
        key.id,
        inputs,
        key.secret,
        (message, reason) =>
          new PartialCreateError(
            `API key rotation: the first key ${key.id} was created but ${message}. It is kept in the stack ` +
              `(not active yet); run pulumi up again to wait more.`,
            rotationIdOf(key.id),
            withKeys(base, { pending: key }, undefined),
            [reason],
          ),
      );
      return { id: rotationIdOf(key.id), outs: withKeys(base, { active: key }, iso(now + periodMs)) };
    },

    async read(id: string, props: PropertyMap) {
      // An operation of an earlier run that never finished (runner/state.ts pendingOperations): a key it
      // made is not in the state, and its secret was lost with the run, so it is deleted (never a third key).
      const pending = pendingOperationOf(props);
      if (pending) {
        for (const k of pending.known) owned.add(k);
        see(keysOf(unwrapSecrets(withoutInternalKeys(props)) as PropertyMap));
        const wire = pending.type === "creating" ? props : (pending.inputs ?? {});
        const parsed = schema.safeParse(unwrapSecrets(withoutInternalKeys(wire)));
        if (parsed.success) {
          const { inputs, own } = parseWire(schema, spec.kind, wire);
          const ctx = context(pending.type === "creating" ? own : (own ?? stored(props)));
          await settleInterruptedCreate(spec, owned, ctx.client, inputs, pending.startedAt);
        } else {
          logProgress(
            `${KIND} ${id}: the interrupted ${pending.type === "creating" ? "create" : "update"}'s inputs are not valid; no key was looked for`,
          );
        }
        if (pending.type === "creating") return { id: "", props: {} };
      }
      const old = unwrapSecrets(withoutInternalKeys(props)) as PropertyMap;
      const keys = keysOf(old);
      const importing = !keys.active && !keys.previous && !keys.pending;
      // Read by import ID (a key's id, as `ApiKey` takes it): that key, as the active one.
      if (importing) keys.active = { id: splitImportId(id).id, secret: "", createdAt: "" };
      see(keys);
      const ctx = context(stored(props));
      let fresh: PropertyMap | undefined;
      const alive: RotationKeys = {};
      for (const slot of ["active", "pending", "previous"] as const) {
        const key = keys[slot];
        if (!key) continue;
        const body = await readKey(ctx, key.id);
        if (!body) {
          logProgress(
            `${KIND} ${id}: the ${slot} key ${key.id} no longer exists (deleted outside the program)`,
          );
          continue;
        }
        fresh ??= spec.toOutputs(body);
        if (slot === "active") {
          alive.active = {
            ...(key as ActiveKey),
            createdAt: (key as ActiveKey).createdAt || (body.metadata?.created_at ?? ""),
          };
        } else if (slot === "pending") alive.pending = key as ActiveKey;
        else alive.previous = key as PreviousKey;
      }
      if (fresh === undefined) return { id: "", props: {} };
      const outs = withKeys(mergeOutputs(old, fresh, []), alive, str(old.nextRotationAt));
      // A Provider's inputs stay inputs too, so a refresh leaves nothing for the next diff to show.
      const inputs = inputsOf(outs, spec.inputs);
      for (const k of PROVIDER_INPUTS) if (outs[k] !== undefined) inputs[k] = outs[k];
      return { id: importing && alive.active ? rotationIdOf(alive.active.id) : id, props: outs, inputs };
    },

    async update(id: string, olds: PropertyMap, news: PropertyMap) {
      const { inputs, own } = parseWire(schema, spec.kind, news);
      const oldOuts = withoutInternalKeys(olds);
      const plainOld = unwrapSecrets(oldOuts) as PropertyMap;
      let keys = keysOf(plainOld);
      see(keys);
      const ctx = context(own);
      // New credentials or endpoint are accepted only once they find the rotation's key (one read): else
      // every later call, the deletes too, would go to another organization (provider/calls.ts).
      const held = keys.active ?? keys.pending ?? keys.previous;
      if (held && changedFields(olds, news, PROVIDER_INPUTS, spec).length > 0) {
        if ((await readKey(ctx, held.id)) === undefined) {
          const where = ctx.endpoint ? ` on ${ctx.endpoint}` : "";
          throw notFoundWithNewCredentials(KIND, id, `GET ${KEY_PATH}/${held.id}${where} found no such key`);
        }
      }
      const now = rotationNow();
      const { periodMs, overlapMs } = periods(inputs);
      const triggerChanged = changedFields(olds, news, ["rotationTrigger"], spec).length > 0;
      const plan = planRotation(
        keys,
        { nextRotationAt: str(plainOld.nextRotationAt) },
        periodMs,
        triggerChanged,
        now,
      );
      const nextBefore = str(plainOld.nextRotationAt);
      // What a failure keeps: the inputs as they were (so the next up sees the change again), the keys now.
      const fail = (e: unknown): unknown =>
        e instanceof PartialCreateError
          ? e
          : keepState(
              id,
              oldOuts,
              keys,
              nextBefore,
              `API key rotation ${id} failed: ${errorText(e)}. The keys are kept in the stack as they are ` +
                `now; run pulumi up again to finish.`,
              `API key rotation ${id} not finished`,
            );
      let fresh: PropertyMap = {};
      try {
        const renamed = changedFields(olds, news, spec.updateInPlace, spec);
        if (renamed.length > 0 && spec.updateRequest) {
          const changed: Record<string, unknown> = {};
          for (const f of renamed) changed[f] = (inputs as Record<string, unknown>)[f] ?? spec.defaults?.[f];
          for (const key of [keys.active, keys.pending, keys.previous]) {
            if (!key) continue;
            const req = spec.updateRequest({ id: key.id }, changed, inputs);
            const body = await ctx.client.request("PATCH", req.path, {
              body: req.body,
              schema: apiKeyResponse,
            });
            fresh = { ...spec.toOutputs(body), ...fresh };
          }
        }
        if (plan.retire && keys.previous) {
          ctx.log(`${KIND} ${id}: ${plan.retire.reason}; deleting it`);
          await deleteKey(ctx, keys.previous.id, "previous");
          keys = { ...keys, previous: undefined };
        }
        if (plan.rotate) {
          ctx.log(`${KIND} ${id}: ${plan.rotate.reason}`);
          if (!keys.pending) {
            const { key } = await createKey(ctx, inputs, now);
            keys = { ...keys, pending: key };
          }
          keys = await promote(ctx, id, oldOuts, inputs, keys, now, overlapMs, nextBefore);
        }
      } catch (e) {
        throw fail(e);
      }
      const created = keys.active ? Date.parse(keys.active.createdAt) : NaN;
      const next = Number.isNaN(created) ? plan.nextRotationAt : iso(created + periodMs);
      const base = mergeOutputs({ ...oldOuts, ...withoutInternalKeys(news) }, fresh, []);
      for (const k of [...Object.keys(spec.inputs.shape), ...PROVIDER_INPUTS]) {
        if (news[k] === undefined) delete base[k];
      }
      return { outs: withKeys(base, keys, next) };
    },

    async delete(_id: string, props: PropertyMap) {
      const keys = keysOf(unwrapSecrets(withoutInternalKeys(props)) as PropertyMap);
      const held = [
        ["previous", keys.previous],
        ["pending", keys.pending],
        ["active", keys.active],
      ] as const;
      const ctx = context(stored(props));
      for (const [what, key] of held) if (key) await deleteKey(ctx, key.id, what);
    },
  };
}

export const apiKeyRotationSpec: TableSpec<ApiKeyRotationInputs, ApiKeyResponse> = defineSpec<
  ApiKeyRotationInputs,
  ApiKeyResponse
>({
  kind: KIND,
  noun: "API key",
  importIdFormat: keyImportIdFormat,
  importIdPattern: keyImportIdPattern,
  inputs: apiKeyRotationInputs,
  crossCheck: (v, ctx) => {
    checkManagedResource(v, ctx);
    const period = durationMs(v.rotationPeriod);
    const overlap = durationMs(v.overlap ?? DEFAULT_OVERLAP);
    if (typeof period !== "number" || typeof overlap !== "number" || overlap < period) return;
    const given =
      v.overlap === undefined ? `the default overlap ${DEFAULT_OVERLAP}` : JSON.stringify(v.overlap);
    ctx.addIssue({
      code: "custom",
      path: ["overlap"],
      message:
        `must be shorter than rotationPeriod (${given} is not shorter than ${JSON.stringify(v.rotationPeriod)}): ` +
        `the previous key must retire before the next rotation; shorten overlap or lengthen rotationPeriod`,
    });
  },
  response: apiKeyResponse,
  goneStatuses: [403, 404],
  readPermissionHint: keyReadPermissionHint,

  path: KEY_PATH,
  patch: true,
  fields: {
    ...keyFields,
    rotationPeriod: { use: "provider", normalize: byLength },
    overlap: { use: "provider", default: DEFAULT_OVERLAP, normalize: byLength },
    rotationTrigger: { use: "provider" },
  },
  outputs: {
    active: { secret: true },
    previous: { secret: true },
    pending: { secret: true },
    nextRotationAt: {},
  },
  locate: (id) => ({ id: splitImportId(id).id }),

  findCreatedSince: keysCreatedSince,
  strayCreatedAdvice: strayKeysAdvice,
  discardCreated: discardKey,
  discardReason: LOST_SECRET_REASON,
  operations,
});
