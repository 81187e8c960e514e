import type { ResourceValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { isConfluentType, readProps } from "../shared/resource";

const configSchema = z
  .object({ allowedPrincipals: z.array(z.string()).default([]) })
  // The CLI validates config against the JSON schema below; anything else reaching us allows no one.
  .catch({ allowedPrincipals: [] });

/** Settings of role-binding-no-org-admin. */
export interface NoOrgAdminConfig {
  /**
   * Principals that may hold OrganizationAdmin, as in `principal` (`User:sa-…`); a bare id (`sa-…`) also
   * matches `User:<id>`.
   * @default []
   */
  allowedPrincipals?: string[];
}

/** OrganizationAdmin goes only to principals on an explicit allow-list. */
export const roleBindingNoOrgAdmin: ResourceValidationPolicy = {
  name: "role-binding-no-org-admin",
  description: "OrganizationAdmin is bound only to principals on the policy's allow-list.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedPrincipals: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: 'Principals allowed to hold OrganizationAdmin, e.g. ["User:sa-platform"].',
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (!isConfluentType(args.type, "RoleBinding")) return;
    const { roleName, principal } = readProps(args.props);
    if (roleName !== "OrganizationAdmin" || typeof principal !== "string") return;
    const { allowedPrincipals } = configSchema.parse(args.getConfig<NoOrgAdminConfig>());
    if (allowedPrincipals.some((allowed) => allowed === principal || `User:${allowed}` === principal)) return;
    reportViolation(
      `OrganizationAdmin gives "${principal}" full control of the whole organization, and "${principal}" is not ` +
        `in allowedPrincipals; grant a narrower role (EnvironmentAdmin, CloudClusterAdmin, ...) or, if this ` +
        `principal must administer the organization, add it to this policy's allowedPrincipals config.`,
    );
  },
};
