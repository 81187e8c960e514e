/**
 * ProviderIntegrationAuthorization: maps the customer's side onto a pim/v2 integration that a
 * {@link providerIntegrationSetupSpec} made (provider-integration_v2.yaml): the Azure tenant whose service
 * principal of Confluent's app is used, or the Google service account Confluent impersonates.
 *
 * Create is two calls and no POST of its own: `POST /pim/v2/integrations:validate` with the customer config
 * first (a documented extra call: the spec takes the config there while the integration is `DRAFT`), then
 * `PATCH /pim/v2/integrations/{id}` with it, which moves the integration to `CREATED`. Validating first
 * means a cloud side that is not ready fails the create with nothing changed: the integration stays `DRAFT`,
 * so the tenant or service account can still be corrected, and the error says what the cloud lacks.
 *
 * The spec: the PATCH "only works for integrations with DRAFT status". Changing the tenant or service account
 * of a `CREATED` integration is therefore refused (409); the error says to replace the setup. Delete sends
 * nothing: pim/v2 has no call that removes a customer config, so the integration keeps it (and its status)
 * until the ProviderIntegrationSetup deletes the integration. The id is the integration's (`cspi-…`); the
 * import ID names the environment too (`env-…/cspi-…`).
 */
import { z } from "zod";
import { ConfluentApiError, OutcomeUnknownError, type ConfluentClient } from "../client";
import { defineSpec, type TableSpec } from "../fields";
import type { OperationContext } from "../spec";
import type { PropertyMap } from "../../protocol";
import { idInput } from "./common";
import {
  byId,
  ENVIRONMENT_REASON,
  integrationV2Response,
  integrationV2Route,
  locateIntegrationV2,
  PIM_V2_PATH,
  type IntegrationV2Response,
} from "./provider-integration-setup";

const TENANT = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const GOOGLE_SA = /^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z0-9.-]+\.iam\.gserviceaccount\.com$/;
const CLOUDS = ["azure", "gcp"] as const;

export const providerIntegrationAuthorizationInputs = z.object({
  providerIntegrationId: z.string().regex(/^cspi-[A-Za-z0-9]+$/, {
    message: "must be an integration id such as cspi-abc123 (the ProviderIntegrationSetup's id); fix it",
  }),
  environment: z.object({ id: idInput("environment") }),
  azure: z
    .object({
      customerAzureTenantId: z.string().regex(TENANT, {
        message: "must be your Azure tenant id, a UUID such as 12345678-1234-1234-1234-123456789abc; fix it",
      }),
    })
    .optional(),
  gcp: z
    .object({
      customerGoogleServiceAccount: z.string().regex(GOOGLE_SA, {
        message:
          "must be a Google service account email such as customer-sa@my-project.iam.gserviceaccount.com; fix it",
      }),
    })
    .optional(),
});
export type ProviderIntegrationAuthorizationInputs = z.infer<typeof providerIntegrationAuthorizationInputs>;

type Cloud = "AZURE" | "GCP";

/** The customer side of the inputs: the cloud, the config body and the words for messages. */
interface CustomerSide {
  cloud: Cloud;
  config: Record<string, string>;
  /** The input path that holds it (`azure.customerAzureTenantId`). */
  field: string;
  value: string;
}

function customerSide(i: ProviderIntegrationAuthorizationInputs): CustomerSide {
  if (i.azure) {
    return {
      cloud: "AZURE",
      config: { kind: "AzureIntegrationConfig", customer_azure_tenant_id: i.azure.customerAzureTenantId },
      field: "azure.customerAzureTenantId",
      value: i.azure.customerAzureTenantId,
    };
  }
  const sa = i.gcp?.customerGoogleServiceAccount ?? "";
  return {
    cloud: "GCP",
    config: { kind: "GcpIntegrationConfig", customer_google_service_account: sa },
    field: "gcp.customerGoogleServiceAccount",
    value: sa,
  };
}

/** The customer identity an integration holds, if any. */
function customerOf(b: IntegrationV2Response): string | undefined {
  return b.config?.customer_azure_tenant_id ?? b.config?.customer_google_service_account;
}

/** Only the customer's member is an input: Confluent's member is the server's answer. */
const customerMember =
  (key: string) =>
  (v: unknown): unknown =>
    typeof v === "object" && v !== null ? (v as Record<string, unknown>)[key] : v;

