import { z } from "zod";
import { find, type Ctx } from "../context";
import { armError, type ApiError } from "../errors";
import type { Route } from "../router";
import {
  apiKeysTable,
  keyCrn,
  mintKey,
  ownerRef,
  resourceRef,
  seededResource,
  type ApiKeyRecord,
} from "./api-keys";
import type { EmulatorObject } from "./types";
import { usersTable } from "./users";

const API_VERSION = "2024-07-01";
const ORG =
  "/subscriptions/:subscription/resourceGroups/:resourceGroup/providers/Microsoft.Confluent/organizations/:org";

const createSchema = z.object({ name: z.string().optional(), description: z.string().optional() });

/** ARM checks the api-version and the subscription id before anything else. */
function checkArm(ctx: Ctx): void {
  const version = ctx.query.get("api-version");
  if (!version)
    throw armError(
      400,
      "MissingApiVersionParameter",
      "The api-version query parameter (?api-version=) is required for all requests.",
    );
  if (version !== API_VERSION) {
    throw armError(
      400,
      "InvalidApiVersionParameter",
      `The api-version '${version}' is invalid. The supported version is '${API_VERSION}'.`,
    );
  }
  const sub = ctx.params.subscription ?? "";
  if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(sub)) {
    throw armError(
      400,
      "InvalidSubscriptionId",
      `The provided subscription identifier '${sub}' is malformed or invalid.`,
    );
  }
}

function notFound(message: string): ApiError {
  return armError(404, "NotFound", message);
}

/** ARM's camelCase view of an API key. */
function render(ctx: Ctx, key: ApiKeyRecord, secret = ""): unknown {
  const owner = ownerRef(ctx, key);
  const resource = resourceRef(ctx, key.resource);
  return {
    id: key.id,
    kind: "ApiKey",
    properties: {
      metadata: {
        createdTimestamp: key.created_at,
        resourceName: keyCrn(ctx, key),
        self: `${ctx.base}/iam/v2/api-keys/${key.id}`,
        updatedTimestamp: key.updated_at,
      },
      spec: {
        name: key.display_name,
        description: key.description,
        owner: { id: owner.id, kind: owner.kind, related: owner.related, resourceName: owner.resource_name },
        resource: {
          id: resource.id,
          kind: resource.kind,
          environment: resource.environment,
          related: resource.related,
          resourceName: resource.resource_name,
        },
        secret,
      },
    },
  };
}

function parse(ctx: Ctx): z.infer<typeof createSchema> {
  const r = createSchema.safeParse(ctx.body ?? {});
  if (!r.success)
    throw armError(
      400,
      "InvalidRequestContent",
      `The request content is invalid: ${r.error.issues[0]?.message ?? ""}`,
    );
  return r.data;
}

const routes: Route[] = [
  {
    method: "POST",
    path: `${ORG}/environments/:environment/clusters/:cluster/createAPIKey`,
    handler: (ctx) => {
      checkArm(ctx);
      const input = parse(ctx);
      const envId = ctx.params.environment ?? "";
      if (!ctx.env.seed.environments.some((e) => e.id === envId))
        throw notFound(`Environment ${envId} not found`);
      const resource = seededResource(ctx.env, ctx.params.cluster ?? "");
      if (!resource || resource.environment !== envId) {
        throw notFound(`Cluster ${ctx.params.cluster ?? ""} not found in environment ${envId}`);
      }
      // The Marketplace key belongs to the organization's owner: the seed's first user.
      const owner = ctx.env.seed.users.map((u) => u.id).find((id) => find(ctx, usersTable, id));
      if (!owner) throw armError(400, "BadRequest", "The organization has no user to own the API key");
      const { key, secret } = mintKey(ctx, {
        display_name: input.name ?? "",
        description: input.description ?? "",
        owner_id: owner,
        owner_kind: "User",
        resource,
      });
      return { status: 200, body: render(ctx, key, secret) };
    },
  },
  {
    method: "GET",
    path: `${ORG}/apiKeys/:key`,
    handler: (ctx) => {
      checkArm(ctx);
      const key = find(ctx, apiKeysTable, ctx.params.key ?? "");
      if (!key || key.visible_at_ms > ctx.env.now())
        throw notFound(`API key ${ctx.params.key ?? ""} not found`);
      return { status: 200, body: render(ctx, key) };
    },
  },
  {
    method: "DELETE",
    path: `${ORG}/apiKeys/:key`,
    handler: (ctx) => {
      checkArm(ctx);
      // ARM deletes are idempotent: 200 when something was deleted, 204 when there was nothing.
      return { status: ctx.env.db.rows(apiKeysTable).delete(ctx.params.key ?? "") ? 200 : 204 };
    },
  },
];

/**
 * The Azure Marketplace route (Microsoft.Confluent, seed 003): create a Kafka or Schema Registry key with an
 * Azure AD bearer token; read and delete it (OrganizationResourceAPIKeyActions). The keys live in the same
 * store as iam/v2 keys (the API-key object's table), so they authenticate and show up in
 * `GET /iam/v2/api-keys`.
 */
export const azureMarketplace: EmulatorObject = {
  name: "Azure Marketplace API keys",
  tables: [],
  routes,
  // Azure Resource Manager authenticates with a bearer token, outside Confluent Cloud RBAC.
  access: null,
};
