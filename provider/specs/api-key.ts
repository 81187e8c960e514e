/**
 * ApiKey: iam/v2 api-keys. Create answers 202 and is the only response that carries the secret (later
 * reads return `"secret": ""`), so the secret output is kept from create on. A missing key reads as 403 (the
 * API hides existence). Owner and managed resource replace the key; names update in place. The real API
 * leaves `spec.resource.environment` out of a Kafka key's answers.
 *
 * Readiness (unless `disableWaitForReady`): a new key takes a while to authenticate, and an unpropagated key
 * fails *authentication* (401, seed 004). So the new key itself calls a route of the place it is for: 401
 * means wait; any other answer (200, and 403 or 404, which only an authenticated caller gets) means ready.
 * - Cloud key: `GET /org/v2/environments?page_size=1`, which any valid Cloud key may call.
 * - Kafka key: the cluster's REST endpoint (`spec.http_endpoint` of `GET /cmk/v2/clusters/{id}?environment=`,
 *   read with the management key), then `GET /kafka/v3/clusters/{id}` there.
 * - Schema Registry key: the same through `GET /srcm/v3/clusters/{id}?environment=`, then `GET /subjects`.
 * - Global key: `GET /org/v2/environments?page_size=1`, as a Cloud key (it works on the Cloud API too).
 * - Flink, Tableflow, ksqlDB and unknown kinds: no probe in the API documents, so no wait; a line says so.
 *
 * Key kinds (see {@link keyKindOf}): the resource's id, `kind` and `apiVersion` tell them apart. The create
 * body names the resource by id (and environment); `kind` and `api_version` are read-only in the spec, and
 * are sent only for Flink (`fcpm/v2` Region), Tableflow (`tableflow/v1`) and Global (`global/v1`) keys, which
 * the API needs them for (terraform-provider-confluent sends them for exactly these).
 * Bounded by CONFLUENT_IAM_KEY_READY_TIMEOUT_MS (default 5 min); if the wait fails the key stays in state
 * with the error (never orphaned).
 */
import { z } from "zod";
import { ConfluentApiError, ConfluentClient } from "../client";
import { confirmGone, isGone } from "../calls";
import { createdAtOf, createdSince } from "../create";
import { errorText, importOption } from "../messages";
import { clientOptions, envNumber, resolveCredentials, sleep, TUNING_ENV } from "../runtime";
import { defineSpec, type FieldTable } from "../fields";
import { PartialCreateError, type OperationContext } from "../spec";
import { unwrapSecrets } from "../../protocol";
import { idInput, metadataSchema, optionalNameInput, refId, refSchema, seg, splitImportId } from "./common";

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

/** What every key is: its names, owner and resource (ApiKeyRotation's keys share them). */
export const keyInputs = z.object({
  displayName: optionalNameInput(),
  description: z.string().optional(),
  owner: ownerInput,
  managedResource: managedResourceInput.optional(),
});
export type KeyInputs = z.infer<typeof keyInputs>;

