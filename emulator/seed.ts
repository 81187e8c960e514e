import { z } from "zod";

/**
 * The world the emulator starts from: things the IAM API refers to but cannot create (the organization,
 * users, environments, Kafka clusters, Schema Registries). Pass another one with `--seed FILE` or
 * `POST /_emulator/seed`.
 */
export const seedSchema = z.object({
  /** Organization id, used in every CRN. */
  organization_id: z.string().min(1),
  /** Users that exist at start (users cannot be created through the API, only invited). */
  users: z
    .array(
      z.object({
        id: z.string().regex(/^u-.+$/, "user ids start with u-"),
        email: z.string().min(3),
        full_name: z.string().default(""),
        auth_type: z.enum(["AUTH_TYPE_LOCAL", "AUTH_TYPE_SSO"]).default("AUTH_TYPE_LOCAL"),
      }),
    )
    .default([]),
  /** Environments (referenced by clusters, provider integrations and role-binding CRNs). */
  environments: z
    .array(z.object({ id: z.string().min(1), display_name: z.string().default("") }))
    .default([]),
  /** Kafka clusters: valid API-key resources. */
  kafka_clusters: z
    .array(
      z.object({
        id: z.string().min(1),
        environment: z.string().min(1),
        display_name: z.string().default(""),
      }),
    )
    .default([]),
  /** Schema Registry clusters: valid API-key resources. */
  schema_registries: z
    .array(
      z.object({
        id: z.string().min(1),
        environment: z.string().min(1),
        display_name: z.string().default(""),
      }),
    )
    .default([]),
});

/** A parsed seed document. */
export type Seed = z.infer<typeof seedSchema>;

/** The default seed (docs/CONTRACTS.md "Emulator"). */
export const defaultSeed: Seed = {
  organization_id: "b0b0cafe-0000-4000-8000-000000000001",
  users: [
    { id: "u-demo01", email: "owner@example.com", full_name: "Demo Owner", auth_type: "AUTH_TYPE_LOCAL" },
    { id: "u-demo02", email: "dev@example.com", full_name: "Demo Developer", auth_type: "AUTH_TYPE_LOCAL" },
  ],
  environments: [
    { id: "env-demo01", display_name: "demo" },
    { id: "env-prod01", display_name: "prod" },
  ],
  kafka_clusters: [
    { id: "lkc-demo01", environment: "env-demo01", display_name: "demo-cluster" },
    { id: "lkc-prod01", environment: "env-prod01", display_name: "prod-cluster" },
  ],
  schema_registries: [{ id: "lsrc-demo01", environment: "env-demo01", display_name: "demo-schema-registry" }],
};

/** Parses and checks a seed document; throws a readable Error naming the first problem. */
export function parseSeed(input: unknown): Seed {
  const result = seedSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`invalid seed: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`);
  }
  const seed = result.data;
  const envs = new Set(seed.environments.map((e) => e.id));
  for (const c of [...seed.kafka_clusters, ...seed.schema_registries]) {
    if (!envs.has(c.environment))
      throw new Error(`invalid seed: ${c.id} names unknown environment ${c.environment}`);
  }
  return seed;
}
