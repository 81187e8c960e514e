import type { ResourceValidationPolicy } from "@pulumi/policy";
import { allowListConfig, allowListSchema, isAllowed, type AllowListConfig } from "../shared/allow-list";
import { isConfluentType, isUnknown, readKnownProps } from "../shared/resource";

/** Settings of role-binding-no-org-admin. */
export type NoOrgAdminConfig = AllowListConfig;

const FIX =
  `grant a narrower role (EnvironmentAdmin, CloudClusterAdmin, ...) or, if this principal must administer ` +
  `the organization, add it to this policy's allowedPrincipals config.`;

/**
 * OrganizationAdmin goes only to principals on an explicit allow-list. Fails closed: a role name or a
 * principal not known at preview is reported, because neither can be checked against the allow-list.
 */
export const roleBindingNoOrgAdmin: ResourceValidationPolicy = {
  name: "role-binding-no-org-admin",
  description: "OrganizationAdmin is bound only to principals on the policy's allow-list.",
  enforcementLevel: "mandatory",
  configSchema: allowListSchema('Principals allowed to hold OrganizationAdmin, e.g. ["User:sa-platform"].'),
  validateResource: (args, reportViolation) => {
    if (!isConfluentType(args.type, "RoleBinding")) return;
    const { roleName, principal } = readKnownProps(args.props);
    if (isUnknown(roleName)) {
      reportViolation(
        `roleName is not known at preview (it is computed from another resource's output), so this binding may ` +
          `grant OrganizationAdmin and cannot be checked against allowedPrincipals; write the role name as a ` +
          `literal string such as "DeveloperRead".`,
      );
      return;
    }
    if (roleName !== "OrganizationAdmin") return;
    if (isUnknown(principal)) {
      reportViolation(
        `OrganizationAdmin is granted to a principal that is not known at preview (e.g. "User:\${sa.id}" of a ` +
          `service account this program creates); a principal that does not exist yet cannot be on ` +
          `allowedPrincipals, so the grant cannot be approved. Create the principal first, add its id to this ` +
          `policy's allowedPrincipals config, then bind it by that id; or grant a narrower role (EnvironmentAdmin, ` +
          `CloudClusterAdmin, ...).`,
      );
      return;
    }
    if (typeof principal !== "string") return;
    const config = allowListConfig(args.getConfig<NoOrgAdminConfig>());
    if (isAllowed(config, principal)) return;
    reportViolation(
      `OrganizationAdmin gives "${principal}" full control of the whole organization, and "${principal}" is not ` +
        `in allowedPrincipals; ${FIX}`,
    );
  },
};
