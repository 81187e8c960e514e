import type { ResourceValidationPolicy } from "@pulumi/policy";
import { CRN_KINDS, parseCrn } from "../shared/crn";
import { isConfluentType, readProps } from "../shared/resource";
import { isPredefinedRole, ROLE_SCOPES } from "../shared/roles";
import { joinOr } from "../shared/text";

/**
 * The CRN's scope (its last segment) is one the role can be granted on. Unknown roles and malformed CRNs
 * are left to role-binding-known-role and role-binding-crn-well-formed, so each mistake is reported once.
 */
export const roleBindingScopeFitsRole: ResourceValidationPolicy = {
  name: "role-binding-scope-fits-role",
  description: "A role binding's crnPattern points at the kind of resource its role is granted on.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (!isConfluentType(args.type, "RoleBinding")) return;
    const { roleName, crnPattern } = readProps(args.props);
    if (typeof roleName !== "string" || typeof crnPattern !== "string" || !isPredefinedRole(roleName)) return;
    const parsed = parseCrn(crnPattern);
    if (!parsed.ok) return;
    const allowed = ROLE_SCOPES[roleName];
    const { scope } = parsed.crn;
    if (allowed.includes(scope.kind)) return;
    const wanted = joinOr(allowed.map((kind) => CRN_KINDS[kind].label));
    reportViolation(
      `${roleName} is granted on ${wanted}, but crnPattern ends at ${CRN_KINDS[scope.kind].label} ` +
        `("${scope.kind}=${scope.value}"); point crnPattern at ${wanted} instead.`,
    );
  },
};
