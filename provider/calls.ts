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
