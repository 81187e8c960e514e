/**
 * pim/v2 provider integrations (provider-integration_v2.yaml), the Azure and GCP flow:
 *
 * 1. `POST /pim/v2/integrations` makes a `DRAFT` integration (display name, provider `AZURE` or `GCP`, case
 *    not significant, and the environment; no config). Confluent's side is made at once: the answer's
 *    `config` holds the Confluent multi-tenant app id (Azure) or Google service account (GCP).
 * 2. `POST /pim/v2/integrations:validate` (body `{id, environment, config?}`) checks the customer side; the
 *    config is needed for a `DRAFT` integration (the spec: "Required only for integrations in DRAFT
 *    status"), else the stored one is checked. 204 when it holds; 400 naming what the cloud side lacks.
 *    Validation changes nothing.
 * 3. `PATCH /pim/v2/integrations/{id}` (body `{config, environment}`) maps the customer's tenant or service
 *    account. The spec: "This request only works for integrations with DRAFT status": a PATCH of any other
 *    answers 409. It moves the integration to `CREATED` ("associated with customer configuration").
 *
 * How to make validation fail (the emulator has no cloud): an Azure tenant id that starts with `deadbeef-`
 * has no service principal for Confluent's app; a Google service account whose name starts with
 * `no-access` has not granted Confluent's account the Token Creator role.
 *
 * GET, LIST and DELETE need `?environment=` (required in the spec); a missing integration answers 404 in the
 * standard envelope (the spec's example). The spec lists 409 for POST without saying on what; nothing is
 * taken as unique here (a replace makes the new integration, with the same name, before deleting the old).
 * `usages` is always empty here.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { crn, find, findVisible, metadata, newBase, nowIso, type Ctx } from "../context";
import type { BaseRecord } from "../db";
import { apiError, invalidField, invalidParam, type ApiError } from "../errors";
import { paginate } from "../pagination";
import type { Route } from "../router";
import { parseBody } from "../validate";
import { integrationsAccess } from "./integrations";
import { table, type EmulatorObject } from "./types";

type Cloud = "AZURE" | "GCP";

/** A stored pim/v2 integration. */
export interface IntegrationV2Record extends BaseRecord {
  display_name: string;
  provider: Cloud;
  environment_id: string;
  status: "DRAFT" | "CREATED" | "ACTIVE";
  /** Confluent's side: the multi-tenant app id (Azure) or Google service account (GCP). */
  confluent_identity: string;
  /** The customer's side, once PATCHed: the Azure tenant id or the Google service account. */
  customer_identity?: string;
}

export const integrationsV2Table = table<IntegrationV2Record>("integrations_v2");

const PATH = "/pim/v2/integrations";

const KINDS: Record<Cloud, string> = { AZURE: "AzureIntegrationConfig", GCP: "GcpIntegrationConfig" };
const CUSTOMER_FIELD: Record<Cloud, string> = {
  AZURE: "customer_azure_tenant_id",
  GCP: "customer_google_service_account",
};

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const GOOGLE_SA = /^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z0-9.-]+\.iam\.gserviceaccount\.com$/;

const environmentRef = z.object({ id: z.string().min(1, "environment.id must not be empty") });

const createSchema = z.object({
  display_name: z.string().max(60, "display_name must be at most 60 characters").optional(),
  provider: z.string().transform((p, c) => {
    const up = p.toUpperCase();
    if (up === "AZURE" || up === "GCP") return up as Cloud;
    c.addIssue({ code: "custom", message: `provider must be AZURE or GCP (got ${JSON.stringify(p)})` });
    return z.NEVER;
  }),
  environment: environmentRef,
});

const configSchema = z
  .object({
    kind: z.string(),
    customer_azure_tenant_id: z.string().optional(),
    customer_google_service_account: z.string().optional(),
  })
  .passthrough();
type ConfigBody = z.infer<typeof configSchema>;

const updateSchema = z.object({ config: configSchema, environment: environmentRef });
const validateSchema = z.object({
  id: z.string().min(1, "id must not be empty").max(255),
  environment: environmentRef,
  config: configSchema.optional(),
});

