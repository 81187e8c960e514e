/**
 * ApiKey: iam/v2 api-keys. Create answers 202 and is the only response that carries the secret (later
 * reads return `"secret": ""`), so the secret output is kept from create on. A missing key reads as 403 (the
 * API hides existence). Owner and managed resource replace the key; names update in place.
 *
 * Readiness (unless `disableWaitForReady`): a new key takes a while to authenticate. For a Cloud key we
 * GET /iam/v2/api-keys/<id> with the new key's own credentials until it answers 200. For a resource key
 * (Kafka, Schema Registry, Flink…) we do not know the cluster's REST endpoint, so we wait until the key's
 * record is readable through the Cloud API with the management credentials; authentication at the cluster
 * may lag a little behind that. Bounded by CONFLUENT_IAM_KEY_READY_TIMEOUT_MS (default 5 min); if the wait
 * fails the key stays in state with the error (never orphaned).
 */
import { z } from "zod";
import { ConfluentApiError, ConfluentClient } from "../client";
import { clientOptions, envNumber, resolveCredentials, sleep, TUNING_ENV } from "../runtime";
import { PartialCreateError, type OperationContext, type Spec } from "../spec";
import type { PropertyMap } from "../wire";
import {
  CLOCK_SKEW_MS,
  idInput,
  metadataSchema,
  optionalNameInput,
  refId,
  refSchema,
  seg,
  splitImportId,
} from "./common";

const PATH = "/iam/v2/api-keys";

const ownerInput = z.object({
  id: idInput("owner"),
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
});
const managedResourceInput = z.object({
  id: idInput("resource"),
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  environment: z.object({ id: idInput("environment") }).optional(),
});

export const apiKeyInputs = z.object({
  displayName: optionalNameInput(),
  description: z.string().optional(),
  owner: ownerInput,
  managedResource: managedResourceInput.optional(),
  disableWaitForReady: z.boolean().optional(),
});
export type ApiKeyInputs = z.infer<typeof apiKeyInputs>;

export const apiKeyResponse = z
  .object({
    api_version: z.string().optional(),
    kind: z.string().optional(),
    id: z.string(),
    metadata: metadataSchema.optional(),
    spec: z
      .object({
        secret: z.string().optional(),
        display_name: z.string().optional(),
        description: z.string().optional(),
        owner: refSchema,
        resource: refSchema.extend({ environment: z.string().optional() }).nullable().optional(),
      })
      .passthrough(),
  })
  .passthrough();
export type ApiKeyResponse = z.infer<typeof apiKeyResponse>;

/** Compared by id only: the API fills in kind, api_version, and leaves out the environment of cluster keys. */
const byId = (v: unknown): unknown => refId(v);

async function waitUntilReady(ctx: OperationContext, id: string, inputs: ApiKeyInputs, outs: PropertyMap) {
  const timeoutMs = envNumber(TUNING_ENV.keyReadyTimeoutMs, 300_000);
  const started = Date.now();
  const cloudKey = inputs.managedResource === undefined;
  const secret = typeof outs.secret === "string" ? outs.secret : "";
  const creds = resolveCredentials();
  const probe = cloudKey
    ? new ConfluentClient({
        endpoint: creds.endpoint,
        auth: { kind: "basic", apiKey: id, apiSecret: secret },
        ...clientOptions(),
        onEvent: undefined,
      })
    : ctx.client;
  const what = cloudKey ? "authenticates" : "is readable through the Cloud API";
  let last = "";
  // The probe shares the origin's connection pool with the management client, so it is not closed here.
  {
    for (let attempt = 1; ; attempt++) {
      try {
        await probe.request("GET", `${PATH}/${seg(id)}`);
        return;
      } catch (e) {
        if (!(e instanceof ConfluentApiError) || ![401, 403, 404].includes(e.status)) throw e;
        last = `${e.status}`;
      }
      const elapsed = Date.now() - started;
      if (elapsed >= timeoutMs) break;
      const delay = Math.min(timeoutMs - elapsed, Math.min(10_000, 100 * 2 ** Math.min(attempt - 1, 7)));
      ctx.log(`ApiKey ${id}: waiting ${delay} ms until the new key ${what} (answer so far: ${last})`);
      await sleep(delay);
    }
  }
  throw new PartialCreateError(
    `API key ${id} was created but did not become ready within ${timeoutMs} ms (last answer ${last}). ` +
      `It is kept in the stack; run pulumi up again to wait more, or set disableWaitForReady: true.`,
    id,
    outs,
    [`API key ${id} not ready after ${timeoutMs} ms`],
  );
}

