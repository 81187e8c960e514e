import type { ResourceValidationPolicy } from "@pulumi/policy";
import { makesApiKeys, isDeclared, readProps } from "../shared/resource";

/** A key without a description cannot be told apart from the others when it must be rotated or revoked. */
export const apiKeyDescribed: ResourceValidationPolicy = {
  name: "api-key-described",
  description: "API keys carry a description saying what they are for.",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (!makesApiKeys(args.type)) return;
    const { description } = readProps(args.props);
    // Declared but undefined means "not known yet" (preview); only a missing or blank one is judged.
    if (isDeclared(args.props, "description") && description === undefined) return;
    if (typeof description === "string" && description.trim() !== "") return;
    reportViolation(
      `API key has no description; add one that says which application or use case the key serves, so it ` +
        `can be told apart from other keys and safely rotated or deleted.`,
    );
  },
};