function missing(id: string): ApiError {
  return apiError(404, "not_found", `Provider Integration ${id} not found`);
}

/** GET, LIST and DELETE take the environment as a required query parameter. */
function environmentParam(ctx: Ctx): string {
  const env = ctx.query.get("environment");
  if (!env) throw invalidParam("environment", "environment is required");
  return env;
}

/** A stable value from a string (Confluent's identities must not change between reads). */
function hashOf(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}

function confluentIdentity(cloud: Cloud, seed: string): string {
  const h = hashOf(seed);
  return cloud === "AZURE"
    ? `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`
    : `cspi-${h.slice(0, 10)}@cflt-emulator.iam.gserviceaccount.com`;
}

function render(ctx: Ctx, i: IntegrationV2Record): unknown {
  const config: Record<string, string> = { kind: KINDS[i.provider] };
  if (i.provider === "AZURE") {
    config.confluent_multi_tenant_app_id = i.confluent_identity;
    if (i.customer_identity !== undefined) config.customer_azure_tenant_id = i.customer_identity;
  } else {
    config.google_service_account = i.confluent_identity;
    if (i.customer_identity !== undefined) config.customer_google_service_account = i.customer_identity;
  }
  return {
    api_version: "pim/v2",
    kind: "Integration",
    id: i.id,
    metadata: metadata(
      ctx,
      `${PATH}/${i.id}`,
      crn(ctx, `environment=${i.environment_id}/provider-integration=${i.id}`),
      i,
    ),
    display_name: i.display_name,
    provider: i.provider,
    config,
    status: i.status,
    usages: [],
    environment: {
      id: i.environment_id,
      related: `${ctx.base}/org/v2/environments/${i.environment_id}`,
      resource_name: crn(ctx, `environment=${i.environment_id}`),
    },
  };
}

/** The customer identity of a config for `rec`'s cloud, or the 4xx naming the field. */
function customerIdentity(rec: IntegrationV2Record, config: ConfigBody, status: 400 | 422): string {
  if (config.kind !== KINDS[rec.provider]) {
    throw invalidField(
      "/config/kind",
      `config.kind must be ${KINDS[rec.provider]} for a ${rec.provider} integration (got ${config.kind})`,
      status,
    );
  }
  const field = CUSTOMER_FIELD[rec.provider];
  const value =
    rec.provider === "AZURE" ? config.customer_azure_tenant_id : config.customer_google_service_account;
  if (value === undefined || value === "") {
    throw invalidField(`/config/${field}`, `config.${field} is required`, status);
  }
  if (rec.provider === "AZURE" && !UUID.test(value)) {
    throw invalidField(`/config/${field}`, `config.${field} must be an Azure tenant id (a UUID)`, status);
  }
  if (rec.provider === "GCP" && !GOOGLE_SA.test(value)) {
    throw invalidField(
      `/config/${field}`,
      `config.${field} must be a Google service account email (<name>@<project>.iam.gserviceaccount.com)`,
      status,
    );
  }
  return value;
}

/** What the customer's cloud lacks for `customer`, or undefined when the setup holds (see the header). */
function cloudSideProblem(rec: IntegrationV2Record, customer: string): string | undefined {
  if (rec.provider === "AZURE" && customer.toLowerCase().startsWith("deadbeef-")) {
    return (
      `Azure tenant ${customer} has no service principal for the Confluent multi-tenant app ` +
      `${rec.confluent_identity}, or it has not been granted access`
    );
  }
  if (rec.provider === "GCP" && customer.startsWith("no-access")) {
    return (
      `Confluent's service account ${rec.confluent_identity} cannot impersonate ${customer}: it lacks ` +
      `roles/iam.serviceAccountTokenCreator on that service account`
    );
  }
  return undefined;
}

