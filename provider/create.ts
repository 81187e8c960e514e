/**
 * The single POST of a create, with reconciliation when its outcome is unknown (a 5xx, a reset connection, a
 * timeout): the POST may or may not have made the object, so it is never blindly sent again.
 * - A kind with unique attributes (`findExisting`) looks the object up; one created since the first request
 *   was sent, and not already this stack's, is taken as the one the request made; one older is someone
 *   else's and the create fails with the `import` advice.
 * - A kind without them (API keys, `findCreatedSince`) looks for matching objects created since; none means
 *   the create did not happen and is sent again; any found fails the create naming them (the spec's
 *   `strayCreatedAdvice` says what to do), never a second object.
 * - A kind with neither fails at once with advice.
 * A 409 names the existing object and how to adopt it; a 403 names the missing permission.
 */
import { ConfluentApiError, NetworkError, OutcomeUnknownError, type ConfluentClient } from "./client";
import { createDeniedMessage, errorText, importOption, PULUMI_IMPORT_UNSUPPORTED } from "./messages";
import { envNumber, logProgress, sleep, TUNING_ENV } from "./runtime";
import type { Spec } from "./spec";
import { CLOCK_SKEW_MS } from "./specs/common";

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
 * Whether an object found after a create with an unknown outcome may be the one that create made: only if
 * the API stamped it as created after the first request was sent (less the clock skew). An object without
 * a creation time cannot be proven ours, so it is not taken.
 */
export function createdSince(body: unknown, sentAt: number): boolean {
  const at = createdAtOf(body);
  return at !== undefined && at >= sentAt - CLOCK_SKEW_MS;
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
  unknownOutcome: { found: boolean; createdAt?: number } = { found: false },
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

/** For an object without unique attributes: what a create sent at `sentAt` may have made. */
async function lookForCreated<I extends Record<string, unknown>, R>(
  spec: Spec<I, R>,
  owned: ReadonlySet<string>,
  client: ConfluentClient,
  inputs: I,
  sentAt: number,
): Promise<R[]> {
  const find = spec.findCreatedSince;
  if (!find) return [];
  const found = await poll(
    spec.kind,
    async () => {
      // A sibling the stack already knows (made earlier in this run) is not what the lost request made.
      const list = (await find(client, inputs, sentAt)).filter((b) => !owned.has(spec.idOf(b)));
      return list.length > 0 ? list : undefined;
    },
    "created by the lost request",
  );
  return found ?? [];
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
   * request was sent (less the clock skew); anything else is someone else's object.
   */
  const madeByUs = (found: R, firstSentAt: number): boolean =>
    !owned.has(spec.idOf(found)) && createdSince(found, firstSentAt);

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
        const found = await lookUp(spec, client, inputs);
        if (firstSentAt !== undefined && found !== undefined && madeByUs(found, firstSentAt)) {
          logProgress(`${spec.kind}: found ${spec.idOf(found)} created by the earlier request; using it`);
          return found;
        }
        const existing = found !== undefined ? spec.idOf(found) : lastPathSegment(e.location);
        throw conflictError(spec, owned, inputs, e, existing);
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
        const created = await lookForCreated(spec, owned, client, inputs, firstSentAt);
        if (created.length > 0) throw strayCreatedError(spec, e, created.map(spec.idOf));
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
            createdAt: createdAtOf(found),
          });
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
