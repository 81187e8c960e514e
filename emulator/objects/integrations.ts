import { createHash } from "node:crypto";
import { z } from "zod";
import { crn, find, findVisible, metadata, newBase, type Ctx } from "../context";
import type { BaseRecord } from "../db";
import { flatError, invalidField, invalidParam, type ApiError } from "../errors";
import { paginate } from "../pagination";
import { bodyField } from "../rbac";
import type { Route } from "../router";
import { parseBody } from "../validate";
import { table, type Access, type EmulatorObject } from "./types";

/** A stored pim/v1 provider integration (AWS only, as pim/v1 is). */
export interface IntegrationRecord extends BaseRecord {
  display_name: string;
  environment_id: string;
  customer_iam_role_arn: string;
  iam_role_arn: string;
  external_id: string;
}

export const integrationsTable = table<IntegrationRecord>("integrations");

const PATH = "/pim/v1/integrations";

const createSchema = z.object({
  display_name: z.string().max(60, "display_name must be at most 60 characters").optional(),
  // Responses say "AWS"; clients send "aws" too (recorded request), so the case is not significant.
  provider: z
    .string()
    .refine((p) => p.toUpperCase() === "AWS", "provider must be AWS")
    .optional(),
  config: z.object({
    kind: z.literal("AwsIntegrationConfig", {
      errorMap: () => ({ message: "config.kind must be AwsIntegrationConfig" }),
    }),
    customer_iam_role_arn: z
      .string()
      .regex(
        /^arn:aws:iam::\d{12}:role\/.+$/,
        "customer_iam_role_arn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)",
      ),
  }),
  environment: z.object({ id: z.string().min(1, "must not be empty") }),
});

function missing(id: string): ApiError {
  return flatError(404, 404, `Provider Integration ${id} not found`);
}

/** GET, LIST and DELETE take the environment as a required query parameter. */
function environmentParam(ctx: Ctx): string {
  const env = ctx.query.get("environment");
  if (!env) throw invalidParam("environment", "environment is required");
  return env;
}

/** A stable UUID-shaped value from a string (external ids must not change between reads). */
function uuidFrom(s: string): string {
  const h = createHash("sha256").update(s).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function render(ctx: Ctx, i: IntegrationRecord): unknown {
  return {
    api_version: "pim/v1",
    kind: "Integration",
    id: i.id,
    metadata: metadata(
      ctx,
      `${PATH}/${i.id}`,
      crn(ctx, `environment=${i.environment_id}/provider-integration=${i.id}`),
      i,
    ),
    display_name: i.display_name,
    provider: "AWS",
    config: {
      kind: "AwsIntegrationConfig",
      iam_role_arn: i.iam_role_arn,
      external_id: i.external_id,
      customer_iam_role_arn: i.customer_iam_role_arn,
    },
    usages: [],
    environment: {
      id: i.environment_id,
      related: `${ctx.base}/org/v2/environments/${i.environment_id}`,
      resource_name: crn(ctx, `environment=${i.environment_id}`),
    },
  };
}

const routes: Route[] = [
  {
    method: "GET",
    path: PATH,
    handler: (ctx) => {
      const env = environmentParam(ctx);
      const provider = ctx.query.get("provider");
      let items = [...ctx.env.db.rows(integrationsTable).values()].filter((i) => i.environment_id === env);
      if (provider && provider.toUpperCase() !== "AWS") items = [];
      return paginate(
        ctx,
        items,
        { defaultSize: 10, maxSize: 100 },
        { apiVersion: "pim/v1", kind: "IntegrationList" },
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
      const base = newBase(ctx, ctx.env.db.nextId("cspi-", 5));
      const rec: IntegrationRecord = {
        ...base,
        display_name: input.display_name ?? "",
        environment_id: input.environment.id,
        customer_iam_role_arn: input.config.customer_iam_role_arn,
        // The role Confluent assumes from, and the external id against the confused-deputy problem.
        iam_role_arn: `arn:aws:iam::000000000000:role/confluent-emulator-${base.id}`,
        external_id: uuidFrom(`${ctx.env.seed.organization_id}/${base.id}`),
      };
      ctx.env.db.rows(integrationsTable).set(rec.id, rec);
      return {
        status: 201,
        body: render(ctx, rec),
        headers: { Location: `${ctx.base}${PATH}/${rec.id}?environment=${rec.environment_id}` },
      };
    },
  },
  {
    method: "GET",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const env = environmentParam(ctx);
      const id = ctx.params.id ?? "";
      const rec = findVisible(ctx, integrationsTable, id);
      if (!rec || rec.environment_id !== env) throw missing(id);
      return { status: 200, body: render(ctx, rec) };
    },
  },
  {
    method: "DELETE",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const env = environmentParam(ctx);
      const id = ctx.params.id ?? "";
      const rec = find(ctx, integrationsTable, id);
      if (!rec || rec.environment_id !== env) throw missing(id);
      ctx.env.db.rows(integrationsTable).delete(id);
      return { status: 204 };
    },
  },
];

/** `integrations:read` / `:write` on the environment named by the query or the body (pim/v1 and v2). */
export const integrationsAccess: Access = ({ read, query, body }) => {
  const e = query.get("environment") ?? bodyField(body, "environment", "id");
  return {
    anyOf: [read ? "integrations:read" : "integrations:write"],
    target: e ? [`environment=${e}`] : [],
  };
};

/** pim/v1 integrations: `?environment=` required on GET/LIST/DELETE; no PATCH. */
export const integrations: EmulatorObject = {
  name: "provider integrations",
  tables: [integrationsTable],
  routes,
  access: integrationsAccess,
};
