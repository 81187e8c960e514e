import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isConfluentType, readProps } from "../shared/resource";

// `User:group-…` is an SSO group mapping: the registry's GroupMapping example binds `User:${groupMapping.id}`.
// `User:pool-…` is an identity pool (OIDC) or a certificate pool (mutual TLS): both kinds of pool ids are `pool-…`.
const VALID = [/^User:(sa|u|pool|group)-[A-Za-z0-9]+$/, /^Group:\S+$/];
const INVITATION = /^User:i-[A-Za-z0-9]+$/;
const BARE_ID = /^(sa|u|pool|group)-[A-Za-z0-9]+$/;

/**
 * `principal` names a service account, user, identity or certificate pool, or group (mapping), never an
 * invitation. A style
 * check: a principal not known at preview is skipped.
 */
export const roleBindingPrincipalFormat: ResourceValidationPolicy = {
  name: "role-binding-principal-format",
  description: "A role binding's principal names a service account, user, identity pool or group.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (!isConfluentType(args.type, "RoleBinding")) return;
    const { principal } = readProps(args.props);
    if (principal === undefined) return;
    if (typeof principal !== "string") {
      reportViolation(`principal must be a string such as "User:sa-…".`);
      return;
    }
    if (VALID.some((re) => re.test(principal))) return;
    if (INVITATION.test(principal)) {
      reportViolation(
        `principal "${principal}" is an invitation id, and a binding to an invitation never takes effect; ` +
          `bind the user id that the invitation created once it is accepted ("User:u-…", the Invitation's ` +
          `users[0].id output).`,
      );
      return;
    }
    if (BARE_ID.test(principal)) {
      reportViolation(`principal "${principal}" lacks the "User:" prefix; use "User:${principal}".`);
      return;
    }
    reportViolation(
      `principal "${principal}" is not a valid principal; use "User:sa-…" (service account), "User:u-…" (user), ` +
        `"User:pool-…" (identity pool or certificate pool), "User:group-…" (SSO group mapping) or "Group:…" (SSO group).`,
    );
  },
};
