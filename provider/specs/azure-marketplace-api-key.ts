/**
 * AzureMarketplaceApiKey: a Kafka or Schema Registry API key created through Azure Resource Manager
 * (Microsoft.Confluent, the Azure Marketplace integration; seed 003), for organizations that manage
 * Confluent through Azure. It authenticates with an Azure AD bearer token instead of a Cloud API key:
 * create `POST …/environments/{env}/clusters/{cluster}/createAPIKey`, read `GET …/apiKeys/{id}`, delete
 * `DELETE …/apiKeys/{id}` (OrganizationResourceAPIKeyActions), all with `?api-version=2024-07-01`.
 *
 * There is no update: every input replaces the key. The secret comes only with create (a Pulumi secret). The
 * token is an input-only credential: it is never written to state (it expires within hours anyway), so
 * refresh, replace and destroy read `AZURE_ACCESS_TOKEN` from the environment.
 */
import { z } from "zod";
import { ConfluentApiError, ConfluentClient, NetworkError, OutcomeUnknownError } from "../client";
import { clientOptions } from "../runtime";
import { defineSpec, type TableSpec } from "../fields";
import type { Locator, Route } from "../spec";
import type { PropertyMap } from "../../protocol";
import { idInput, optionalNameInput, seg, stringAt } from "./common";

/** The ARM API version seed 003 documents. */
export const AZURE_API_VERSION = "2024-07-01";
/** Where Azure Resource Manager lives unless the input or env says otherwise. */
export const DEFAULT_AZURE_RESOURCE_MANAGER_ENDPOINT = "https://management.azure.com";
/** Environment variables: the Azure AD token and the ARM endpoint. */
export const AZURE_ENV = {
  accessToken: "AZURE_ACCESS_TOKEN",
  endpoint: "AZURE_RESOURCE_MANAGER_ENDPOINT",
} as const;

const UUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

/**
 * Azure's resource group names: letters, digits, `_ - . ( )` and other Unicode letters, 1–90 characters, not
 * ending in a period.
 */