/** Keys of the same owner, resource, name and description created since `sentAt` (less the skew). */
async function keysCreatedSince(client: ConfluentClient, i: ApiKeyInputs, sentAt: number) {
  const found: ApiKeyResponse[] = [];
  const query = { "spec.owner": i.owner.id, "spec.resource": i.managedResource?.id };
  for await (const key of client.paginate(PATH, { query, itemSchema: apiKeyResponse, pageSize: 100 })) {
    const resource = key.spec.resource;
    const sameResource =
      i.managedResource === undefined
        ? resource === null || resource === undefined || resource.kind === "Cloud"
        : resource?.id === i.managedResource.id;
    const created = Date.parse(key.metadata?.created_at ?? "");
    if (
      sameResource &&
      (key.spec.display_name ?? "") === (i.displayName ?? "") &&
      (key.spec.description ?? "") === (i.description ?? "") &&
      // A key without a creation time cannot be ruled out. Erring wide (CLOCK_SKEW_MS) only turns a resend
      // into an error, never a duplicate.
      (Number.isNaN(created) || created >= sentAt - CLOCK_SKEW_MS)
    ) {
      found.push(key);
    }
  }
  return found;
}

export const apiKeySpec: Spec<ApiKeyInputs, ApiKeyResponse> = {
  kind: "ApiKey",
  noun: "API key",
  importIdFormat: "<keyId> or <envId>/<keyId>",
  importIdPattern: /^(env-[^\s/]+\/)?[A-Za-z0-9]+$/,
  inputs: apiKeyInputs,
  response: apiKeyResponse,
  replaceOnChange: ["owner", "managedResource"],
  updateInPlace: ["displayName", "description"],
  providerOnly: ["disableWaitForReady"],
  defaults: { displayName: "", description: "", disableWaitForReady: false },
  normalize: { owner: byId, managedResource: byId },
  secretOutputs: ["secret"],
  goneStatuses: [403, 404],
  readPermissionHint:
    "Use a Cloud API key whose owner may read API keys (e.g. OrganizationAdmin, or the key's own owner).",

  locate: (id) => {
    const parts = splitImportId(id);
    return parts.parent ? { id: parts.id, environment: parts.parent } : { id: parts.id };
  },
  createRequest: (i) => ({
    path: PATH,
    body: {
      spec: {
        display_name: i.displayName,
        description: i.description,
        owner: { id: i.owner.id, kind: i.owner.kind, api_version: i.owner.apiVersion },
        resource: i.managedResource && {
          id: i.managedResource.id,
          kind: i.managedResource.kind,
          api_version: i.managedResource.apiVersion,
          environment: i.managedResource.environment?.id,
        },
      },
    },
  }),
  itemRoute: (loc) => ({ path: `${PATH}/${seg(loc.id)}` }),
  listRoute: () => ({ path: PATH }),
  updateRequest: (loc, changed) => ({
    path: `${PATH}/${seg(loc.id)}`,
    body: { spec: { display_name: changed.displayName, description: changed.description } },
  }),

  findCreatedSince: keysCreatedSince,

  idOf: (b) => b.id,
  toOutputs: (b) => {
    const r = b.spec.resource;
    return {
      displayName: b.spec.display_name ?? "",
      description: b.spec.description ?? "",
      owner: { id: b.spec.owner.id, apiVersion: b.spec.owner.api_version, kind: b.spec.owner.kind },
      managedResource:
        r && r.kind !== "Cloud"
          ? {
              id: r.id,
              apiVersion: r.api_version,
              kind: r.kind,
              environment: r.environment ? { id: r.environment } : undefined,
            }
          : undefined,
      secret: b.spec.secret ?? "",
    };
  },

  afterCreate: async (ctx, id, inputs, outs) => {
    if (!inputs.disableWaitForReady) await waitUntilReady(ctx, id, inputs, outs);
    return outs;
  },
};
