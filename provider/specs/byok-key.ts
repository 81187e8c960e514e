/**
 * ByokKey: byok/v1 keys, a customer-managed encryption key registered with Confluent. Exactly one of `aws`,
 * `azure`, `gcp`; their key fields are immutable (x-immutable: a PATCH of them is refused), so a change
 * replaces the object. `displayName` updates in place (the 2025 PATCH carries only the display name). The
 * server fills in what the customer must grant: the IAM roles (AWS), the application id (Azure), the
 * security group (GCP). The customer key is unique: registering it twice answers 409 with the existing id.
 */
import { z } from "zod";
import { defineSpec } from "../fields";
import { findInList, metadataSchema, optionalNameInput } from "./common";

const PATH = "/byok/v1/keys";

const awsInput = z.object({
  keyArn: z.string().regex(/^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/.+$/, {
    message: "must be an AWS KMS key ARN such as arn:aws:kms:us-west-2:123456789012:key/<key id>; fix it",
  }),
});
const azureInput = z.object({
  keyIdentifier: z.string().regex(/^https:\/\/[^/\s]+\/keys\/\S+$/, {
    message:
      "must be a Key Vault key URL such as https://my-vault.vault.azure.net/keys/my-key/<version>; fix it",
  }),
  keyVaultId: z.string().min(1),
  tenantId: z.string().regex(/^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/, {
    message: "must be the Azure tenant id, a UUID; fix it",
  }),
});
const gcpInput = z.object({ keyId: z.string().min(1) });

export const byokKeyInputs = z.object({
  displayName: optionalNameInput(),
  aws: awsInput.optional(),
  azure: azureInput.optional(),
  gcp: gcpInput.optional(),
});
export type ByokKeyInputs = z.infer<typeof byokKeyInputs>;

const CLOUDS = ["aws", "azure", "gcp"] as const;

/** The message when not exactly one cloud is given. */
export function exactlyOneCloudMessage(given: readonly string[]): string {
  return given.length === 0
    ? "exactly one of aws, azure, gcp must be set (got none); set the one of the key's cloud"
    : `exactly one of aws, azure, gcp must be set (got ${given.join(", ")}); keep only the key's cloud`;
}

export const byokKeyResponse = z
  .object({
    api_version: z.string().optional(),
    kind: z.string().optional(),
    id: z.string(),
    metadata: metadataSchema.optional(),
    display_name: z.string().optional(),
    key: z
      .object({
        kind: z.string(),
        key_arn: z.string().optional(),
        roles: z.array(z.string()).optional(),
        key_id: z.string().optional(),
        key_vault_id: z.string().optional(),
        tenant_id: z.string().optional(),
        application_id: z.string().optional(),
        security_group: z.string().optional(),
      })
      .passthrough(),
    provider: z.string().optional(),
    state: z.string().optional(),
  })
  .passthrough();
export type ByokKeyResponse = z.infer<typeof byokKeyResponse>;

/** Only the customer's fields are compared: the server adds roles, application id, security group. */
const pick =
  (...fields: string[]) =>
  (v: unknown): unknown => {
    if (typeof v !== "object" || v === null) return v;
    const o = v as Record<string, unknown>;
    return Object.fromEntries(fields.map((f) => [f, o[f]]));
  };

/** The customer key the inputs name, as the API identifies it. */
function customerKey(i: ByokKeyInputs): { kind: string; id: string } | undefined {
  if (i.aws) return { kind: "AwsKey", id: i.aws.keyArn };
  if (i.azure) return { kind: "AzureKey", id: i.azure.keyIdentifier };
  if (i.gcp) return { kind: "GcpKey", id: i.gcp.keyId };
  return undefined;
}

export const byokKeySpec = defineSpec<ByokKeyInputs, ByokKeyResponse>({
  kind: "ByokKey",
  noun: "BYOK key",
  importIdFormat: "cck-…",
  importIdPattern: /^cck-[^\s/]+$/,
  inputs: byokKeyInputs,
  crossCheck: (v, ctx) => {
    // Runs on partly invalid values too (zod refines "dirty" objects): look, do not trust.
    const given = CLOUDS.filter((c) => (v as Record<string, unknown>)[c] !== undefined);
    if (given.length === 1) return;
    ctx.addIssue({
      code: "custom",
      path: [given[1] ?? "aws"],
      message: exactlyOneCloudMessage(given),
    });
  },
  response: byokKeyResponse,
  goneStatuses: [404],
  readPermissionHint: "Grant the credentials' owner OrganizationAdmin (BYOK keys are organization-wide).",

  path: PATH,
  patch: true,
  fields: {
    displayName: { use: "update", api: "display_name", default: "", absent: "" },
    // Exactly one of the three is set (crossCheck); it becomes the body's `key`, with the cloud's kind.
    aws: {
      use: "replace",
      api: "key",
      toApi: (a) => ({ kind: "AwsKey", key_arn: a.keyArn }),
      fromApi: ({ key: k }) =>
        k.kind === "AwsKey" ? { keyArn: k.key_arn ?? "", roles: k.roles ?? [] } : undefined,
      normalize: pick("keyArn"),
    },
    azure: {
      use: "replace",
      api: "key",
      toApi: (a) => ({
        kind: "AzureKey",
        key_id: a.keyIdentifier,
        key_vault_id: a.keyVaultId,
        tenant_id: a.tenantId,
      }),
      fromApi: ({ key: k }) =>
        k.kind === "AzureKey"
          ? {
              keyIdentifier: k.key_id ?? "",
              keyVaultId: k.key_vault_id ?? "",
              tenantId: k.tenant_id ?? "",
              applicationId: k.application_id ?? "",
            }
          : undefined,
      normalize: pick("keyIdentifier", "keyVaultId", "tenantId"),
    },
    gcp: {
      use: "replace",
      api: "key",
      toApi: (g) => ({ kind: "GcpKey", key_id: g.keyId }),
      fromApi: ({ key: k }) =>
        k.kind === "GcpKey" ? { keyId: k.key_id ?? "", securityGroup: k.security_group ?? "" } : undefined,
      normalize: pick("keyId"),
    },
  },
  outputs: {
    provider: { api: "provider" },
    state: { api: "state" },
  },

  findExisting: (client, i) => {
    const wanted = customerKey(i);
    return findInList(
      client,
      PATH,
      byokKeyResponse,
      (k) =>
        wanted !== undefined && k.key.kind === wanted.kind && (k.key.key_arn ?? k.key.key_id) === wanted.id,
      { pageSize: 100 },
    );
  },
  describeUnique: (i) => {
    if (i.aws) return `key ARN ${i.aws.keyArn}`;
    if (i.azure) return `key identifier ${i.azure.keyIdentifier}`;
    return `key id ${i.gcp?.keyId ?? ""}`;
  },
});
