import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { crn, find, findVisible, metadata, newBase, nowIso, type Ctx, type Env } from "../context";
import type { BaseRecord } from "../db";
import { apiError, invalidField, type ApiError } from "../errors";
import { paginate } from "../pagination";
import { bodyField, resourceScope } from "../rbac";
import type { Route } from "../router";
import { parseBody } from "../validate";
import { serviceAccountsTable } from "./service-accounts";
import { table, type Access, type EmulatorObject } from "./types";
import { userRef, usersTable } from "./users";

/**
 * What a resource-scoped key is for: a seeded Kafka cluster or Schema Registry, a Flink region of a seeded
 * environment (`fcpm/v2` Region, id `<cloud>.<region>`), or the organization-wide `tableflow` or `global`.
 */
export type KeyResource =
  | { id: string; kind: "Cluster" | "SchemaRegistry" | "Region"; environment: string }
  | { id: "tableflow"; kind: "Tableflow" }
  | { id: "global"; kind: "Global" };

/** A Flink region id as the API names it: `<cloud>.<region>` (`aws.us-east-1`). */
const FLINK_REGION = /^(aws|gcp|azure)\.[a-z0-9-]+$/;

/**
 * Kinds the create request must name with `api_version` (terraform-provider-confluent sends it for exactly
 * these; the 2023 spec marks `api_version` read-only, and Kafka and Schema Registry keys are created without it).
 */
const NEEDS_API_VERSION = { Region: "fcpm/v2", Tableflow: "tableflow/v1", Global: "global/v1" } as const;

/** A stored API key. The secret itself is never stored: only its SHA-256, to authenticate with. */
export interface ApiKeyRecord extends BaseRecord {
  display_name: string;
  description: string;
  owner_id: string;
  owner_kind: "ServiceAccount" | "User";
  /** null: a Cloud API key. */
  resource: KeyResource | null;
  secret_sha256: string;
  /** Epoch ms from which the key authenticates (`--key-propagation`). */
  usable_at_ms: number;
}

/** The hash of the secret authenticates; the dump leaves it out. */
export const apiKeysTable = table<ApiKeyRecord>("api_keys", { hiddenInDump: ["secret_sha256"] });

const PATH = "/iam/v2/api-keys";

const ref = z.object({ id: z.string().min(1, "must not be empty").max(255) });
const createSchema = z.object({
  spec: z.object({
    display_name: z.string().optional(),
    description: z.string().optional(),
    owner: ref,
    resource: ref
      .extend({
        environment: z.string().max(255).optional(),
        api_version: z.string().optional(),
        kind: z.string().optional(),
      })
      .nullable()
      .optional(),
  }),
});
const updateSchema = z.object({
  spec: z.object({ display_name: z.string().optional(), description: z.string().optional() }).optional(),
});

/** A missing key answers 403, as the real API does (it does not say whether the key exists). */
function missing(): ApiError {
  return apiError(403, "forbidden_access", "Forbidden Access");
}

function sha256(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}

/** The `spec.owner` reference. */
export function ownerRef(ctx: Ctx, key: ApiKeyRecord): Record<string, string> {
  if (key.owner_kind === "User") return userRef(ctx, key.owner_id);
  return {
    api_version: "iam/v2",
    id: key.owner_id,
    kind: "ServiceAccount",
    related: `${ctx.base}/iam/v2/service-accounts/${key.owner_id}`,
    resource_name: crn(ctx, `service-account=${key.owner_id}`),
  };
}

/**
 * The `spec.resource` reference, as recorded: a Cloud key answers the synthetic `cloud` resource (Tableflow
 * and Global keys theirs), a Kafka key its cluster without the environment, a Flink key its region with it.
 */
export function resourceRef(ctx: Ctx, r: KeyResource | null): Record<string, string> {
  if (r === null)
    return { api_version: "iam/v2", id: "cloud", kind: "Cloud", related: "cloud", resource_name: "cloud" };
  if (r.kind === "Tableflow" || r.kind === "Global") {
    // As recorded (create__tableflow_api_key.json, create__global_api_key.json): no environment, no links.
    return {
      api_version: NEEDS_API_VERSION[r.kind],
      id: r.id,
      kind: r.kind,
      related: r.id,
      resource_name: r.id,
    };
  }
  if (r.kind === "Region") {
    // As recorded (create__flink_api_key.json): the region with its environment, related to the region list.
    const cloud = r.id.slice(0, r.id.indexOf("."));
    return {
      api_version: "fcpm/v2",
      id: r.id,
      environment: r.environment,
      kind: "Region",
      related: `${ctx.base}/fcpm/v2/regions?cloud=${cloud}`,
      resource_name: crn(ctx, `environment=${r.environment}/flink-region=${r.id}`),
    };
  }
  if (r.kind === "Cluster") {
    // No `environment`: the real API leaves it out of a Kafka key's resource (recorded
    // iam-v2/api-keys/create__kafka_api_key.json), and a client must cope.
    return {
      api_version: "cmk/v2",
      id: r.id,
      kind: "Cluster",
      related: `${ctx.base}/cmk/v2/clusters/${r.id}?environment=${r.environment}`,
      resource_name: crn(ctx, `environment=${r.environment}/cloud-cluster=${r.id}/kafka=${r.id}`),
    };
  }
  return {
    api_version: "srcm/v2",
    id: r.id,
    kind: "SchemaRegistry",
    environment: r.environment,
    related: `${ctx.base}/srcm/v2/clusters/${r.id}?environment=${r.environment}`,
    resource_name: crn(ctx, `environment=${r.environment}/schema-registry=${r.id}`),
  };
}