export const apiKeyInputs = keyInputs.extend({
  disableWaitForReady: z.boolean().optional(),
  // An adopted key's own secret (a Pulumi secret): checked with one authenticated call, never sent otherwise.
  secret: z.string().min(1).optional(),
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

type ManagedResource = z.infer<typeof managedResourceInput>;

/** What a key is for. `Other` is a kind this provider does not know (sent as the program gives it). */
export type KeyKind =
  "Cloud" | "Kafka" | "SchemaRegistry" | "ksqlDB" | "Flink" | "Tableflow" | "Global" | "Other";

/** A Flink region id: `<cloud>.<region>` (`aws.us-east-1`). */
const FLINK_REGION = /^(aws|gcp|azure)\.[a-z0-9-]+$/;

/**
 * The kind of key a managed resource makes. @pulumi/confluentcloud programs pass the resource's own
 * `apiVersion`/`kind` (a Schema Registry cluster is `srcm/v3` `Cluster`): a telling `kind` decides first, then
 * the API group, then the id's form (`lkc-`, `lsrc-`, `lksqlc-`, `tableflow`, `global`, `<cloud>.<region>`).
 */
export function keyKindOf(r: Pick<ManagedResource, "id" | "apiVersion" | "kind"> | undefined): KeyKind {
  if (r === undefined) return "Cloud";
  const byKind = KIND_OF_RESOURCE_KIND[r.kind ?? ""];
  if (byKind) return byKind;
  // Any other declared kind is one this provider does not know.
  if (r.kind !== undefined && r.kind !== "Cluster") return "Other";
  const byGroup = KIND_OF_API_GROUP[r.apiVersion?.split("/")[0] ?? ""];
  if (byGroup && !(byGroup === "Flink" && r.kind === "Cluster")) return byGroup;
  if (r.id.startsWith("lkc-")) return "Kafka";
  if (r.id.startsWith("lsrc-")) return "SchemaRegistry";
  if (r.id.startsWith("lksqlc-")) return "ksqlDB";
  if (r.id === "tableflow") return "Tableflow";
  if (r.id === "global") return "Global";
  if (FLINK_REGION.test(r.id) && r.kind === undefined) return "Flink";
  return "Other";
}

/** Resource kinds that say what the key is for (a `Cluster` does not: Kafka, Schema Registry and ksqlDB have it). */
const KIND_OF_RESOURCE_KIND: Readonly<Record<string, KeyKind>> = {
  Region: "Flink",
  Tableflow: "Tableflow",
  Global: "Global",
  SchemaRegistry: "SchemaRegistry",
  ksqlDB: "ksqlDB",
};

/** API groups of the resources keys are made for. */
const KIND_OF_API_GROUP: Readonly<Record<string, KeyKind>> = {
  cmk: "Kafka",
  srcm: "SchemaRegistry",
  ksqldbcm: "ksqlDB",
  fcpm: "Flink",
  tableflow: "Tableflow",
  global: "Global",
};

/** The `api_version` and `kind` the API needs in a create body, for the kinds that need them. */
const SENT_TYPE: Partial<Record<KeyKind, { api_version: string; kind: string; id?: string }>> = {
  Flink: { api_version: "fcpm/v2", kind: "Region" },
  Tableflow: { api_version: "tableflow/v1", kind: "Tableflow", id: "tableflow" },
  Global: { api_version: "global/v1", kind: "Global", id: "global" },
};

/** The `spec.resource` of a create body. */
function resourceToApi(r: ManagedResource): Record<string, unknown> {
  const kind = keyKindOf(r);
  const sent = SENT_TYPE[kind];
  if (sent)
    return { id: r.id, kind: sent.kind, api_version: sent.api_version, environment: r.environment?.id };
  // Kafka, Schema Registry, ksqlDB: the id (and environment) says it all; the spec marks the rest read-only.
  if (kind !== "Other") return { id: r.id, environment: r.environment?.id };
  return { id: r.id, kind: r.kind, api_version: r.apiVersion, environment: r.environment?.id };
}

/**
 * The resource id as a program names it. Older API versions answered a Flink key's region as
 * `<environment>.<cloud>.<region>`; the program (and today's API) says `<cloud>.<region>`.
 */
function answeredResourceId(r: { id: string; kind?: string; api_version?: string }): string {
  if (keyKindOf({ id: r.id, kind: r.kind, apiVersion: r.api_version }) !== "Flink") return r.id;
  const parts = r.id.split(".");
  return parts.length === 3 && parts[0]!.startsWith("env-") ? parts.slice(1).join(".") : r.id;
}

/** Rules across the managed resource's members, by key kind; each message names the field and the fix. */
export function checkManagedResource(i: Pick<ApiKeyInputs, "managedResource">, ctx: z.RefinementCtx): void {
  const r = i.managedResource;
  if (r === undefined) return;
  const kind = keyKindOf(r);
  const path = ["managedResource"];
  if (kind === "Flink" && r.environment === undefined) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: [...path, "environment"],
      message:
        `a Flink key (fcpm/v2 Region ${r.id}) is for one environment: set managedResource.environment ` +
        `to { id: "env-…" }, the environment whose Flink region it opens`,
    });
  }
  const sent = SENT_TYPE[kind];
  if ((kind === "Tableflow" || kind === "Global") && sent) {
    if (r.id !== sent.id) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [...path, "id"],
        message: `a ${kind} key's resource id is "${sent.id}": set managedResource.id to "${sent.id}" (got "${r.id}")`,
      });
    }
    if (r.environment !== undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [...path, "environment"],
        message: `a ${kind} key is for the whole organization, not one environment: remove managedResource.environment`,
      });
    }
  }
}

/** How a new key shows that it authenticates: the client it probes with, and the call. */
interface ReadinessProbe {
  /** What the probe calls, for progress lines (`GET /kafka/v3/clusters/lkc-1 on https://…`). */
  what: string;
  /** Makes the call with the new key; resolves or throws the client's error. */
  call(): Promise<unknown>;
}

/** The REST endpoint of the cluster or registry a resource key is for, read with the management key. */
async function httpEndpoint(ctx: OperationContext, path: string, environment: string): Promise<string> {
  const body = await ctx.client.request("GET", path, {
    query: { environment },
    schema: z.object({ spec: z.object({ http_endpoint: z.string().url() }).passthrough() }).passthrough(),
  });
  return body.spec.http_endpoint;
}

