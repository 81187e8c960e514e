/**
 * What the seed describes, read-only, in the shapes of the official specs: org/v2 organizations and
 * environments (org_v2.yaml), cmk/v2 Kafka clusters (cmk_v2.yaml) and srcm/v3 Schema Registry clusters
 * (srcm_v3.yaml). Their `http_endpoint`s point back at the emulator, where a minimal Kafka REST
 * `GET /kafka/v3/clusters/{id}` and Schema Registry `GET /schema-registry/{id}/subjects` answer a resource
 * key of that cluster or registry only (server.ts authenticates them; see {@link dataPlaneResource}).
 */
import { crn, type Ctx } from "../context";
import { apiError, invalidParam } from "../errors";
import { paginate } from "../pagination";
import type { Route } from "../router";
import type { Access, EmulatorObject } from "./types";

/** A fixed creation time for seeded objects: the seed has none. */
const SEEDED_AT = "2024-01-01T00:00:00.000Z";

function seededMeta(ctx: Ctx, self: string, resourceName: string): Record<string, string> {
  return { self: ctx.base + self, resource_name: resourceName, created_at: SEEDED_AT, updated_at: SEEDED_AT };
}

function notFound(what: string, id: string) {
  return apiError(404, "not_found", `${what} ${id} was not found`);
}

function environmentParam(ctx: Ctx): string {
  const env = ctx.query.get("environment");
  if (!env) throw invalidParam("environment", "environment is required");
  return env;
}

function envRef(ctx: Ctx, id: string): Record<string, string> {
  return {
    id,
    related: `${ctx.base}/org/v2/environments/${id}`,
    resource_name: crn(ctx, `environment=${id}`),
  };
}

type Seeded = { id: string; environment: string; display_name: string };

function renderEnvironment(ctx: Ctx, e: { id: string; display_name: string }): unknown {
  return {
    api_version: "org/v2",
    kind: "Environment",
    id: e.id,
    metadata: seededMeta(ctx, `/org/v2/environments/${e.id}`, crn(ctx, `environment=${e.id}`)),
    display_name: e.display_name,
    stream_governance_config: { package: "ESSENTIALS" },
  };
}

function renderOrganization(ctx: Ctx): unknown {
  const id = ctx.env.seed.organization_id;
  return {
    api_version: "org/v2",
    kind: "Organization",
    id,
    metadata: seededMeta(ctx, `/org/v2/organizations/${id}`, crn(ctx, "")),
    display_name: "emulated organization",
    jit_enabled: false,
  };
}

function renderKafka(ctx: Ctx, c: Seeded): unknown {
  return {
    api_version: "cmk/v2",
    kind: "Cluster",
    id: c.id,
    metadata: seededMeta(
      ctx,
      `/cmk/v2/clusters/${c.id}`,
      crn(ctx, `environment=${c.environment}/cloud-cluster=${c.id}`),
    ),
    spec: {
      display_name: c.display_name,
      availability: "SINGLE_ZONE",
      cloud: "AWS",
      region: "us-east-1",
      config: { kind: "Basic" },
      kafka_bootstrap_endpoint: `SASL_SSL://${c.id}.emulator.invalid:9092`,
      // The Kafka REST endpoint: this emulator, which serves GET /kafka/v3/clusters/{id}.
      http_endpoint: ctx.base,
      api_endpoint: `${ctx.base}/cmk/v2/clusters/${c.id}`,
      environment: envRef(ctx, c.environment),
    },
    status: { phase: "PROVISIONED" },
  };
}

function renderRegistry(ctx: Ctx, c: Seeded): unknown {
  return {
    api_version: "srcm/v3",
    kind: "Cluster",
    id: c.id,
    metadata: seededMeta(
      ctx,
      `/srcm/v3/clusters/${c.id}`,
      crn(ctx, `environment=${c.environment}/schema-registry=${c.id}`),
    ),
    spec: {
      display_name: c.display_name,
      package: "ESSENTIALS",
      // The registry's REST endpoint: GET {http_endpoint}/subjects.
      http_endpoint: `${ctx.base}/schema-registry/${c.id}`,
      cloud: "AWS",
      region: "us-east-1",
      environment: envRef(ctx, c.environment),
    },
    status: { phase: "PROVISIONED" },
  };
}

const LIMITS = { defaultSize: 10, maxSize: 100 };

/** The resource a data-plane path belongs to (Kafka cluster or Schema Registry), or undefined. */
export function dataPlaneResource(path: string): string | undefined {
  return /^\/kafka\/v3\/clusters\/([^/]+)/.exec(path)?.[1] ?? /^\/schema-registry\/([^/]+)\//.exec(path)?.[1];
}

