import { randomUUID } from "node:crypto";
import { z } from "zod";
import { crn, find, findVisible, metadata, newBase, nowIso, type Ctx } from "../context";
import type { BaseRecord } from "../db";
import { apiError, conflict, invalidField, type ApiError } from "../errors";
import { paginate } from "../pagination";
import { orgWide } from "../rbac";
import type { Route } from "../router";
import { parseBody } from "../validate";
import { table, type EmulatorObject } from "./types";

const awsKey = z.object({
  kind: z.literal("AwsKey"),
  key_arn: z.string().regex(/^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/.+$/, "key_arn must be an AWS KMS key ARN"),
});
const azureKey = z.object({
  kind: z.literal("AzureKey"),
  key_id: z.string().url("key_id must be a Key Vault key URL"),
  key_vault_id: z.string().min(1, "must not be empty"),
  tenant_id: z.string().uuid("tenant_id must be a UUID"),
});
const gcpKey = z.object({ kind: z.literal("GcpKey"), key_id: z.string().min(1, "must not be empty") });
const keySchema = z.discriminatedUnion("kind", [awsKey, azureKey, gcpKey], {
  errorMap: (issue, ctx) =>
    issue.code === "invalid_union_discriminator"
      ? { message: "key.kind must be one of AwsKey, AzureKey, GcpKey" }
      : { message: ctx.defaultError },
});

/** The customer's key as given, plus what the server filled in. */
export type StoredKey =
  | (z.infer<typeof awsKey> & { roles: string[] })
  | (z.infer<typeof azureKey> & { application_id: string })
  | (z.infer<typeof gcpKey> & { security_group: string });

/** A stored BYOK key. */
export interface ByokKeyRecord extends BaseRecord {
  display_name: string;
  key: StoredKey;
}

export const byokKeysTable = table<ByokKeyRecord>("byok_keys");

const PATH = "/byok/v1/keys";
const createSchema = z.object({ key: keySchema, display_name: z.string().optional() });
const updateSchema = z.object({ display_name: z.string().optional() });

function missing(): ApiError {
  return apiError(404, "not_found", "Key Not Found");
}

function provider(k: StoredKey): "AWS" | "Azure" | "GCP" {
  return k.kind === "AwsKey" ? "AWS" : k.kind === "AzureKey" ? "Azure" : "GCP";
}

/** The identity of the customer key, for the duplicate check. */
function keyIdentity(k: { kind: string; key_arn?: string; key_id?: string }): string {
  return `${k.kind}:${k.key_arn ?? k.key_id ?? ""}`;
}

function render(ctx: Ctx, rec: ByokKeyRecord): unknown {
  const region = rec.key.kind === "AwsKey" ? (rec.key.key_arn.split(":")[3] ?? "") : "";
  return {
    api_version: "byok/v1",
    kind: "Key",
    id: rec.id,
    metadata: metadata(ctx, `${PATH}/${rec.id}`, crn(ctx, `key=${rec.id}`), rec),
    display_name: rec.display_name,
    key: rec.key,
    provider: provider(rec.key),
    state: "AVAILABLE",
    validation: { phase: "VALID", since: rec.created_at, region, message: "" },
  };
}

const routes: Route[] = [
  {
    method: "GET",
    path: PATH,
    handler: (ctx) => {
      let items = [...ctx.env.db.rows(byokKeysTable).values()];
      const prov = ctx.query.get("provider");
      const state = ctx.query.get("state");
      const name = ctx.query.get("display_name");
      if (prov) items = items.filter((k) => provider(k.key).toUpperCase() === prov.toUpperCase());
      if (state && state !== "AVAILABLE") items = [];
      if (name) items = items.filter((k) => k.display_name === name);
      return paginate(
        ctx,
        items,
        { defaultSize: 10, maxSize: 100 },
        { apiVersion: "byok/v1", kind: "KeyList" },
        (k) => render(ctx, k),
      );
    },
  },
  {
    method: "POST",
    path: PATH,
    handler: (ctx) => {
      const input = parseBody(createSchema, ctx.body);
      const identity = keyIdentity(input.key);
      for (const existing of ctx.env.db.rows(byokKeysTable).values()) {
        if (keyIdentity(existing.key) === identity) {
          throw conflict(
            `Key ${identity.split(":").slice(1).join(":")} is already registered`,
            `${ctx.base}${PATH}/${existing.id}`,
          );
        }
      }
      const base = newBase(ctx, ctx.env.db.nextId("cck-", 5));
      const k = input.key;
      let key: StoredKey;
      if (k.kind === "AwsKey") {
        const account = k.key_arn.split(":")[4] ?? "000000000000";
        key = { ...k, roles: [`arn:aws:iam::${account}:role/confluent-byok-${base.id}`] };
      } else if (k.kind === "AzureKey") {
        key = { ...k, application_id: randomUUID() };
      } else {
        key = { ...k, security_group: `${base.id}@confluent-emulator.invalid` };
      }
      const rec: ByokKeyRecord = { ...base, display_name: input.display_name ?? "", key };
      ctx.env.db.rows(byokKeysTable).set(rec.id, rec);
      return { status: 201, body: render(ctx, rec), headers: { Location: `${ctx.base}${PATH}/${rec.id}` } };
    },
  },
  {
    method: "GET",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const rec = findVisible(ctx, byokKeysTable, ctx.params.id ?? "");
      if (!rec) throw missing();
      return { status: 200, body: render(ctx, rec) };
    },
  },
  {
    method: "PATCH",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const rec = find(ctx, byokKeysTable, ctx.params.id ?? "");
      if (!rec) throw missing();
      const raw = (ctx.body ?? {}) as Record<string, unknown>;
      // `key` and everything in it is x-immutable: refused, not ignored, so a client learns it must replace.
      if (raw.key !== undefined) {
        const inner =
          raw.key !== null && typeof raw.key === "object" ? Object.keys(raw.key as object)[0] : undefined;
        const field = inner ? `key.${inner}` : "key";
        throw invalidField(`/${field.replace(".", "/")}`, `${field} is immutable and cannot be updated`);
      }
      const input = parseBody(updateSchema, ctx.body);
      if (input.display_name !== undefined) rec.display_name = input.display_name;
      rec.updated_at = nowIso(ctx);
      return { status: 200, body: render(ctx, rec) };
    },
  },
  {
    method: "DELETE",
    path: `${PATH}/:id`,
    handler: (ctx) => {
      const rec = find(ctx, byokKeysTable, ctx.params.id ?? "");
      if (!rec) throw missing();
      ctx.env.db.rows(byokKeysTable).delete(rec.id);
      return { status: 204 };
    },
  },
];

/** byok/v1 keys: one of AwsKey / AzureKey / GcpKey; PATCH changes display_name only. */
export const byokKeys: EmulatorObject = {
  name: "BYOK keys",
  tables: [byokKeysTable],
  routes,
  access: (r) => orgWide(r.method, "byok"),
};