const RESOURCE_GROUP = /^[\p{L}\p{N}_\-.()]*[\p{L}\p{N}_\-()]$/u;
/** An ARM resource name (the Confluent organization): letters, digits, `_ - .`, not starting or ending in `.`. */
const ARM_NAME = /^[A-Za-z0-9_-](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$/;

export const azureMarketplaceApiKeyInputs = z.object({
  subscriptionId: z.string().regex(UUID, {
    message: "must be the Azure subscription id, a UUID such as 00000000-0000-0000-0000-000000000000; fix it",
  }),
  resourceGroupName: z.string().max(90).regex(RESOURCE_GROUP, {
    message:
      "must be an Azure resource group name: letters, digits and _ - . ( ), not ending in a period; fix it",
  }),
  organizationName: z.string().regex(ARM_NAME, {
    message:
      "must be the Confluent organization's Azure resource name: letters, digits and _ - ., not starting or " +
      "ending in a period; fix it",
  }),
  managedResource: z.object({
    id: idInput("resource"),
    environment: z.object({ id: idInput("environment") }),
  }),
  displayName: optionalNameInput(),
  description: z.string().optional(),
  azureAccessToken: z.string().min(1).optional(),
  azureResourceManagerEndpoint: z
    .string()
    .regex(/^https?:\/\/[^\s/]+\/?$/, {
      message: "must be an origin such as https://management.azure.com; fix it",
    })
    .optional(),
});
export type AzureMarketplaceApiKeyInputs = z.infer<typeof azureMarketplaceApiKeyInputs>;

const armRef = z.object({ id: z.string(), kind: z.string().optional() }).passthrough();

export const azureMarketplaceApiKeyResponse = z
  .object({
    id: z.string(),
    kind: z.string().optional(),
    properties: z
      .object({
        metadata: z.object({}).passthrough().optional(),
        spec: z
          .object({
            name: z.string().optional(),
            description: z.string().optional(),
            owner: armRef.optional(),
            resource: armRef.extend({ environment: z.string().optional() }).optional(),
            secret: z.string().optional(),
          })
          .passthrough(),
      })
      .passthrough(),
  })
  .passthrough();
export type AzureMarketplaceApiKeyResponse = z.infer<typeof azureMarketplaceApiKeyResponse>;

export const AZURE_IMPORT_HINT =
  "Import an Azure Marketplace API key by its Azure resource id: /subscriptions/<subscription id>/resourceGroups/" +
  "<resource group>/providers/Microsoft.Confluent/organizations/<organization>/apiKeys/<key id>.";

const ARM_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Confluent\/organizations\/([^/]+)\/apiKeys\/([^/]+)$/i;

function organizationPath(sub: string, rg: string, org: string): string {
  return `/subscriptions/${seg(sub)}/resourceGroups/${seg(rg)}/providers/Microsoft.Confluent/organizations/${seg(org)}`;
}

function locateKey(id: string, props: PropertyMap): Locator {
  const arm = ARM_ID.exec(id);
  if (arm) {
    const [, sub = "", rg = "", org = "", key = ""] = arm.map((p) => decodeURIComponent(p));
    return { id: key, subscriptionId: sub, resourceGroupName: rg, organizationName: org };
  }
  const sub = stringAt(props, "subscriptionId");
  const rg = stringAt(props, "resourceGroupName");
  const org = stringAt(props, "organizationName");
  if (sub === undefined || rg === undefined || org === undefined) {
    throw new Error(
      `Cannot find Azure Marketplace API key ${id}: its organization is not known. ${AZURE_IMPORT_HINT}`,
    );
  }
  return { id, subscriptionId: sub, resourceGroupName: rg, organizationName: org };
}

function keyRoute(loc: Locator): Route {
  return {
    path: `${organizationPath(loc.subscriptionId ?? "", loc.resourceGroupName ?? "", loc.organizationName ?? "")}/apiKeys/${seg(loc.id)}`,
    query: { "api-version": AZURE_API_VERSION },
  };
}

/**
 * ARM may answer 403 for a key that no longer exists (Microsoft's own examples show it) as well as for a
 * token without access. As for iam/v2 keys, "gone" is believed only when the same token is shown able to
 * read what the key belongs to: one GET of the Confluent organization resource. Otherwise it is a permission
 * problem, and this throws saying so.
 */
async function confirmGoneOnArm(client: ConfluentClient, loc: Locator, action: "read" | "delete") {
  const org = organizationPath(
    loc.subscriptionId ?? "",
    loc.resourceGroupName ?? "",
    loc.organizationName ?? "",
  );
  try {
    await client.request("GET", org, { query: { "api-version": AZURE_API_VERSION } });
  } catch (probe) {
    if (probe instanceof ConfluentApiError && [401, 403, 404].includes(probe.status)) {
      throw new Error(
        `Cannot ${action} Azure Marketplace API key ${loc.id}: Azure Resource Manager answered 403 Forbidden, ` +
          `and the token in use cannot read the organization ${loc.organizationName ?? ""} either (` +
          `${probe.status}), so this is a missing permission, not a deleted key. Use an Azure AD token of an ` +
          `identity with access to the Confluent organization resource.`,
      );
    }
    throw probe;
  }
}

function env(name: string): string | undefined {
  const v = process.env[name];
  return v !== undefined && v !== "" ? v : undefined;
}

/** The message when no token is at hand (it names where to put one, never a value). */
export function missingAzureTokenMessage(action: string, id?: string): string {
  return (
    `Cannot ${action} Azure Marketplace API key${id ? ` ${id}` : ""}: no Azure AD token. ` +
    (action === "create"
      ? `Set the azureAccessToken input (as a secret) or the environment variable ${AZURE_ENV.accessToken}`
      : `The token is never stored in the stack (it expires within hours), so set the environment variable ` +
        `${AZURE_ENV.accessToken}`) +
    ` (e.g. az account get-access-token --resource https://management.azure.com --query accessToken -o tsv).`
  );
}

/** A client for Azure Resource Manager with the given token; the token is redacted from every error. */
function armClient(endpoint: string, token: string): ConfluentClient {
  return new ConfluentClient({
    endpoint: endpoint.replace(/\/+$/, ""),
    auth: { kind: "bearer", token },
    userAgent: "pulumi-confluent-iam",
    ...clientOptions(),
  });
}

function endpointOf(value: unknown): string {
  return (
    (typeof value === "string" && value !== "" ? value : undefined) ??
    env(AZURE_ENV.endpoint) ??
    DEFAULT_AZURE_RESOURCE_MANAGER_ENDPOINT
  );
}

/** Only the id of the resource is compared: ARM may leave out the environment when it answers. */
const byId = (v: unknown): unknown => (typeof v === "object" && v !== null ? (v as { id?: unknown }).id : v);

export const azureMarketplaceApiKeySpec: TableSpec<
  AzureMarketplaceApiKeyInputs,
  AzureMarketplaceApiKeyResponse
> = defineSpec<AzureMarketplaceApiKeyInputs, AzureMarketplaceApiKeyResponse>({
  kind: "AzureMarketplaceApiKey",
  noun: "Azure Marketplace API key",
  importIdFormat:
    "/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Confluent/organizations/<org>/apiKeys/<keyId>",
  importIdPattern: ARM_ID,
  inputs: azureMarketplaceApiKeyInputs,
  response: azureMarketplaceApiKeyResponse,
  goneStatuses: [404],
  readPermissionHint:
    "Use an Azure AD token of an identity with access to the Confluent organization resource.",

  // ARM answers the key under `properties.spec`; there is no update, so every input replaces the key.
  responseRoot: "properties.spec",
  fields: {
    // In the route (create) and the locator (read, delete), not the body.
    subscriptionId: { use: "replace" },
    resourceGroupName: { use: "replace" },
    organizationName: { use: "replace" },
    managedResource: { use: "replace", normalize: byId },
    displayName: { use: "replace", api: "name", default: "", sendDefault: true, absent: "" },
    description: { use: "replace", api: "description", default: "", sendDefault: true, absent: "" },
    // A credential: never written to state (it expires within hours anyway).
    azureAccessToken: { use: "input", secret: true },
    azureResourceManagerEndpoint: { use: "provider" },
  },
  outputs: {
    owner: {
      fromApi: ({ properties: { spec: s } }) =>
        s.owner ? { id: s.owner.id, kind: s.owner.kind } : undefined,
    },
    resourceKind: { api: "resource.kind" },
    // Only create answers it.
    secret: { api: "secret", absent: "", secret: true },
  },

  // Routes: Azure Resource Manager's, located by the ARM resource id (import) or the stored parents.
  locate: locateKey,
  createRoute: (i) => ({
    path:
      `${organizationPath(i.subscriptionId, i.resourceGroupName, i.organizationName)}/environments/` +
      `${seg(i.managedResource.environment.id)}/clusters/${seg(i.managedResource.id)}/createAPIKey`,
    query: { "api-version": AZURE_API_VERSION },
  }),
  itemRoute: keyRoute,
  listRoute: () => undefined,

  // Hooks: create, read and delete talk to ARM with an Azure AD bearer token (another client, another
  // error model: 403 may mean gone; an unknown create outcome is never resent).
  create: async (_ctx, inputs) => {
    const token = inputs.azureAccessToken ?? env(AZURE_ENV.accessToken);
    if (token === undefined) throw new Error(missingAzureTokenMessage("create"));
    const client = armClient(endpointOf(inputs.azureResourceManagerEndpoint), token);
    const req = azureMarketplaceApiKeySpec.createRequest(inputs);
    let body: AzureMarketplaceApiKeyResponse;
    try {
      body = await client.request("POST", req.path, {
        query: req.query,
        body: req.body,
        schema: azureMarketplaceApiKeyResponse,
      });
    } catch (e) {
      const unknown =
        e instanceof OutcomeUnknownError ||
        (e instanceof NetworkError && e.requestSent) ||
        (e instanceof ConfluentApiError && e.status >= 500);
      if (!unknown) throw e;
      // An ARM key has no unique attribute to look it up by with this token: never send the create again.
      throw new Error(
        `The Azure Marketplace API key create request's outcome is unknown (${e instanceof Error ? e.message : String(e)}), ` +
          `so a key named ${JSON.stringify(inputs.displayName ?? "")} may exist for ${inputs.managedResource.id}. ` +
          `It was not sent again. Find it in the Confluent Cloud console (or GET /iam/v2/api-keys?spec.resource=` +
          `${inputs.managedResource.id}): a key created just now whose secret you never received should be deleted. ` +
          `Then run pulumi up again.`,
      );
    }
    const outs = azureMarketplaceApiKeySpec.toOutputs(body);
    return {
      id: body.id,
      outs: {
        ...outs,
        managedResource: {
          id: inputs.managedResource.id,
          environment: { id: inputs.managedResource.environment.id },
        },
      },
    };
  },

  read: async (_ctx, loc, props) => {
    const token = env(AZURE_ENV.accessToken);
    if (token === undefined) throw new Error(missingAzureTokenMessage("read", loc.id));
    const client = armClient(endpointOf(props.azureResourceManagerEndpoint), token);
    const route = keyRoute(loc);
    let body: AzureMarketplaceApiKeyResponse;
    try {
      body = await client.request("GET", route.path, {
        query: route.query,
        schema: azureMarketplaceApiKeyResponse,
      });
    } catch (e) {
      if (e instanceof ConfluentApiError && e.status === 404) return undefined;
      if (e instanceof ConfluentApiError && e.status === 403) {
        await confirmGoneOnArm(client, loc, "read");
        return undefined;
      }
      throw e;
    }
    const r = body.properties.spec.resource;
    const known = stringAt(props, "managedResource", "environment", "id");
    const environment = r?.environment ?? known;
    return {
      ...azureMarketplaceApiKeySpec.toOutputs(body),
      subscriptionId: loc.subscriptionId,
      resourceGroupName: loc.resourceGroupName,
      organizationName: loc.organizationName,
      managedResource: r
        ? { id: r.id, ...(environment ? { environment: { id: environment } } : {}) }
        : undefined,
    };
  },

  delete: async (_ctx, loc, props) => {
    const token = env(AZURE_ENV.accessToken);
    if (token === undefined) throw new Error(missingAzureTokenMessage("delete", loc.id));
    const client = armClient(endpointOf(props.azureResourceManagerEndpoint), token);
    const route = keyRoute(loc);
    try {
      await client.request("DELETE", route.path, { query: route.query });
    } catch (e) {
      if (!(e instanceof ConfluentApiError && e.status === 403)) throw e;
      await confirmGoneOnArm(client, loc, "delete");
    }
  },
});
