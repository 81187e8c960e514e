/**
 * ProviderIntegrationSetup: a pim/v2 integration (provider-integration_v2.yaml) for Azure or GCP, as
 * `POST /pim/v2/integrations` makes it: in `DRAFT` status, with Confluent's side (a multi-tenant Entra app,
 * a Google service account) and no customer side yet. {@link providerIntegrationAuthorizationSpec} maps the
 * customer's tenant or service account and validates it (the integration becomes `CREATED`).
 *
 * Every input replaces the integration: `display_name` and `provider` are x-immutable in the spec and
 * `pim.v2.IntegrationUpdate` has neither (the issue asked for displayName in place; the newer spec decides,
 * as @pulumi/confluentcloud's ForceNew does). GET, LIST and DELETE need `?environment=`, so the import ID
 * names the environment too (`env-…/cspi-…`). An integration that connectors still use cannot be deleted.
 */
import { z } from "zod";
import { defineSpec } from "../fields";
import type { Locator } from "../spec";
import type { PropertyMap } from "../../protocol";
import { findInList, idInput, metadataSchema, nameInput, seg, locateUnder } from "./common";

export const PIM_V2_PATH = "/pim/v2/integrations";

/** A pim/v2 integration as the API answers it (GET, POST, PATCH and list items). */
export const integrationV2Response = z
  .object({
    api_version: z.string().optional(),
    kind: z.string().optional(),
    id: z.string(),
    metadata: metadataSchema.optional(),
    display_name: z.string().optional(),
    provider: z.string().optional(),
    status: z.string(),
    config: z
      .object({
        kind: z.string().optional(),
        confluent_multi_tenant_app_id: z.string().optional(),
        customer_azure_tenant_id: z.string().optional(),
        google_service_account: z.string().optional(),
        customer_google_service_account: z.string().optional(),
      })
      .passthrough()
      .optional(),
    usages: z.array(z.string()).optional(),
    environment: z.object({ id: z.string() }).passthrough(),
  })
  .passthrough();
export type IntegrationV2Response = z.infer<typeof integrationV2Response>;

export const PIM_V2_IMPORT_HINT =
  "A pim/v2 provider integration is imported as <environment id>/<integration id>, e.g. env-abc123/cspi-4xyz.";

/** Where a pim/v2 integration lives: its id and its environment (from a composite import ID or the state). */
export function locateIntegrationV2(noun: string): (id: string, props: PropertyMap) => Locator {
  return locateUnder({
    noun,
    input: "environment",
    missing: "the API needs its environment",
    hint: PIM_V2_IMPORT_HINT,
  });
}

/** GET and DELETE of one integration: `?environment=` is required. */
export const integrationV2Route = (loc: Locator) => ({
  path: `${PIM_V2_PATH}/${seg(loc.id)}`,
  query: { environment: loc.environment },
});

/** The environment input: `{ id }` (other members of a state's environment are not compared). */
export const byId = (v: unknown): unknown =>
  typeof v === "object" && v !== null ? (v as { id?: unknown }).id : v;

/**
 * Why `environment` replaces although the pim/v2 PATCH body has it: it is required there to name where the
 * integration is; pim/v2 has no operation that moves an integration to another environment.
 */
export const ENVIRONMENT_REASON =
  "the PATCH body's environment (required there) names where the integration is; it cannot move it " +
  "(pim/v2 has no such operation), so another environment is another integration";

export const providerIntegrationSetupInputs = z.object({
  displayName: nameInput({ max: 60 }),
  cloud: z.enum(["AZURE", "GCP"]),
  environment: z.object({ id: idInput("environment") }),
});
export type ProviderIntegrationSetupInputs = z.infer<typeof providerIntegrationSetupInputs>;

const IN_USE =
  "A provider integration that connectors or other resources still use cannot be deleted: remove those first (run pulumi refresh to see them in usages).";

export const providerIntegrationSetupSpec = defineSpec<ProviderIntegrationSetupInputs, IntegrationV2Response>(
  {
    kind: "ProviderIntegrationSetup",
    noun: "provider integration",
    importIdFormat: "env-…/cspi-…",
    importIdPattern: /^env-[^\s/]+\/cspi-[^\s/]+$/,
    importIdOf: (id, i) => `${i.environment.id}/${id}`,
    inputs: providerIntegrationSetupInputs,
    response: integrationV2Response,
    goneStatuses: [404],
    readPermissionHint: "Grant the credentials' owner EnvironmentAdmin on the integration's environment.",

    fields: {
      displayName: { use: "replace", api: "display_name", absent: "" },
      // The API answers the provider as it was sent (terraform-provider-confluent sends it lower case).
      cloud: { use: "replace", api: "provider", fromApi: (b) => b.provider?.toUpperCase() },
      environment: {
        use: "replace",
        api: "environment",
        toApi: (e) => ({ id: e.id }),
        fromApi: (b) => ({ id: b.environment.id }),
        normalize: byId,
        replaceReason: ENVIRONMENT_REASON,
      },
    },
    outputs: {
      status: { api: "status" },
      usages: { fromApi: (b) => b.usages ?? [] },
    },

    locate: locateIntegrationV2("provider integration"),
    path: PIM_V2_PATH,
    itemRoute: integrationV2Route,
    listRoute: (loc) => ({ path: PIM_V2_PATH, query: { environment: loc.environment } }),

    findExisting: (client, i) =>
      findInList(
        client,
        PIM_V2_PATH,
        integrationV2Response,
        (p) => p.display_name === i.displayName && p.provider?.toUpperCase() === i.cloud,
        { query: { environment: i.environment.id }, pageSize: 100 },
      ),
    describeUnique: (i) =>
      `display name ${JSON.stringify(i.displayName)} (${i.cloud}) in ${i.environment.id}`,
    deleteHints: { 400: IN_USE, 409: IN_USE },
  },
);
