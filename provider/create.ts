/**
 * The single POST of a create, with reconciliation when its outcome is unknown (a 5xx, a reset connection, a
 * timeout): the POST may or may not have made the object, so it is never blindly sent again.
 * - A kind with unique attributes (`findExisting`) looks the object up; one created since the first request
 *   reached the API, and not already this stack's, is taken as the one the request made; one older is
 *   someone else's and the create fails with the `import` advice.
 * - A kind without them (API keys, `findCreatedSince`) looks for matching objects created since; none means
 *   the create did not happen and is sent again. Matching objects that the request provably made and that
 *   cannot be used (`discardCreated`: an API key whose secret was in the lost answer) are deleted, with a
 *   progress line, and the create is sent again; any other match fails the create naming it (the spec's
 *   `strayCreatedAdvice` says what to do), never a second object.
 * - A kind with neither fails at once with advice.
 * "Since the request" is measured on the API's clock (the one that stamps `created_at`), learned from the
 * `Date` headers of the client's answers (client/server-clock.ts): the earliest server time the request can
 * have arrived is its local send time plus the lower bound of the offset. So an object made before the
 * request left is never taken, whatever the local clock says, and the tolerance is one second (the header's
 * resolution) plus a round trip, not a minute. Without any `Date` header nothing is taken or deleted.
 *
 * The same rules settle a create interrupted by a kill (the runner's pending operations):
 * {@link settleInterruptedCreate}.
 * A 409 names the existing object and how to adopt it; a 403 names the missing permission.
 */
import {
  ConfluentApiError,
  DATE_RESOLUTION_MS,
  NetworkError,
  OutcomeUnknownError,
  type ConfluentClient,
} from "./client";
import { createDeniedMessage, errorText, importOption, PULUMI_IMPORT_UNSUPPORTED } from "./messages";
import { envNumber, logProgress, sleep, TUNING_ENV } from "./runtime";
import type { Spec } from "./spec";

/**
 * How many POSTs a create may send when earlier ones had an unknown outcome and nothing was found. Every
 * resend follows a lookup, so a larger bound is safe; it matches the client's default attempt limit.
 */
const MAX_CREATE_SENDS = 8;

/** A POST whose effect on the server we cannot know. */
export function outcomeUnknown(e: unknown): boolean {
  if (e instanceof OutcomeUnknownError) return true;
  if (e instanceof ConfluentApiError) return e.status >= 500;
  return e instanceof NetworkError;
}

/** The last segment of a URL's path (a 409's `Location`: the existing object's id), decoded. */
export function lastPathSegment(url: string | undefined): string | undefined {
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
 * Whether the API stamped `body` as created at or after `since`, a time on the API's own clock (see
 * {@link ConfluentClient.clock}). A stamp in whole seconds (no fraction) may lie up to a second before the
 * true time, so it counts from the second `since` falls in. An object without a creation time cannot be
 * shown to be new, so it does not count.
 */
export function createdSince(body: unknown, since: number): boolean {
  const at = createdAtOf(body);
  if (at === undefined) return false;
  const raw = String((body as { metadata: { created_at: unknown } }).metadata.created_at);
  const slack = /:\d\d\.\d/.test(raw) ? 0 : DATE_RESOLUTION_MS - 1;
  return at + slack >= since;
}

/**
 * The earliest time, on the API's clock, at which a request sent at local time `sentAt` (the client's
 * clock) can have reached the API: anything it made is stamped at or after this. Undefined while no answer
 * of the API has carried a `Date` header.
 */
export function serverSince(client: ConfluentClient, sentAt: number): number | undefined {
  return client.clock.earliestServerTime(sentAt);
}

/** Why an object found after a lost answer was not taken as the one the request made. */
function notOursReason(body: unknown, since: number | undefined): string {
  if (createdAtOf(body) === undefined)
    return "the API does not say when it was created, so it cannot be shown to be what this create request made";
  if (since === undefined)
    return (
      "the API's answers carry no Date header, so when it was created cannot be compared with when this " +
      "create request was sent"
    );
  return "it was created before this create request reached the API (by the API's clock)";
}

/**
 * The advice for a create that clashes with an existing object. `owned`: ids of the objects of this kind
 * the stack has shown this provider process (adapter.ts). `unknownOutcome`: the create's own request had an
 * unknown outcome, and the object found was not made by it.
 */
