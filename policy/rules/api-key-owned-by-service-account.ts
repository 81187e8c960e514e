import type { ResourceValidationPolicy } from "@pulumi/policy";
import { makesApiKeys, isUnknown, readKnownProps } from "../shared/resource";

/**
 * A user's API key inherits all of the user's access and dies with the user. The owner is judged by its
 * id, which is what the API acts on (`u-…` is a user, `sa-…` a service account); `owner.kind` is only
 * informational and is trusted only when the id is not known at preview.
 */
export const apiKeyOwnedByServiceAccount: ResourceValidationPolicy = {
  name: "api-key-owned-by-service-account",
  description: "API keys are owned by service accounts, not users.",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (!makesApiKeys(args.type)) return;
    const { owner } = readKnownProps(args.props);
    if (owner === null || typeof owner !== "object" || Array.isArray(owner)) return;
    const { id, kind } = owner as Record<string, unknown>;
    let who: string;
    if (typeof id === "string") {
      if (!id.startsWith("u-")) return;
      who = `user "${id}"`;
      if (typeof kind === "string" && kind !== "User") who += ` (though owner.kind says "${kind}")`;
    } else if (isUnknown(id) && kind === "User") {
      who = "a user (owner.kind; its id is not known at preview)";
    } else {
      // An id not known at preview with no declared kind, or another kind: nothing to judge by.
      return;
    }
    reportViolation(
      `API key is owned by ${who}: a user's key carries all of the user's permissions and is deleted with the ` +
        `user. Confluent recommends service accounts for production: set owner to a ServiceAccount (sa-…) ` +
        `that holds only the roles the key needs.`,
    );
  },
};