/** What to do on the cloud side, with Confluent's identity filled in. */
function cloudFix(side: CustomerSide, body: IntegrationV2Response | undefined): string {
  if (side.cloud === "AZURE") {
    const app = body?.config?.confluent_multi_tenant_app_id ?? "<confluentMultiTenantAppId>";
    return (
      `Fix the Azure side: in tenant ${side.value}, create the service principal of Confluent's multi-tenant ` +
      `app ${app} (az ad sp create --id ${app}, or an azuread.ServicePrincipal with clientId ${app}) and ` +
      `grant it access to the resources Confluent should use; then run pulumi up again.`
    );
  }
  const gsa = body?.config?.google_service_account ?? "<googleServiceAccount>";
  return (
    `Fix the Google Cloud side: let Confluent's service account ${gsa} impersonate ${side.value} ` +
    `(gcloud iam service-accounts add-iam-policy-binding ${side.value} ` +
    `--member=serviceAccount:${gsa} --role=roles/iam.serviceAccountTokenCreator); then run pulumi up again.`
  );
}

async function readIntegration(
  client: ConfluentClient,
  id: string,
  environment: string,
): Promise<IntegrationV2Response | undefined> {
  try {
    const route = integrationV2Route({ id, environment });
    return await client.request("GET", route.path, { query: route.query, schema: integrationV2Response });
  } catch {
    return undefined;
  }
}

const apiText = (e: ConfluentApiError): string => e.detail ?? e.title ?? e.message;

/**
 * `POST /pim/v2/integrations:validate` with the customer config. Validation changes nothing on the server,
 * so a POST whose outcome is unknown (a 5xx, a reset) is simply sent again, up to three times.
 */
async function validate(ctx: OperationContext, i: ProviderIntegrationAuthorizationInputs): Promise<void> {
  const side = customerSide(i);
  const id = i.providerIntegrationId;
  const body = { id, environment: { id: i.environment.id }, config: side.config };
  for (let attempt = 1; ; attempt++) {
    try {
      await ctx.client.request("POST", `${PIM_V2_PATH}:validate`, { body });
      return;
    } catch (e) {
      if (e instanceof OutcomeUnknownError && attempt < 3) continue;
      if (!(e instanceof ConfluentApiError)) throw e;
      if (e.status === 404) {
        throw new Error(
          `Cannot authorize provider integration ${id}: there is none in environment ${i.environment.id} ` +
            `(the API answered 404 to its validation). Check providerIntegrationId and environment: they are ` +
            `the ProviderIntegrationSetup's id and environment.`,
        );
      }
      if (e.status !== 400 && e.status !== 422) throw e;
      // One GET, on this failure path only, to name Confluent's side of the integration in the fix.
      const found = await readIntegration(ctx.client, id, i.environment.id);
      const cloud = found?.provider?.toUpperCase();
      if (cloud !== undefined && cloud !== side.cloud) {
        const wanted =
          cloud === "AZURE" ? "azure { customerAzureTenantId }" : "gcp { customerGoogleServiceAccount }";
        throw new Error(
          `Cannot authorize provider integration ${id}: it is a ${cloud} integration, but the program sets ` +
            `${side.field}. Set ${wanted} instead.`,
        );
      }
      throw new Error(
        `Provider integration ${id} failed validation, so it was not authorized (nothing was changed: it ` +
          `stays ${found?.status ?? "DRAFT"}): ${apiText(e)}. ${cloudFix(side, found)}`,
      );
    }
  }
}

/**
 * `PATCH /pim/v2/integrations/{id}` with the customer config (→ `CREATED`). A 409 is the spec's "only works
 * for integrations with DRAFT status": when the integration already holds this very identity (a PATCH
 * retried after its answer was lost, a re-run), that is success; otherwise the error says how to change it.
 */
async function mapCustomer(
  ctx: OperationContext,
  i: ProviderIntegrationAuthorizationInputs,
): Promise<IntegrationV2Response> {
  const side = customerSide(i);
  const id = i.providerIntegrationId;
  try {
    return await ctx.client.request("PATCH", `${PIM_V2_PATH}/${encodeURIComponent(id)}`, {
      body: { config: side.config, environment: { id: i.environment.id } },
      schema: integrationV2Response,
    });
  } catch (e) {
    if (!(e instanceof ConfluentApiError && e.status === 409)) throw e;
    const found = await readIntegration(ctx.client, id, i.environment.id);
    if (found !== undefined && customerOf(found) === side.value) return found;
    throw new Error(
      `Cannot set ${side.field} of provider integration ${id} to ${side.value}: the integration is ` +
        `${found?.status ?? "no longer DRAFT"}${found && customerOf(found) ? ` and authorized for ${customerOf(found)}` : ""}, ` +
        `and the API changes an integration's customer configuration only while it is DRAFT (${apiText(e)}). ` +
        `To authorize another ${side.cloud === "AZURE" ? "tenant" : "service account"}, replace the ` +
        `ProviderIntegrationSetup (for example give it a new displayName): its new integration is DRAFT, and ` +
        `this authorization follows it.`,
    );
  }
}