/** The probe for this kind of key, or a reason why there is none. */
async function readinessProbe(
  ctx: OperationContext,
  id: string,
  inputs: KeyInputs,
  secret: string,
): Promise<ReadinessProbe | string> {
  const endpointInUse = ctx.endpoint ?? resolveCredentials().endpoint;
  const keyClient = (endpoint: string): ConfluentClient =>
    new ConfluentClient({
      endpoint,
      auth: { kind: "basic", apiKey: id, apiSecret: secret },
      ...clientOptions(),
      onEvent: undefined,
    });
  const r = inputs.managedResource;
  const kind = keyKindOf(r);
  if (r === undefined || kind === "Global") {
    // A Global key works on the Cloud API as its owner, as a Cloud key does.
    const client = keyClient(endpointInUse);
    return {
      what: "GET /org/v2/environments?page_size=1",
      call: () => client.request("GET", "/org/v2/environments", { query: { page_size: 1 } }),
    };
  }
  if (kind !== "Kafka" && kind !== "SchemaRegistry") {
    const name = kind === "Other" ? r.kind || r.id : kind === "Flink" ? "Flink (fcpm/v2 Region)" : kind;
    return `${name} keys have no documented readiness probe`;
  }
  const environment = r.environment?.id;
  if (environment === undefined) {
    return `managedResource.environment is not set, so the ${kind === "Kafka" ? "Kafka cluster" : "Schema Registry"} endpoint cannot be looked up`;
  }
  if (kind === "Kafka") {
    const endpoint = await httpEndpoint(ctx, `/cmk/v2/clusters/${seg(r.id)}`, environment);
    const client = keyClient(endpoint);
    return {
      what: `GET /kafka/v3/clusters/${r.id} on ${endpoint}`,
      call: () => client.request("GET", `/kafka/v3/clusters/${seg(r.id)}`),
    };
  }
  const endpoint = await httpEndpoint(ctx, `/srcm/v3/clusters/${seg(r.id)}`, environment);
  const client = keyClient(endpoint);
  return { what: `GET /subjects on ${endpoint}`, call: () => client.request("GET", "/subjects") };
}

/**
 * Waits until the new key `id` authenticates (see the header). `keep` builds the error that keeps the key in
 * state when the wait fails (ApiKey: the key itself; ApiKeyRotation: the rotation with its keys).
 */
export async function waitUntilReady(
  ctx: OperationContext,
  id: string,
  inputs: KeyInputs,
  secret: string,
  keep: (message: string, reason: string) => PartialCreateError,
): Promise<void> {
  const timeoutMs = envNumber(TUNING_ENV.keyReadyTimeoutMs, 300_000);
  const started = Date.now();
  let probe: ReadinessProbe | string;
  try {
    probe = await readinessProbe(ctx, id, inputs, secret);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw keep(`its readiness could not be checked: ${why}`, `API key ${id} readiness not checked`);
  }
  if (typeof probe === "string") {
    ctx.log(`ApiKey ${id}: not waiting until the new key is usable: ${probe}`);
    return;
  }
  let last = "";
  for (let attempt = 1; ; attempt++) {
    try {
      await probe.call();
      return;
    } catch (e) {
      // Only an unauthenticated caller gets 401; a 403 or 404 means the key authenticated (its owner may
      // lack a permission, which is not ours to wait for).
      if (e instanceof ConfluentApiError && e.status !== 401) return;
      if (!(e instanceof ConfluentApiError)) {
        const why = e instanceof Error ? e.message : String(e);
        throw keep(`its readiness could not be checked: ${why}`, `API key ${id} readiness not checked`);
      }
      last = `${e.status}`;
    }
    const elapsed = Date.now() - started;
    if (elapsed >= timeoutMs) break;
    const delay = Math.min(timeoutMs - elapsed, Math.min(10_000, 100 * 2 ** Math.min(attempt - 1, 7)));
    ctx.log(
      `ApiKey ${id}: waiting ${delay} ms until the new key authenticates (${probe.what} answered ${last})`,
    );
    await sleep(delay);
  }
  throw keep(
    `did not become ready within ${timeoutMs} ms (${probe.what} last answered ${last})`,
    `API key ${id} not ready after ${timeoutMs} ms`,
  );
}

/**
 * The `secret` input of an adopted key (or one given later) is checked with one authenticated call: the
 * readiness probe of the key's kind, made once with the key id and that secret. A 401 fails naming the key
 * and the call, never the value; any other answer means it authenticated. A kind with no probe keeps the
 * secret unchecked, and a line says so.
 */
