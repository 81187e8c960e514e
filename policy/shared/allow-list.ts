// The allow-list setting shared by the policies that report privileged grants (role-binding-no-org-admin,
// role-binding-no-privileged-role): `allowedPrincipals`, as written in a binding's `principal`.
import type { PolicyConfigSchema } from "@pulumi/policy";
import { z } from "zod";

const schema = z
  .object({ allowedPrincipals: z.array(z.string()).default([]) })
  // The CLI validates config against the JSON schema; anything else reaching us allows no one.
  .catch({ allowedPrincipals: [] });

/** Settings of a policy with an allow-list of principals. */
export interface AllowListConfig {
  /**
   * Principals that may hold the role, as in `principal` (`User:sa-…`); a bare id (`sa-…`) also matches
   * `User:<id>`.
   * @default []
   */
  allowedPrincipals?: string[];
}

/** The JSON schema of the setting, with its description. */
export function allowListSchema(description: string): PolicyConfigSchema {
  return {
    properties: {
      allowedPrincipals: { type: "array", items: { type: "string" }, default: [], description },
    },
  };
}

/** The settings as given, or an empty allow-list when they are malformed. */
export function allowListConfig(raw: unknown): { allowedPrincipals: string[] } {
  return schema.parse(raw);
}

/** Whether `principal` is on the allow-list (exactly, or as `User:<listed id>`). */
export function isAllowed(config: { allowedPrincipals: string[] }, principal: string): boolean {
  return config.allowedPrincipals.some((allowed) => allowed === principal || `User:${allowed}` === principal);
}
