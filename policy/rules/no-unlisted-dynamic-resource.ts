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

// Properties only one class has, and that the policies judge: a resource of another of this package's
// types that carries them was registered by hand with another kind's provider.
const OWNED_KEYS: readonly [string, string][] = [
  ["roleName", "RoleBinding"],
  ["crnPattern", "RoleBinding"],
  ["cidrBlocks", "IpGroup"],
];

function propertyKeys(props: unknown): string[] {
  try {
    return props !== null && typeof props === "object" ? Object.keys(props) : [];
  } catch {
    return [];
  }
}

/**
 * This package registers its objects only under its own type tokens (`pulumi-nodejs:dynamic/confluent:…`).
 * Any other dynamic resource, above all the plain `pulumi-nodejs:dynamic:Resource`, is invisible to every
 * other policy of the pack: `new pulumi.dynamic.Resource(provider, …)` with this package's provider creates
 * a role binding or an IP group that no policy judges. Such resources are reported unless allow-listed. A
 * resource under one of this package's own type tokens that carries another class's judged properties
 * (`roleName`, `crnPattern`, `cidrBlocks`) is reported too: it was registered by hand to pass as a class no
 * policy would check for them.
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
      if (!type.startsWith(DYNAMIC_PREFIX)) continue;
      if (OURS.has(type)) {
        const cls = type.slice(TYPE_PREFIX.length);
        const keys = propertyKeys(resource.props);
        const foreign = OWNED_KEYS.find(([key, owner]) => owner !== cls && keys.includes(key));
        if (foreign === undefined) continue;
        reportViolation(
          `"${resource.name}" is registered as ${cls} but carries "${foreign[0]}", a property of ${foreign[1]}: ` +
            `a dynamic resource registered by hand under this package's type token, which the ${foreign[1]} ` +
            `policies never see. Declare it with the ${foreign[1]} class.`,
          urn,
        );
        continue;
      }
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
