import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { normalizeCrn } from "../shared/crn";
import { isConfluentType, readProps } from "../shared/resource";

/**
 * Two bindings of the same role to the same principal on the same CRN (compared URL-decoded, as the API
 * does): Confluent keeps one grant, so deleting either binding revokes the access both declare.
 */
export const roleBindingNoDuplicates: StackValidationPolicy = {
  name: "role-binding-no-duplicates",
  description: "No two role bindings grant the same role to the same principal on the same CRN.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const first = new Map<string, PolicyResource>();
    for (const resource of args.resources) {
      if (!isConfluentType(resource.type, "RoleBinding")) continue;
      const { principal, roleName, crnPattern } = readProps(resource.props);
      if (typeof principal !== "string" || typeof roleName !== "string" || typeof crnPattern !== "string")
        continue;
      const crn = normalizeCrn(crnPattern);
      const key = JSON.stringify([principal, roleName, crn]);
      const original = first.get(key);
      if (original === undefined) {
        first.set(key, resource);
        continue;
      }
      reportViolation(
        `RoleBinding "${resource.name}" duplicates RoleBinding "${original.name}": both grant ${roleName} to ` +
          `"${principal}" on ${crn}; keep one of them (deleting either would revoke the access the other declares).`,
        resource.urn,
      );
    }
  },
};
