import type { ResourceValidationPolicy } from "@pulumi/policy";
import { allowListConfig, allowListSchema, isAllowed, type AllowListConfig } from "../shared/allow-list";
import { isConfluentType, isUnknown, readKnownProps } from "../shared/resource";

/** Settings of role-binding-no-privileged-role. */
export type NoPrivilegedRoleConfig = AllowListConfig;

/**
 * Roles below OrganizationAdmin that still hand out access or credentials to others, with what they
 * allow, per Confluent Cloud's "Predefined RBAC Roles" and "Manage API Keys" pages
 * (https://docs.confluent.io/cloud/current/security/access-control/rbac/predefined-rbac-roles.html,
 * https://docs.confluent.io/cloud/current/security/authenticate/workload-identities/service-accounts/api-keys/manage-api-keys.html).
 */
export const PRIVILEGED_ROLES: Readonly<Record<string, string>> = {
  AccountAdmin: "manage every user and service account of the organization, and their role bindings",
  ResourceKeyAdmin: "create and delete API keys for every resource of the organization, for any principal",
  EnvironmentAdmin: "manage every cluster of the environment and grant roles on it to anyone",
  CloudClusterAdmin: "manage the cluster, its API keys and who may access it",
};

/** Roles that can grant access or mint keys for others are reviewed; advisory by default. */
export const roleBindingNoPrivilegedRole: ResourceValidationPolicy = {
  name: "role-binding-no-privileged-role",
  description:
    "AccountAdmin, ResourceKeyAdmin, EnvironmentAdmin and CloudClusterAdmin go only to principals on the policy's allow-list.",
  enforcementLevel: "advisory",
  configSchema: allowListSchema(
    'Principals allowed to hold AccountAdmin, ResourceKeyAdmin, EnvironmentAdmin or CloudClusterAdmin, e.g. ["User:sa-platform"].',
  ),
  validateResource: (args, reportViolation) => {
    if (!isConfluentType(args.type, "RoleBinding")) return;
    // An unknown roleName is reported (mandatory) by role-binding-no-org-admin, so it is not judged twice.
    const { roleName, principal } = readKnownProps(args.props);
    if (typeof roleName !== "string" || !Object.prototype.hasOwnProperty.call(PRIVILEGED_ROLES, roleName))
      return;
    const power = PRIVILEGED_ROLES[roleName];
    if (isUnknown(principal)) {
      reportViolation(
        `${roleName} (which can ${power}) is granted to a principal that is not known at preview; a principal ` +
          `that does not exist yet cannot be on allowedPrincipals. Create the principal first and add its id to ` +
          `this policy's allowedPrincipals config, or grant a narrower role.`,
      );
      return;
    }
    if (typeof principal !== "string") return;
    if (isAllowed(allowListConfig(args.getConfig<NoPrivilegedRoleConfig>()), principal)) return;
    reportViolation(
      `${roleName} lets "${principal}" ${power}, and "${principal}" is not in allowedPrincipals; grant a ` +
        `narrower role (DeveloperRead/Write/Manage on the resources it needs) or, if this principal must ` +
        `hold it, add it to this policy's allowedPrincipals config.`,
    );
  },
};
