/**
 * ProviderIntegration: pim/v1 integrations (AWS only, as pim/v1 is). There is no PATCH: every input replaces
 * the integration. GET, LIST and DELETE need `?environment=`, so the import ID names the environment too
 * (`env-…/cspi-…`). The API answers the role Confluent assumes and the external id under `config`; they
 * become `aws.iamRoleArn` and `aws.externalId`, next to the input `aws.customerRoleArn`. An integration that
 * connectors still use cannot be deleted: the error names the usages the stack last saw.
 */
import { z } from "zod";
import { ConfluentApiError } from "../client";
import { defineSpec } from "../fields";
import type { PropertyMap } from "../../protocol";
import { findInList, idInput, metadataSchema, nameInput, seg, locateUnder } from "./common";

const PATH = "/pim/v1/integrations";

export const providerIntegrationInputs = z.object({
  displayName: nameInput({ max: 60 }),
  environment: z.object({ id: idInput("environment") }),
  aws: z.object({
    customerRoleArn: z.string().regex(/^arn:aws:iam::\d{12}:role\/.+$/, {
      message: "must be an IAM role ARN such as arn:aws:iam::123456789012:role/confluent-access; fix it",
    }),
  }),
});
export type ProviderIntegrationInputs = z.infer<typeof providerIntegrationInputs>;

export const providerIntegrationResponse = z
  .object({
    api_version: z.string().optional(),
    kind: z.string().optional(),
    id: z.string(),
    metadata: metadataSchema.optional(),
    display_name: z.string().optional(),
    provider: z.string().optional(),
    config: z
      .object({
        kind: z.string().optional(),
        iam_role_arn: z.string().optional(),
        external_id: z.string().optional(),
        customer_iam_role_arn: z.string().optional(),
      })
      .passthrough(),
    usages: z.array(z.string()).optional(),
    environment: z.object({ id: z.string() }).passthrough(),
  })
  .passthrough();
export type ProviderIntegrationResponse = z.infer<typeof providerIntegrationResponse>;

export const PROVIDER_INTEGRATION_IMPORT_HINT =
  "A provider integration is imported as <environment id>/<integration id>, e.g. env-abc123/cspi-4xyz.";

const locateIntegration = locateUnder({
  noun: "provider integration",
  input: "environment",
  missing: "the API needs its environment",
  hint: PROVIDER_INTEGRATION_IMPORT_HINT,
});

/** Only the customer's role is an input: the other `aws` members are the server's answer. */
const customerRole = (v: unknown): unknown =>
  typeof v === "object" && v !== null ? (v as { customerRoleArn?: unknown }).customerRoleArn : v;

const byId = (v: unknown): unknown => (typeof v === "object" && v !== null ? (v as { id?: unknown }).id : v);

function usagesOf(props: PropertyMap): string[] {
  return Array.isArray(props.usages) ? props.usages.filter((u): u is string => typeof u === "string") : [];
}

export const providerIntegrationSpec = defineSpec<ProviderIntegrationInputs, ProviderIntegrationResponse>({
  kind: "ProviderIntegration",
  noun: "provider integration",
  importIdFormat: "env-…/cspi-…",
  importIdPattern: /^env-[^\s/]+\/cspi-[^\s/]+$/,
  importIdOf: (id, i) => `${i.environment.id}/${id}`,
  inputs: providerIntegrationInputs,
  response: providerIntegrationResponse,
  goneStatuses: [404],
  readPermissionHint: "Grant the credentials' owner EnvironmentAdmin on the integration's environment.",

  fields: {
    displayName: { use: "replace", api: "display_name", absent: "" },
    // The role is an AWS config; it sets the body's `provider` too (pim/v1 integrations are AWS only here).
    aws: {
      use: "replace",
      api: "",
      toApi: (a) => ({
        provider: "AWS",
        config: { kind: "AwsIntegrationConfig", customer_iam_role_arn: a.customerRoleArn },
      }),
      fromApi: (b) => ({
        customerRoleArn: b.config.customer_iam_role_arn,
        iamRoleArn: b.config.iam_role_arn ?? "",
        externalId: b.config.external_id ?? "",
      }),
      normalize: customerRole,
    },
    environment: {
      use: "replace",
      api: "environment",
      toApi: (e) => ({ id: e.id }),
      fromApi: (b) => ({ id: b.environment.id }),
      normalize: byId,
    },
  },
  outputs: {
    usages: { fromApi: (b) => b.usages ?? [] },
  },

  // Routes: GET, LIST and DELETE need `?environment=`, which a composite import ID names.
  locate: locateIntegration,
  path: PATH,
  itemRoute: (loc) => ({ path: `${PATH}/${seg(loc.id)}`, query: { environment: loc.environment } }),
  listRoute: (loc) => ({ path: PATH, query: { environment: loc.environment } }),

  findExisting: (client, i) =>
    findInList(
      client,
      PATH,
      providerIntegrationResponse,
      (p) => p.display_name === i.displayName && p.config.customer_iam_role_arn === i.aws.customerRoleArn,
      { query: { environment: i.environment.id }, pageSize: 100 },
    ),
  describeUnique: (i) =>
    `display name ${JSON.stringify(i.displayName)} and role ${i.aws.customerRoleArn} in ${i.environment.id}`,

  // Hook: a failed delete of an integration in use names its usages (as of the last refresh).
  delete: async (ctx, loc, props) => {
    try {
      await ctx.client.request("DELETE", `${PATH}/${seg(loc.id)}`, {
        query: { environment: loc.environment },
      });
    } catch (e) {
      // Anything but "gone" on an integration that is in use: say what uses it (as of the last refresh).
      const usages = usagesOf(props);
      if (e instanceof ConfluentApiError && e.status !== 404 && e.status < 500 && usages.length > 0) {
        throw new Error(
          `${e.message}. It is in use by ${usages.join(", ")} (as of the last refresh): delete or reconfigure ` +
            `those first, then run pulumi destroy again.`,
        );
      }
      throw e;
    }
  },
  deleteHints: {
    400: "A provider integration that connectors or other resources still use cannot be deleted: remove those first (run pulumi refresh to see them in usages).",
    409: "A provider integration that connectors or other resources still use cannot be deleted: remove those first (run pulumi refresh to see them in usages).",
  },
});