async function checkGivenSecret(
  ctx: OperationContext,
  id: string,
  inputs: ApiKeyInputs,
  action: "import" | "update",
): Promise<void> {
  const secret = inputs.secret;
  if (secret === undefined) return;
  const probe = await readinessProbe(ctx, id, inputs, secret);
  if (typeof probe === "string") {
    ctx.log(`ApiKey ${id}: the secret input was kept without a check: ${probe}`);
    return;
  }
  const fail = (why: string): Error =>
    new Error(
      `Cannot ${action === "import" ? "import" : "update"} API key ${id}: the secret input ${why}. Give the ` +
        `key's own secret (the one Confluent Cloud showed when the key was made), or remove the secret input ` +
        `to ${action === "import" ? 'adopt the key without it (its secret output is then "")' : "keep the secret the stack has"}.`,
    );
  try {
    await probe.call();
  } catch (e) {
    if (e instanceof ConfluentApiError && e.status === 401) {
      throw fail(`does not authenticate as this key (${probe.what} answered 401 Unauthorized with it)`);
    }
    // 403 or 404: only an authenticated caller gets them (its owner may lack a permission).
    if (e instanceof ConfluentApiError) return;
    throw fail(`could not be checked (${probe.what}: ${e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * Keys of the same owner, resource, name and description stamped as created at or after `since` (the API's
 * clock; 0 lists every match), and matching keys without a creation time (they cannot be ruled out; the
 * caller never deletes one of those).
 */
export async function keysCreatedSince(client: ConfluentClient, i: KeyInputs, since: number) {
  const found: ApiKeyResponse[] = [];
  const query = { "spec.owner": i.owner.id, "spec.resource": i.managedResource?.id };
  for await (const key of client.paginate(PATH, { query, itemSchema: apiKeyResponse, pageSize: 100 })) {
    const resource = key.spec.resource;
    const sameResource =
      i.managedResource === undefined
        ? resource === null || resource === undefined || resource.kind === "Cloud"
        : resource !== null &&
          resource !== undefined &&
          answeredResourceId(resource) === i.managedResource.id;
    if (
      sameResource &&
      (key.spec.display_name ?? "") === (i.displayName ?? "") &&
      (key.spec.description ?? "") === (i.description ?? "") &&
      (createdAtOf(key) === undefined || createdSince(key, since))
    ) {
      found.push(key);
    }
  }
  return found;
}

/** Why a key made by a create whose answer was lost cannot be used (progress lines). */
export const LOST_SECRET_REASON = "its secret was only in that answer, so it cannot be used";

/**
 * Deletes a key made by a create whose answer was lost (its secret with it); one already gone (a sibling
 * deleted it, or a 403 proven by a list probe) counts as deleted.
 */
export async function discardKey(client: ConfluentClient, key: { id: string }): Promise<void> {
  try {
    await client.request("DELETE", `${PATH}/${seg(key.id)}`);
  } catch (e) {
    if (isGone(apiKeySpec, e)) {
      await confirmGone(apiKeySpec, client, e, { id: key.id });
      return;
    }
    throw new Error(
      `API key ${key.id} was made by a create whose answer (with its secret) was lost, and deleting it ` +
        `failed: ${errorText(e)}. Delete it (confluent api-key delete ${key.id}) and run pulumi up again.`,
    );
  }
}

/**
 * After a create with an unknown outcome, matching keys (`ids`) appeared: the lost answer held the secret, so
 * they are not used, and the user decides whether each is a stray to delete or one to keep.
 */
export function strayKeysAdvice(ids: readonly string[]): string {
  return (
    `Its secret was in the lost answer, so it was neither used nor sent again. Before deleting it, make sure ` +
    `it is not one of the stack's own: a key the stack manages is the id of an ApiKey resource in the stack's ` +
    `state (pulumi stack export), and keys this run created or read are already left out of this list. If it ` +
    `is a stray, delete it (confluent api-key delete <keyId>, or DELETE /iam/v2/api-keys/<keyId>) and run ` +
    `pulumi up again; to keep it anyway, add the resource option ${importOption(ids[0] ?? "<keyId>")} to this ` +
    `resource (its secret stays empty).`
  );
}

/** The field table of a key's own inputs, shared with ApiKeyRotation (provider/specs/api-key-rotation.ts). */
export const keyFields: FieldTable<KeyInputs, ApiKeyResponse> = {
  displayName: { use: "update", api: "spec.display_name", default: "", absent: "" },
  description: { use: "update", api: "spec.description", default: "", absent: "" },
  owner: {
    use: "replace",
    api: "spec.owner",
    toApi: (o) => ({ id: o.id, kind: o.kind, api_version: o.apiVersion }),
    fromApi: ({ spec: { owner: o } }) => ({ id: o.id, apiVersion: o.api_version, kind: o.kind }),
    normalize: byId,
  },
  managedResource: {
    use: "replace",
    api: "spec.resource",
    toApi: resourceToApi,
    // A Cloud key answers a `Cloud` resource; the input leaves it out.
    fromApi: ({ spec: { resource: r } }) =>
      r && r.kind !== "Cloud"
        ? {
            id: answeredResourceId(r),
            apiVersion: r.api_version,
            kind: r.kind,
            environment: r.environment ? { id: r.environment } : undefined,
          }
        : undefined,
    normalize: byId,
  },
};

/** The key's path, import ID format and pattern, "gone" statuses and permission hint, shared likewise. */
export const KEY_PATH = PATH;
export const keyImportIdFormat = "<keyId> or <envId>/<keyId>";
export const keyImportIdPattern = /^(env-[^\s/]+\/)?[A-Za-z0-9]+$/;
export const keyReadPermissionHint =
  "Use a Cloud API key whose owner may read API keys (e.g. OrganizationAdmin, or the key's own owner).";

export const apiKeySpec = defineSpec<ApiKeyInputs, ApiKeyResponse>({
  kind: "ApiKey",
  noun: "API key",
  importIdFormat: keyImportIdFormat,
  importIdPattern: keyImportIdPattern,
  inputs: apiKeyInputs,
  crossCheck: checkManagedResource,
  response: apiKeyResponse,
  goneStatuses: [403, 404],
  readPermissionHint: keyReadPermissionHint,

  path: PATH,
  patch: true,
  fields: {
    ...keyFields,
    disableWaitForReady: { use: "provider", default: false },
    // Output: only create answers it; later reads return "" and the adapter keeps the earlier value. Input
    // (provider-only, never in a body: no `api`): an adopted key's own secret, checked by verifyAdopted; not
    // compared while the program leaves it out (the server chose it).
    secret: {
      use: "provider",
      fromApi: (b) => b.spec.secret,
      absent: "",
      secret: true,
      serverDefaulted: true,
    },
  },

  locate: (id) => {
    const parts = splitImportId(id);
    return parts.parent ? { id: parts.id, environment: parts.parent } : { id: parts.id };
  },
  // Overlapping reads are answered from the organization's key list, not one list per owner: a stack usually
  // has one key per service account, so per-owner lists would save nothing. Pages stop at the number of
  // reads (provider/coalesce.ts), so an organization with many other keys costs no more than the GETs.
  listRead: { route: () => ({ path: PATH }) },

  // Hook: keys have no unique attribute, so an unknown create outcome is settled by keys created since.
  findCreatedSince: keysCreatedSince,
  strayCreatedAdvice: strayKeysAdvice,
  // A key made by a create whose answer was lost cannot be used (the secret was in the answer): deleted
  // and made again.
  discardCreated: discardKey,
  discardReason: LOST_SECRET_REASON,

  // Hooks: a `secret` input is an existing key's (adoption), checked with one call before it is kept.
  refuseCreate: (i) =>
    i.secret === undefined
      ? undefined
      : `ApiKey: the secret input is set, but this key is about to be created, and the API makes a new ` +
        `key's secret itself. The secret input is for adopting an existing key together with its secret: add ` +
        `the resource option { import: "<keyId>" } naming the key it belongs to, or remove the secret input.`,
  verifyAdopted: (ctx, id, inputs) => checkGivenSecret(ctx, id, inputs, "import"),
  afterUpdate: async (ctx, loc, olds, inputs, outs) => {
    const before = unwrapSecrets(olds.secret);
    if (inputs.secret !== undefined && inputs.secret !== before) {
      await checkGivenSecret(ctx, loc.id, inputs, "update");
    }
    return outs;
  },

  // Hook: the readiness wait (a new key authenticates only after a while; see the header).
  afterCreate: async (ctx, id, inputs, outs) => {
    if (inputs.disableWaitForReady) return outs;
    const secret = typeof outs.secret === "string" ? outs.secret : "";
    await waitUntilReady(
      ctx,
      id,
      inputs,
      secret,
      (message, reason) =>
        new PartialCreateError(
          `API key ${id} was created but ${message}. It is kept in the stack; run pulumi up again to wait ` +
            `more, or set disableWaitForReady: true.`,
          id,
          outs,
          [reason],
        ),
    );
    return outs;
  },
});
