import type { StackValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { DYNAMIC_PREFIX, SDK_CLASSES, TYPE_PREFIX } from "../shared/resource";

const configSchema = z
  .object({ allowedResources: z.array(z.string()).default([]) })
  // The CLI validates config against the JSON schema below; anything else allows nothing.
  .catch({ allowedResources: [] });

/** Settings of no-unlisted-dynamic-resource. */
export interface NoUnlistedDynamicResourceConfig {
  /**
   * Dynamic resources the stack may hold besides this package's classes: a type token
   * (`pulumi-nodejs:dynamic/acme:Dns`, or `pulumi-nodejs:dynamic:Resource` to allow every plain one) or a
   * resource's full URN.
   * @default []
   */
  allowedResources?: string[];
}

const OURS: ReadonlySet<string> = new Set(SDK_CLASSES.map((cls) => `${TYPE_PREFIX}${cls}`));

/**
 * This package registers its objects only under its own type tokens (`pulumi-nodejs:dynamic/confluent:…`).
 * Any other dynamic resource, above all the plain `pulumi-nodejs:dynamic:Resource`, is invisible to every
 * other policy of the pack: `new pulumi.dynamic.Resource(provider, …)` with this package's provider creates
 * a role binding or an IP group that no policy judges. Such resources are reported unless allow-listed.
 */
export const noUnlistedDynamicResource: StackValidationPolicy = {
  name: "no-unlisted-dynamic-resource",
  description:
    "The stack holds no dynamic resource other than this package's classes and the allow-listed ones.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedResources: {
        type: "array",
        items: { type: "string" },
        default: [],
        description:
          'Type tokens or URNs of other dynamic resources the stack may hold, e.g. ["pulumi-nodejs:dynamic/acme:Dns"].',
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const { allowedResources } = configSchema.parse(args.getConfig<NoUnlistedDynamicResourceConfig>());
    const allowed = new Set(allowedResources);
    for (const resource of args.resources) {
      const { type, urn } = resource;
      if (!type.startsWith(DYNAMIC_PREFIX) || OURS.has(type)) continue;
      if (allowed.has(type) || allowed.has(urn)) continue;
      const what =
        type === `${DYNAMIC_PREFIX}:Resource`
          ? `a plain pulumi.dynamic.Resource ("${type}")`
          : type.startsWith(TYPE_PREFIX)
            ? `a dynamic resource under this package's module with a type no SDK class registers ("${type}")`
            : `a dynamic resource of type "${type}"`;
      reportViolation(
        `"${resource.name}" is ${what}, which no policy of this pack can judge: it may create a role binding, ` +
          `API key or IP group that bypasses every check. Declare Confluent objects with this package's classes ` +
          `(RoleBinding, ApiKey, IpGroup, …); if this resource is not a Confluent object, add its type or URN ` +
          `to this policy's allowedResources config.`,
        urn,
      );
    }
  },
};
