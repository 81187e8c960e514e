import type { ResourceValidationPolicy } from "@pulumi/policy";
import { parseCrn } from "../shared/crn";
import { isConfluentType, readProps } from "../shared/resource";

/** `crnPattern` parses as a Confluent resource name, with its segments in a valid order. */
export const roleBindingCrnWellFormed: ResourceValidationPolicy = {
  name: "role-binding-crn-well-formed",
  description: "A role binding's crnPattern is a well-formed Confluent resource name.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (!isConfluentType(args.type, "RoleBinding")) return;
    const { crnPattern } = readProps(args.props);
    if (crnPattern === undefined) return;
    if (typeof crnPattern !== "string") {
      reportViolation(
        `crnPattern must be a string such as "crn://confluent.cloud/organization=<org id>/environment=env-…".`,
      );
      return;
    }
    const parsed = parseCrn(crnPattern);
    if (parsed.ok) return;
    reportViolation(
      `crnPattern "${crnPattern}" is not a well-formed Confluent resource name: ${parsed.problem}. ` +
        `Use the resource's CRN, e.g. crn://confluent.cloud/organization=<org id>/environment=env-…` +
        `/cloud-cluster=lkc-…/kafka=lkc-…/topic=<name>.`,
    );
  },
};