/** The key's CRN: under its owner. */
export function keyCrn(ctx: Ctx, key: ApiKeyRecord): string {
  const owner = key.owner_kind === "User" ? `user=${key.owner_id}` : `service-account=${key.owner_id}`;
  return crn(ctx, `${owner}/api-key=${key.id}`);
}

function render(ctx: Ctx, key: ApiKeyRecord, secret = ""): unknown {
  return {
    api_version: "iam/v2",
    kind: "ApiKey",
    id: key.id,
    metadata: metadata(ctx, `${PATH}/${key.id}`, keyCrn(ctx, key), key),
    spec: {
      secret,
      display_name: key.display_name,
      description: key.description,
      owner: ownerRef(ctx, key),
      resource: resourceRef(ctx, key.resource),
    },
  };
}

/** Finds a seeded cluster or Schema Registry by id. */
export function seededResource(
  env: Env,
  id: string,
): Extract<KeyResource, { environment: string }> | undefined {
  const kafka = env.seed.kafka_clusters.find((c) => c.id === id);
  if (kafka) return { id, kind: "Cluster", environment: kafka.environment };
  const sr = env.seed.schema_registries.find((c) => c.id === id);
  if (sr) return { id, kind: "SchemaRegistry", environment: sr.environment };
  return undefined;
}

/** The owner's kind, or undefined when no such service account or user exists. */
export function ownerKind(ctx: Ctx, id: string): ApiKeyRecord["owner_kind"] | undefined {
  if (find(ctx, serviceAccountsTable, id)) return "ServiceAccount";
  if (find(ctx, usersTable, id)) return "User";
  return undefined;
}

/**
 * Creates and stores a key; answers the record and its secret (the only time it exists). Shared with the
 * Azure Marketplace route, whose keys live in the same store.
 */
export function mintKey(
  ctx: Ctx,
  fields: Pick<ApiKeyRecord, "display_name" | "description" | "owner_id" | "owner_kind" | "resource">,
): { key: ApiKeyRecord; secret: string } {
  const id = ctx.env.db.nextId("EMU", 13).toUpperCase();
  const secret = randomBytes(48).toString("base64");
  const key: ApiKeyRecord = {
    ...newBase(ctx, id),
    ...fields,
    secret_sha256: sha256(secret),
    usable_at_ms: ctx.env.now() + ctx.env.settings.keyPropagationMs,
  };
  ctx.env.db.rows(apiKeysTable).set(id, key);
  return { key, secret };
}

/**
 * Checks Basic credentials against created keys: the key must exist, the secret match, and
 * `--key-propagation` have passed since creation. `resource` is what the request is for: `null` for the
 * Cloud API (only Cloud keys), a cluster or registry id for its data plane (only that resource's keys).
 * A Global key authenticates everywhere (it "can manage resources across all clusters and environments").
 */
