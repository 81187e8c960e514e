/**
 * The API calls on one existing object that the adapter and adoption share: reading it, where "gone" is a
 * status in the spec's `goneStatuses` and a 403 is believed to be a deletion only once the same credentials
 * prove they may list this kind of object; and one PATCH with only the changed fields.
 */
import { ConfluentApiError, type ConfluentClient } from "./client";
import type { Locator, OperationContext, Spec } from "./spec";
import type { PropertyMap } from "../protocol";

/** Whether `e` is the answer the spec's API gives for a missing object. */
export function isGone<I extends Record<string, unknown>, R>(
  spec: Spec<I, R>,
  e: unknown,
): e is ConfluentApiError {
  return e instanceof ConfluentApiError && spec.goneStatuses.includes(e.status);
}

/**
 * A 403 hides whether the object exists. Believe "gone" only when the same credentials can list this
 * kind of object (one cheap LIST, page_size=1); otherwise it is a permission problem, and this throws.
 */
export async function confirmGone<I extends Record<string, unknown>, R>(
  spec: Spec<I, R>,
  client: ConfluentClient,
  e: ConfluentApiError,
  loc: Locator,
): Promise<void> {
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

/**
 * One object as outputs: the spec's own read, else GET. A "gone" answer gives no outputs and the error
 * that said so (the caller decides whether to believe a 403).
 */
export async function fetchOne<I extends Record<string, unknown>, R>(
  spec: Spec<I, R>,
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
    if (!isGone(spec, e)) throw e;
    return { goneAnswer: e };
  }
}

/**
 * One PATCH carrying `fields` (the changed in-place fields) and the outputs of its answer. A field the
 * program leaves out goes back to its default, or the PATCH would carry nothing for it and the difference
 * would show on every run. A spec without a PATCH route (`updateRequest`) sends nothing and answers no
 * outputs.
 */
export async function patchFields<I extends Record<string, unknown>, R>(
  spec: Spec<I, R>,
  context: OperationContext,
  loc: Locator,
  fields: readonly string[],
  inputs: I,
): Promise<PropertyMap> {
  const changed: Partial<I> = {};
  for (const f of fields) (changed as Record<string, unknown>)[f] = inputs[f] ?? spec.defaults?.[f];
  const req = spec.updateRequest?.(loc, changed, inputs);
  if (req === undefined) return {};
  const body = await context.client.request<R>(req.method ?? "PATCH", req.path, {
    query: req.query,
    body: req.body,
    schema: spec.response,
  });
  return spec.toOutputs(body);
}

/**
 * Why an object cannot follow a change of its credentials or endpoint: the new ones do not find it (`answer`
 * says which call answered what). It lives in the organization of the credentials it was made or adopted
 * with; storing the new ones would send every later call (a delete too) to another organization.
 */
export function notFoundWithNewCredentials(kind: string, id: string, answer: string): Error {
  return new Error(
    `${kind} ${id} was not found with the new credentials or endpoint (${answer}): it belongs to the ` +
      `organization of the credentials it was created or adopted with, not to the new Provider's. Nothing ` +
      `was changed and the stack keeps the old credentials for it. To keep managing it where it is, give the ` +
      `resource its old Provider back. To manage it with the new Provider instead, take it out of this ` +
      `stack's state (pulumi state delete <its URN>; the object itself stays), then either let the next up ` +
      `create it with the new Provider, or adopt the new organization's object with the resource option ` +
      `{ import: "<id>" }.`,
  );
}

/** The answer that said "gone", for {@link notFoundWithNewCredentials}. */
export function goneAnswerText(e: ConfluentApiError, endpoint: string | undefined): string {
  return `${e.method} ${e.path}${endpoint ? ` on ${endpoint}` : ""} answered ${e.status}`;
}

/**
 * Before an object's credentials or endpoint change: read it with the new ones (one GET, or the spec's own
 * read) and fail, changing nothing, when they do not find it. A 403 the new credentials cannot prove to be a
 * deletion fails as a missing permission ({@link confirmGone}).
 */
export async function requireFoundWithNewCredentials<I extends Record<string, unknown>, R>(
  spec: Spec<I, R>,
  context: OperationContext,
  loc: Locator,
  props: PropertyMap,
): Promise<void> {
  const { fresh, goneAnswer } = await fetchOne(spec, context, loc, props);
  if (goneAnswer !== undefined) {
    await confirmGone(spec, context.client, goneAnswer, loc);
    throw notFoundWithNewCredentials(spec.kind, loc.id, goneAnswerText(goneAnswer, context.endpoint));
  }
  if (fresh === undefined) {
    throw notFoundWithNewCredentials(
      spec.kind,
      loc.id,
      `its read found nothing${context.endpoint ? ` on ${context.endpoint}` : ""}`,
    );
  }
}
