import type { StackValidationPolicy } from "@pulumi/policy";
import { filterHoldsAlways } from "../shared/pool-filter";
import { isConfluentType, readProps } from "../shared/resource";

/** Roles that administer something: every predefined `…Admin` role (OrganizationAdmin, AccountAdmin, …). */
export function isAdminRole(roleName: string): boolean {
  return /Admin$/.test(roleName);
}

/**
 * An identity pool whose filter every token of its identity provider passes (`true`, `has(claims.sub)`, an
 * empty `||` branch) gives its role bindings to any workload that can get a token from that provider: with
 * an admin role, that is the organization's open door, as an IP group open to the internet is. Judged for
 * the stack: a binding is the pool's when its principal is `User:<the pool's id>` (known once the pool
 * exists; a first preview cannot tell, and the `up` that creates them reports it).
 */
export const identityPoolNoOpenFilter: StackValidationPolicy = {
  name: "identity-pool-no-open-filter",
  description: "An identity pool whose filter matches every token is not bound to an admin role.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const open = new Map<string, { name: string; filter: string }>();
    for (const r of args.resources) {
      if (!isConfluentType(r.type, "IdentityPool")) continue;
      const { filter, principal } = readProps(r.props);
      if (typeof filter !== "string" || typeof principal !== "string" || principal === "") continue;
      if (filterHoldsAlways(filter) === "always") open.set(`User:${principal}`, { name: r.name, filter });
    }
    if (open.size === 0) return;
    for (const r of args.resources) {
      if (!isConfluentType(r.type, "RoleBinding")) continue;
      const { principal, roleName } = readProps(r.props);
      if (typeof principal !== "string" || typeof roleName !== "string" || !isAdminRole(roleName)) continue;
      const pool = open.get(principal);
      if (pool === undefined) continue;
      reportViolation(
        `identity pool "${pool.name}" has a filter that every token of its identity provider matches ` +
          `(${JSON.stringify(pool.filter)}), and role binding "${r.name}" grants it ${roleName}: any workload ` +
          `that can get a token from that identity provider acts as ${roleName}. Restrict the filter to the ` +
          `workloads that need the role, such as claims.repository == "acme/iam" && claims.ref == ` +
          `"refs/heads/main".`,
      );
    }
  },
};