const routes: Route[] = [
  {
    method: "GET",
    path: "/org/v2/organizations",
    handler: (ctx) =>
      paginate(
        ctx,
        [{ id: ctx.env.seed.organization_id }],
        LIMITS,
        { apiVersion: "org/v2", kind: "OrganizationList" },
        () => renderOrganization(ctx),
      ),
  },
  {
    method: "GET",
    path: "/org/v2/organizations/:id",
    handler: (ctx) => {
      if (ctx.params.id !== ctx.env.seed.organization_id) throw notFound("Organization", ctx.params.id ?? "");
      return { status: 200, body: renderOrganization(ctx) };
    },
  },
  {
    method: "GET",
    path: "/org/v2/environments",
    handler: (ctx) =>
      paginate(
        ctx,
        ctx.env.seed.environments.filter((e) => ctx.seesEnvironment?.(e.id) ?? true),
        LIMITS,
        { apiVersion: "org/v2", kind: "EnvironmentList" },
        (e) => renderEnvironment(ctx, e),
      ),
  },
  {
    method: "GET",
    path: "/org/v2/environments/:id",
    handler: (ctx) => {
      const e = ctx.env.seed.environments.find((x) => x.id === ctx.params.id);
      if (!e) throw notFound("Environment", ctx.params.id ?? "");
      return { status: 200, body: renderEnvironment(ctx, e) };
    },
  },
  {
    method: "GET",
    path: "/cmk/v2/clusters",
    handler: (ctx) => {
      const env = environmentParam(ctx);
      const items = ctx.env.seed.kafka_clusters.filter((c) => c.environment === env);
      return paginate(ctx, items, LIMITS, { apiVersion: "cmk/v2", kind: "ClusterList" }, (c) =>
        renderKafka(ctx, c),
      );
    },
  },
  {
    method: "GET",
    path: "/cmk/v2/clusters/:id",
    handler: (ctx) => {
      const env = environmentParam(ctx);
      const c = ctx.env.seed.kafka_clusters.find((x) => x.id === ctx.params.id && x.environment === env);
      if (!c) throw notFound("Kafka cluster", ctx.params.id ?? "");
      return { status: 200, body: renderKafka(ctx, c) };
    },
  },
  {
    method: "GET",
    path: "/srcm/v3/clusters",
    handler: (ctx) => {
      const env = environmentParam(ctx);
      const items = ctx.env.seed.schema_registries.filter((c) => c.environment === env);
      return paginate(ctx, items, LIMITS, { apiVersion: "srcm/v3", kind: "ClusterList" }, (c) =>
        renderRegistry(ctx, c),
      );
    },
  },
  {
    method: "GET",
    path: "/srcm/v3/clusters/:id",
    handler: (ctx) => {
      const env = environmentParam(ctx);
      const c = ctx.env.seed.schema_registries.find((x) => x.id === ctx.params.id && x.environment === env);
      if (!c) throw notFound("Schema Registry cluster", ctx.params.id ?? "");
      return { status: 200, body: renderRegistry(ctx, c) };
    },
  },
  {
    method: "GET",
    path: "/kafka/v3/clusters/:id",
    handler: (ctx) => {
      const id = ctx.params.id ?? "";
      // Kafka REST v3 ClusterData, reduced to what identifies the cluster.
      return {
        status: 200,
        body: {
          kind: "KafkaCluster",
          metadata: { self: `${ctx.base}/kafka/v3/clusters/${id}`, resource_name: `crn:///kafka=${id}` },
          cluster_id: id,
        },
      };
    },
  },
  {
    method: "GET",
    path: "/schema-registry/:id/subjects",
    handler: () => ({ status: 200, body: [] }),
  },
];

/**
 * Reading the organization needs `organization:read`; environments and clusters are visible from below (a
 * binding on a cluster lets one read its environment). The data-plane routes take resource keys only, which
 * are not Cloud RBAC principals.
 */
const access: Access = ({ pattern, params, query }) => {
  const root = `/${pattern.split("/").filter(Boolean).slice(0, 3).join("/")}`;
  switch (root) {
    case "/org/v2/organizations":
      return { anyOf: ["organization:read"], target: [] };
    case "/org/v2/environments":
      // The list answers only the environments the principal may read (the handler filters); it needs one.
      if (params.id === undefined) return { anyOf: ["environments:read"], target: [], fromBelow: true };
      return { anyOf: ["environments:read"], target: [`environment=${params.id}`], fromBelow: true };
    case "/cmk/v2/clusters":
    case "/srcm/v3/clusters": {
      const e = query.get("environment");
      if (!e) return undefined; // the handler answers 400
      const kind = root === "/cmk/v2/clusters" ? "cloud-cluster" : "schema-registry";
      const target =
        params.id === undefined ? [`environment=${e}`] : [`environment=${e}`, `${kind}=${params.id}`];
      return { anyOf: ["clusters:read"], target, fromBelow: true };
    }
    default:
      return undefined;
  }
};

/** Read-only org/v2, cmk/v2, srcm/v3 routes, and the minimal data-plane routes. */
export const clusters: EmulatorObject = {
  name: "organization, environments and clusters",
  tables: [],
  routes,
  access,
};
