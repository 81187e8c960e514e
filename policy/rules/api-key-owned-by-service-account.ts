import type { ResourceValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { isConfluentType, readProps } from "../shared/resource";

const ownerSchema = z.object({ id: z.string().optional(), kind: z.string().optional() });

/** A user's API key inherits all of the user's access and dies with the user. */
export const apiKeyOwnedByServiceAccount: ResourceValidationPolicy = {
  name: "api-key-owned-by-service-account",
  description: "API keys are owned by service accounts, not users.",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (!isConfluentType(args.type, "ApiKey")) return;
    const owner = ownerSchema.safeParse(readProps(args.props).owner);
    if (!owner.success) return;
    const { id, kind } = owner.data;
    const isUser = kind === "User" || (kind === undefined && id?.startsWith("u-") === true);
    if (!isUser) return;
    const who = id === undefined ? "a user" : `user "${id}"`;
    reportViolation(
      `API key is owned by ${who}: a user's key carries all of the user's permissions and is deleted with the ` +
        `user. Confluent recommends service accounts for production: set owner to a ServiceAccount (sa-…) ` +
        `that holds only the roles the key needs.`,
    );
  },
};