const routes: Route[] = [
  {
    method: "GET",
    path: PATH,
    handler: (ctx) => {
      const env = environmentParam(ctx);
      const provider = ctx.query.get("provider")?.toUpperCase();
      const status = ctx.query.get("status");
      const name = ctx.query.get("display_name");
      const items = [...ctx.env.db.rows(integrationsV2Table).values()].filter(
        (i) =>
          i.environment_id === env &&
          (!provider || i.provider === provider) &&
          (!status || i.status === status) &&
          (!name || i.display_name.includes(name)),
      );
      return paginate(
        ctx,
        items,
        { defaultSize: 10, maxSize: 100 },
        { apiVersion: "pim/v2", kind: "IntegrationList" },
        (i) => render(ctx, i),
      );
    },
  },
  {
    method: "POST",
    path: PATH,
    handler: (ctx) => {
      const input = parseBody(createSchema, ctx.body);
      if (!ctx.env.seed.environments.some((e) => e.id === input.environment.id)) {
        throw invalidField("/environment/id", `Environment ${input.environment.id} does not exist`);
      }
      const name = input.display_name ?? "";
      const base = newBase(ctx, ctx.env.db.nextId("cspi-", 5));
      const rec: IntegrationV2Record = {
        ...base,
        display_name: name,
        provider: input.provider,
        environment_id: input.environment.id,
        status: "DRAFT",
        confluent_identity: confluentIdentity(input.provider, `${ctx.env.seed.organization_id}/${base.id}`),
      };
      ctx.env.db.rows(integrationsV2Table).set(rec.id, rec);
      return {
        status: 201,
        body: render(ctx, rec),
        headers: { Location: `${ctx.base}${PATH}/${rec.id}?environment=${rec.environment_id}` },
      };
    },
  },
  {
    method: "POST",
    path: `${PATH}:validate`,
    handler: (ctx) => {
      const input = parseBody(validateSchema, ctx.body, "", 400);
      const rec = find(ctx, integrationsV2Table, input.id);
      if (!rec || rec.environment_id !== input.environment.id) throw missing(input.id);
      let customer = rec.customer_identity;
      if (input.config !== undefined) customer = customerIdentity(rec, input.config, 400);
      if (customer === undefined) {
        throw invalidField(
          "/config",
          `config is required to validate integration ${rec.id}: it is DRAFT and has no customer configuration yet`,
          400,
        );
      }
      const problem = cloudSideProblem(rec, customer);
      if (problem !== undefined) {
        throw apiError(400, "validation_failed", `Provider integration validation failed: ${problem}`);
      }
      return { status: 204 };
    },
  },
  {
    method: "GET",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const env = environmentParam(ctx);
      const id = ctx.params.id ?? "";
      const rec = findVisible(ctx, integrationsV2Table, id);
      if (!rec || rec.environment_id !== env) throw missing(id);
      return { status: 200, body: render(ctx, rec) };
    },
  },
  {
    method: "PATCH",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const id = ctx.params.id ?? "";
      const input = parseBody(updateSchema, ctx.body);
      const rec = find(ctx, integrationsV2Table, id);
      if (!rec || rec.environment_id !== input.environment.id) throw missing(id);
      if (rec.status !== "DRAFT") {
        throw apiError(
          409,
          "conflict",
          `Provider integration ${id} is ${rec.status}: only integrations in DRAFT status can be updated`,
        );
      }
      rec.customer_identity = customerIdentity(rec, input.config, 422);
      rec.status = "CREATED";
      rec.updated_at = nowIso(ctx);
      return { status: 200, body: render(ctx, rec) };
    },
  },
  {
    method: "DELETE",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const env = environmentParam(ctx);
      const id = ctx.params.id ?? "";
      const rec = find(ctx, integrationsV2Table, id);
      if (!rec || rec.environment_id !== env) throw missing(id);
      ctx.env.db.rows(integrationsV2Table).delete(id);
      return { status: 204 };
    },
  },
];

/** pim/v2 integrations: DRAFT → PATCH (→ CREATED) and `:validate`; `?environment=` on GET/LIST/DELETE. */
export const integrationsV2: EmulatorObject = {
  name: "provider integrations (pim/v2)",
  tables: [integrationsV2Table],
  routes,
  access: integrationsAccess,
};