export const providerIntegrationAuthorizationSpec: TableSpec<
  ProviderIntegrationAuthorizationInputs,
  IntegrationV2Response
> = defineSpec<ProviderIntegrationAuthorizationInputs, IntegrationV2Response>({
  kind: "ProviderIntegrationAuthorization",
  noun: "provider integration authorization",
  importIdFormat: "env-…/cspi-…",
  importIdPattern: /^env-[^\s/]+\/cspi-[^\s/]+$/,
  importIdOf: (id, i) => `${i.environment.id}/${id}`,
  inputs: providerIntegrationAuthorizationInputs,
  crossCheck: (v, ctx) => {
    const given = CLOUDS.filter((c) => (v as Record<string, unknown>)[c] !== undefined);
    if (given.length === 1) return;
    ctx.addIssue({
      code: "custom",
      path: [given[1] ?? "azure"],
      message:
        given.length === 0
          ? "exactly one of azure, gcp must be set (got none); set the block of the integration's cloud"
          : "exactly one of azure, gcp must be set (got azure, gcp); keep only the integration's cloud",
    });
  },
  response: integrationV2Response,
  goneStatuses: [404],
  readPermissionHint: "Grant the credentials' owner EnvironmentAdmin on the integration's environment.",

  fields: {
    // The route's id, not a body member; the answer's id.
    providerIntegrationId: { use: "replace", fromApi: (b) => b.id },
    environment: {
      use: "replace",
      api: "environment",
      toApi: (e) => ({ id: e.id }),
      fromApi: (b) => ({ id: b.environment.id }),
      normalize: byId,
      replaceReason: ENVIRONMENT_REASON,
    },
    azure: {
      use: "update",
      api: "config",
      toApi: (a) => ({ kind: "AzureIntegrationConfig", customer_azure_tenant_id: a.customerAzureTenantId }),
      fromApi: (b) =>
        b.config?.kind === "AzureIntegrationConfig"
          ? {
              customerAzureTenantId: b.config.customer_azure_tenant_id,
              confluentMultiTenantAppId: b.config.confluent_multi_tenant_app_id ?? "",
            }
          : undefined,
      normalize: customerMember("customerAzureTenantId"),
    },
    gcp: {
      use: "update",
      api: "config",
      toApi: (g) => ({
        kind: "GcpIntegrationConfig",
        customer_google_service_account: g.customerGoogleServiceAccount,
      }),
      fromApi: (b) =>
        b.config?.kind === "GcpIntegrationConfig"
          ? {
              customerGoogleServiceAccount: b.config.customer_google_service_account,
              googleServiceAccount: b.config.google_service_account ?? "",
            }
          : undefined,
      normalize: customerMember("customerGoogleServiceAccount"),
    },
  },

  locate: locateIntegrationV2("provider integration authorization"),
  path: PIM_V2_PATH,
  itemRoute: integrationV2Route,
  listRoute: (loc) => ({ path: PIM_V2_PATH, query: { environment: loc.environment } }),

  // Hooks: the integration exists already (its setup made it); authorizing it is validate, then PATCH.
  create: async (ctx, inputs): Promise<{ id: string; outs: PropertyMap }> => {
    await validate(ctx, inputs);
    const body = await mapCustomer(ctx, inputs);
    return { id: body.id, outs: providerIntegrationAuthorizationSpec.toOutputs(body) };
  },
  afterUpdate: async (ctx, _loc, olds, inputs, outs): Promise<PropertyMap> => {
    const side = customerSide(inputs);
    const [key, member] =
      side.cloud === "AZURE" ? ["azure", "customerAzureTenantId"] : ["gcp", "customerGoogleServiceAccount"];
    if (customerMember(member)(olds[key]) === side.value) return outs;
    await validate(ctx, inputs);
    return { ...outs, ...providerIntegrationAuthorizationSpec.toOutputs(await mapCustomer(ctx, inputs)) };
  },
  // pim/v2 cannot remove a customer config: the integration keeps it until its setup deletes it.
  skipDelete: () =>
    "pim/v2 has no call that removes a customer configuration; the integration keeps it (and its status) " +
    "until the ProviderIntegrationSetup that made it is deleted",
});