function conflictError<I extends Record<string, unknown>, R>(
  spec: Spec<I, R>,
  owned: ReadonlySet<string>,
  inputs: I,
  e: unknown,
  existingId: string | undefined,
  unknownOutcome: { found: boolean; why?: string } = { found: false },
): Error {
  const what = spec.describeUnique ? `${spec.noun} with ${spec.describeUnique(inputs)}` : `this ${spec.noun}`;
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
  const when = unknownOutcome.why ?? "it was created before this create request was sent";
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

/**
 * The fallback for a spec that can neither look its object up nor list what a create made: never send a
 * create twice blind.
 */
export function noUniqueAttributesError<I extends Record<string, unknown>, R>(
  spec: Spec<I, R>,
  e: unknown,
): Error {
  return new Error(
    `The ${spec.noun} create request's outcome is unknown (${errorText(e)}), so the ${spec.noun} may exist. ` +
      `It has no unique attributes to look it up by, so it was not sent again. Look for it in the Confluent ` +
      `Cloud console or API; to keep one that was created, add the resource option ${importOption("<id>")} ` +
      `to this resource in the program (${PULUMI_IMPORT_UNSUPPORTED}). Then run pulumi up again.`,
  );
}

/**
 * A create with an unknown outcome after which matching objects (`ids`) appeared: what happened, then the
 * spec's advice (`strayCreatedAdvice`), or general advice for a spec without it.
 */
export function strayCreatedError<I extends Record<string, unknown>, R>(
  spec: Spec<I, R>,
  e: unknown,
  ids: readonly string[],
): Error {
  const advice =
    spec.strayCreatedAdvice?.(ids) ??
    `It cannot be shown to be what this request made, so it was neither used nor sent again. Before ` +
      `deleting it, make sure it is not one of the stack's own: the stack's own appear as the ids of its ` +
      `${spec.kind} resources in the stack's state (pulumi stack export), and those this run created or read ` +
      `are already left out of this list. If it is a stray, delete it and run pulumi up again; to keep it ` +
      `anyway, add the resource option ${importOption(ids[0] ?? "<id>")} to this resource.`;
  return new Error(
    `The ${spec.noun} create request's outcome is unknown (${errorText(e)}), and a matching ${spec.noun} ` +
      `appeared since it was sent: ${ids.join(", ")}. ${advice}`,
  );
}

/** Asks `find` a few times within the reconcile window (the API's read lag) until it finds something. */
async function poll<T>(
  kind: string,
  find: () => Promise<T | undefined>,
  what: string,
): Promise<T | undefined> {
  const windowMs = envNumber(TUNING_ENV.reconcileWaitMs, 5000);
  const deadline = Date.now() + windowMs;
  for (let attempt = 1; ; attempt++) {
    const found = await find();
    if (found !== undefined) return found;
    const left = deadline - Date.now();
    if (left <= 0 || attempt >= 4) return undefined;
    const delay = Math.min(left, Math.max(50, Math.floor(windowMs / 3)));
    logProgress(`${kind} ${what}: not visible yet; looking again in ${delay} ms`);
    await sleep(delay);
  }
}

/** Looks the object up by its unique attributes. */
async function lookUp<I extends Record<string, unknown>, R>(
  spec: Spec<I, R>,
  client: ConfluentClient,
  inputs: I,
): Promise<R | undefined> {
  const find = spec.findExisting;
  if (!find) return undefined;
  return poll(spec.kind, () => find(client, inputs), spec.describeUnique?.(inputs) ?? "");
}

/**
 * POSTs of this process still waiting for their answer, by create path, and the ids their answers named:
 * an object one of them made is a sibling's, never a stray of a lost answer (two resources of a program
 * may match the same owner and names, and their creates run at once).
 */
const postsInFlight = new Map<string, Set<Promise<unknown>>>();
const answeredIds = new Set<string>();
const answeredKey = (path: string, id: string): string => `${path}\u0000${id}`;

/** Waits until every POST to `path` sent before now, other than `own`, has its answer. */
async function othersAnswered(path: string, own: Promise<unknown> | undefined): Promise<void> {
  const others = [...(postsInFlight.get(path) ?? [])].filter((p) => p !== own);
  await Promise.allSettled(others);
}

/**
 * For an object without unique attributes: what a create sent at local time `sentAt` may have made,
 * leaving out the stack's own (`owned`) and what other POSTs of this process were answered with. `proven`:
 * stamped at or after the request can have reached the API (on its clock); `unproven`: matching, but not
 * shown to be new (no creation time, or no `Date` header to compare with).
 */
async function lookForCreated<I extends Record<string, unknown>, R>(
  spec: Spec<I, R>,
  owned: ReadonlySet<string>,
  client: ConfluentClient,
  inputs: I,
  sentAt: number,
  path: string,
  ownPost: Promise<unknown> | undefined,
): Promise<{ proven: R[]; unproven: R[]; since: number | undefined }> {
  const find = spec.findCreatedSince;
  if (!find) return { proven: [], unproven: [], since: undefined };
  const foreign = (b: R): boolean =>
    !owned.has(spec.idOf(b)) && !answeredIds.has(answeredKey(path, spec.idOf(b)));
  /** The matches that may be new: made since (on the API's clock), or without a creation time. */
  const mayBeNew = (list: R[]): R[] => {
    const since = serverSince(client, sentAt);
    return since === undefined
      ? list
      : list.filter((b) => createdAtOf(b) === undefined || createdSince(b, since));
  };
  const found = await poll(
    spec.kind,
    async () => {
      // Before any `Date` header the window cannot be placed on the API's clock: list every match, and
      // judge each once the list's own answer has taught the clock.
      const list = mayBeNew((await find(client, inputs, serverSince(client, sentAt) ?? 0)).filter(foreign));
      return list.length > 0 ? list : undefined;
    },
    "created by the lost request",
  );
  if (found === undefined) return { proven: [], unproven: [], since: serverSince(client, sentAt) };
  // A sibling's POST may have made a match and not be answered yet: let it be, then judge again.
  await othersAnswered(path, ownPost);
  const since = serverSince(client, sentAt);
  const left = mayBeNew(found.filter(foreign));
  const isNew = (b: R): boolean => since !== undefined && createdSince(b, since);
  return { proven: left.filter(isNew), unproven: left.filter((b) => !isNew(b)), since };
}

/** Deletes objects a lost answer made that cannot be used, each with a progress line saying why. */
async function discardAll<I extends Record<string, unknown>, R>(
  spec: Spec<I, R>,
  client: ConfluentClient,
  objects: readonly R[],
  what: string,
): Promise<void> {
  const discard = spec.discardCreated;
  if (!discard) return;
  for (const b of objects) {
    logProgress(
      `${spec.kind}: ${spec.idOf(b)} was made by ${what}, and ${spec.discardReason ?? "it cannot be used"}; ` +
        `deleting it and creating the ${spec.noun} again`,
    );
    await discard(client, b);
  }
}

/**
 * POSTs the create and answers the API's body, reconciling an unknown outcome as the header says. `owned`:
 * ids of the objects of this kind the stack has shown this provider process; a create never takes over, nor
 * blames, one of them.
 */
export async function postOnce<I extends Record<string, unknown>, R>(
  spec: Spec<I, R>,
  owned: ReadonlySet<string>,
  client: ConfluentClient,
  inputs: I,
): Promise<R> {
  /**
   * After a create with an unknown outcome, the object found by the unique attributes is taken as the one
   * it made only if this stack does not already own it and the API says it was created since the first
   * request can have reached it (on the API's clock); anything else is someone else's object.
   */
  const madeByUs = (found: R, firstSentAt: number): boolean => {
    const since = serverSince(client, firstSentAt);
    return !owned.has(spec.idOf(found)) && since !== undefined && createdSince(found, since);
  };

  const req = spec.createRequest(inputs);
  let lastUnknown: unknown;
  // When the first request with an unknown outcome was sent (client clock): anything it made came after.
  let firstSentAt: number | undefined;
  const inFlight = postsInFlight.get(req.path) ?? new Set<Promise<unknown>>();
  postsInFlight.set(req.path, inFlight);
  for (let send = 1; send <= MAX_CREATE_SENDS; send++) {
    const sentAt = client.now();
    const post = client
      .request<R>("POST", req.path, { query: req.query, body: req.body, schema: spec.response })
      .then((body) => {
        answeredIds.add(answeredKey(req.path, spec.idOf(body)));
        return body;
      });
    inFlight.add(post);
    try {
      return await post;
    } catch (e) {
      if (e instanceof ConfluentApiError && e.status === 409) {
        // After an unknown outcome, a conflict on the unique attributes is most likely our own object.
        const found = await lookUp(spec, client, inputs);
        if (firstSentAt !== undefined && found !== undefined && madeByUs(found, firstSentAt)) {
          logProgress(`${spec.kind}: found ${spec.idOf(found)} created by the earlier request; using it`);
          return found;
        }
        const existing = found !== undefined ? spec.idOf(found) : lastPathSegment(e.location);
        throw conflictError(
          spec,
          owned,
          inputs,
          e,
          existing,
          firstSentAt !== undefined && found !== undefined
            ? { found: true, why: notOursReason(found, serverSince(client, firstSentAt)) }
            : { found: false },
        );
      }
      if (e instanceof ConfluentApiError && e.status === 403) {
        throw new Error(createDeniedMessage(spec.kind, spec.noun, spec.describeUnique?.(inputs), e.message));
      }
      if (!outcomeUnknown(e)) throw e;
      lastUnknown = e;
      firstSentAt ??= sentAt;
      if (!spec.findExisting) {
        if (!spec.findCreatedSince) throw noUniqueAttributesError(spec, e);
        logProgress(
          `${spec.kind} create: outcome unknown (${errorText(e)}); looking for a matching ${spec.noun} ` +
            `created since the request was sent before sending it again`,
        );
        const created = await lookForCreated(spec, owned, client, inputs, firstSentAt, req.path, post);
        const all = [...created.proven, ...created.unproven];
        if (all.length > 0 && (created.unproven.length > 0 || !spec.discardCreated)) {
          throw strayCreatedError(spec, e, all.map(spec.idOf));
        }
        await discardAll(spec, client, created.proven, "the create request whose answer was lost");
        if (send < MAX_CREATE_SENDS) logProgress(`${spec.kind}: not created; sending the create again`);
        continue;
      }
      logProgress(
        `${spec.kind} create: outcome unknown (${errorText(e)}); looking for the ${spec.noun} with ` +
          `${spec.describeUnique?.(inputs) ?? "the same attributes"} before sending it again`,
      );
      const found = await lookUp(spec, client, inputs);
      if (found !== undefined) {
        if (!madeByUs(found, firstSentAt))
          throw conflictError(spec, owned, inputs, e, spec.idOf(found), {
            found: true,
            why: notOursReason(found, serverSince(client, firstSentAt)),
          });
        logProgress(`${spec.kind}: the earlier request did create ${spec.idOf(found)}; using it`);
        return found;
      }
      if (send < MAX_CREATE_SENDS) logProgress(`${spec.kind}: not created; sending the create again`);
    } finally {
      inFlight.delete(post);
    }
  }
  throw new Error(
    `Creating the ${spec.noun} failed ${MAX_CREATE_SENDS} times with an unknown outcome and it was not ` +
      `found afterwards: ${errorText(lastUnknown)}`,
  );
}

/**
 * A create the runner recorded as pending (it was interrupted: killed, or its answer never reached the
 * runner) and that may have made its object at or after local time `startedAt`. Looks the object up by the
 * same rules as a lost answer:
 * - unique attributes: the object, when it was stamped at or after the create can have reached the API and
 *   is not one of the stack's (`known`), is answered, for the runner to adopt; anything else is not ours;
 * - no unique attributes (API keys): matches made since that cannot be used (`discardCreated`: the secret
 *   was in the lost answer) are deleted, with a progress line each, and undefined is answered, so the next
 *   step makes the object again; matches not shown to be new are named in a progress line and left alone.
 * Undefined: nothing of ours exists (the runner clears the record).
 */
export async function settleInterruptedCreate<I extends Record<string, unknown>, R>(
  spec: Spec<I, R>,
  known: ReadonlySet<string>,
  client: ConfluentClient,
  inputs: I,
  startedAt: number,
): Promise<R | undefined> {
  if (spec.findExisting) {
    const found = await lookUp(spec, client, inputs);
    if (found === undefined) return undefined;
    const since = serverSince(client, startedAt);
    if (!known.has(spec.idOf(found)) && since !== undefined && createdSince(found, since)) return found;
    logProgress(
      `${spec.kind}: ${spec.idOf(found)} has ${spec.describeUnique?.(inputs) ?? "the same attributes"} but is ` +
        `not what the interrupted create made: ${notOursReason(found, since)}`,
    );
    return undefined;
  }
  if (spec.findCreatedSince) {
    const req = spec.createRequest(inputs);
    const created = await lookForCreated(spec, known, client, inputs, startedAt, req.path, undefined);
    if (created.unproven.length > 0 || (created.proven.length > 0 && !spec.discardCreated)) {
      const ids = [...created.proven, ...created.unproven].map(spec.idOf);
      logProgress(
        `${spec.kind}: ${ids.join(", ")} match${ids.length === 1 ? "es" : ""} the interrupted create but ` +
          `cannot be shown to be what it made, so ${ids.length === 1 ? "it is" : "they are"} left alone. ` +
          (spec.strayCreatedAdvice?.(ids) ?? ""),
      );
    }
    await discardAll(
      spec,
      client,
      created.proven,
      "a create that was interrupted before its answer was kept",
    );
    return undefined;
  }
  logProgress(
    `${spec.kind}: a create was interrupted, and this kind cannot be looked up by its attributes; if the ` +
      `${spec.noun} was made, adopt it with the resource option ${importOption("<id>")}`,
  );
  return undefined;
}