export function authenticateKey(env: Env, id: string, secret: string, resource: string | null): boolean {
  const key = env.db.rows(apiKeysTable).get(id);
  if (!key || key.usable_at_ms > env.now()) return false;
  if (key.resource?.kind !== "Global" && (key.resource?.id ?? null) !== resource) return false;
  const a = Buffer.from(sha256(secret), "hex");
  const b = Buffer.from(key.secret_sha256, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The resource a create request names, or the 422 that says what is wrong with it. */
function keyResource(
  env: Env,
  r: { id: string; environment?: string; api_version?: string; kind?: string },
): KeyResource {
  const needs = (kind: keyof typeof NEEDS_API_VERSION): void => {
    if (r.api_version !== NEEDS_API_VERSION[kind]) {
      throw invalidField(
        "/spec/resource/api_version",
        `Resource ${r.id} needs api_version ${NEEDS_API_VERSION[kind]} (got ${r.api_version ?? "none"})`,
      );
    }
  };
  if (r.id === "tableflow" || r.id === "global") {
    const kind = r.id === "tableflow" ? "Tableflow" : "Global";
    needs(kind);
    return r.id === "tableflow" ? { id: "tableflow", kind: "Tableflow" } : { id: "global", kind: "Global" };
  }
  if (FLINK_REGION.test(r.id)) {
    needs("Region");
    if (r.environment === undefined) {
      throw invalidField(
        "/spec/resource/environment",
        `A Flink key for ${r.id} needs spec.resource.environment`,
      );
    }
    if (!env.seed.environments.some((e) => e.id === r.environment)) {
      throw invalidField("/spec/resource/environment", `Environment ${r.environment} does not exist`);
    }
    return { id: r.id, kind: "Region", environment: r.environment };
  }
  const found = seededResource(env, r.id);
  if (!found) throw invalidField("/spec/resource/id", `Resource ${r.id} does not exist`);
  if (r.environment !== undefined && r.environment !== found.environment) {
    throw invalidField(
      "/spec/resource/environment",
      `Resource ${found.id} is not in environment ${r.environment}`,
    );
  }
  return found;
}

const routes: Route[] = [
  {
    method: "GET",
    path: PATH,
    handler: (ctx) => {
      const owner = ctx.query.get("spec.owner");
      const resource = ctx.query.get("spec.resource");
      let items = [...ctx.env.db.rows(apiKeysTable).values()];
      if (owner) items = items.filter((k) => k.owner_id === owner);
      if (resource) items = items.filter((k) => (k.resource?.id ?? "cloud") === resource);
      return paginate(
        ctx,
        items,
        { defaultSize: 10, maxSize: 100 },
        { apiVersion: "iam/v2", kind: "ApiKeyList" },
        (k) => render(ctx, k),
      );
    },
  },
  {
    method: "POST",
    path: PATH,
    handler: (ctx) => {
      const { spec } = parseBody(createSchema, ctx.body);
      const kind = ownerKind(ctx, spec.owner.id);
      if (!kind) throw invalidField("/spec/owner/id", `Owner ${spec.owner.id} does not exist`);
      const resource = spec.resource ? keyResource(ctx.env, spec.resource) : null;
      const { key, secret } = mintKey(ctx, {
        display_name: spec.display_name ?? "",
        description: spec.description ?? "",
        owner_id: spec.owner.id,
        owner_kind: kind,
        resource,
      });
      return {
        status: 202,
        body: render(ctx, key, secret),
        headers: { Location: `${ctx.base}${PATH}/${key.id}` },
      };
    },
  },
  {
    method: "GET",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const key = findVisible(ctx, apiKeysTable, ctx.params.id ?? "");
      if (!key) throw missing();
      return { status: 200, body: render(ctx, key) };
    },
  },
  {
    method: "PATCH",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const key = find(ctx, apiKeysTable, ctx.params.id ?? "");
      if (!key) throw missing();
      const { spec } = parseBody(updateSchema, ctx.body);
      if (spec?.display_name !== undefined) key.display_name = spec.display_name;
      if (spec?.description !== undefined) key.description = spec.description;
      key.updated_at = nowIso(ctx);
      return { status: 200, body: render(ctx, key) };
    },
  },
  {
    method: "DELETE",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const key = find(ctx, apiKeysTable, ctx.params.id ?? "");
      if (!key) throw missing();
      ctx.env.db.rows(apiKeysTable).delete(key.id);
      return { status: 204 };
    },
  },
];

/** The RBAC scope of a resource key: its cluster's or registry's, a Flink key's environment, else the org. */
function keyScope(env: Env, resource: string, environment: string | undefined): string[] {
  return resourceScope(env, resource) ?? (environment === undefined ? [] : [`environment=${environment}`]);
}

/**
 * Cloud keys need `cloud-keys:manage` (org-wide), resource keys `resource-keys:manage` on their resource's
 * scope; a user may always manage the keys it owns.
 */
const access: Access = ({ env, read, params, query, body }) => {
  if (params.id !== undefined) {
    const key = env.db.rows(apiKeysTable).get(params.id);
    if (!key) return undefined; // the handler answers the same 403
    return key.resource === null
      ? { anyOf: ["cloud-keys:manage"], target: [], keyOwner: key.owner_id }
      : {
          anyOf: ["resource-keys:manage"],
          target: keyScope(
            env,
            key.resource.id,
            "environment" in key.resource ? key.resource.environment : undefined,
          ),
          keyOwner: key.owner_id,
        };
  }
  if (read) {
    const resource = query.get("spec.resource");
    const owner = query.get("spec.owner") ?? undefined;
    if (resource === null) return { anyOf: ["cloud-keys:manage", "resource-keys:manage"], target: [] };
    if (resource === "cloud") return { anyOf: ["cloud-keys:manage"], target: [], keyOwner: owner };
    return {
      anyOf: ["resource-keys:manage"],
      target: resourceScope(env, resource) ?? [],
      keyOwner: owner,
    };
  }
  const owner = bodyField(body, "spec", "owner", "id");
  const resource = bodyField(body, "spec", "resource", "id");
  if (resource === undefined) return { anyOf: ["cloud-keys:manage"], target: [], keyOwner: owner };
  const environment = bodyField(body, "spec", "resource", "environment");
  return { anyOf: ["resource-keys:manage"], target: keyScope(env, resource, environment), keyOwner: owner };
};

/** iam/v2 API keys: 202 on create with the only copy of the secret; 403 for a missing key. */
export const apiKeys: EmulatorObject = {
  name: "API keys",
  tables: [apiKeysTable],
  routes,
  access,
};
