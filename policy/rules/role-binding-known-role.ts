import type { ResourceValidationPolicy } from "@pulumi/policy";
import { nearest } from "../shared/edit-distance";
import { isConfluentType, readProps } from "../shared/resource";
import { isPredefinedRole, PREDEFINED_ROLES } from "../shared/roles";

/** `roleName` is one of Confluent Cloud's predefined roles; a typo otherwise fails only at apply time. */
export const roleBindingKnownRole: ResourceValidationPolicy = {
  name: "role-binding-known-role",
  description: "A role binding's roleName is one of Confluent Cloud's predefined RBAC roles.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (!isConfluentType(args.type, "RoleBinding")) return;
    const { roleName } = readProps(args.props);
    if (roleName === undefined) return;
    if (typeof roleName !== "string") {
      reportViolation(
        `roleName must be a string naming one of Confluent Cloud's predefined roles, e.g. "DeveloperRead".`,
      );
      return;
    }
    if (isPredefinedRole(roleName)) return;
    const suggestion = nearest(roleName, PREDEFINED_ROLES);
    reportViolation(
      `roleName "${roleName}" is not a Confluent Cloud predefined role; did you mean "${suggestion}"? ` +
        `Role names are case-sensitive.`,
    );
  },
};
