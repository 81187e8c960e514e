import type { StackValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { parseCrn, segmentOf } from "../shared/crn";
import { isConfluentType, readProps } from "../shared/resource";
import { ROLE_LEVELS } from "../shared/roles";

const configSchema = z
  .object({ productionEnvironments: z.array(z.string()).default([]) })
  // The CLI validates config against the JSON schema below; anything else names no production environment.
  .catch({ productionEnvironments: [] });

/** Settings of environment-separation. */
export interface EnvironmentSeparationConfig {
  /** Ids of the production environments (`env-…`); every other environment is non-production. @default [] */
  productionEnvironments?: string[];
}

/** One write-level grant: where, which role, which binding. */
interface Grant {
  /** `env-…`, or `undefined` for the organization (every environment). */
  environment: string | undefined;
  role: string;
  name: string;
  urn: string;
}

function describe(grant: Grant): string {
  const where = grant.environment === undefined ? "the organization (every environment)" : grant.environment;
  return `${grant.role} on ${where} (RoleBinding "${grant.name}")`;
}

/**
 * No principal may change both production and non-production: a CI account or developer that can write in
 * a test environment must not be able to write in production, so that a mistake or a leaked key in one
 * cannot reach the other. Write-level roles come from the pack's role table (shared/roles.ts
 * ROLE_LEVELS); a write-level role bound at the organization itself counts in every environment. Bindings
 * whose principal, role or CRN is not known at preview are not judged.
 */
export const environmentSeparation: StackValidationPolicy = {
  name: "environment-separation",
  description:
    "No principal is granted write-level roles in both a production and a non-production environment.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      productionEnvironments: {
        type: "array",
        items: { type: "string" },
        default: [],
        description:
          'Ids of the production environments, e.g. ["env-prod01"]; all others are non-production.',
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const { productionEnvironments } = configSchema.parse(args.getConfig<EnvironmentSeparationConfig>());
    if (productionEnvironments.length === 0) return;
    const production = new Set(productionEnvironments);
    const byPrincipal = new Map<string, Grant[]>();
    for (const resource of args.resources) {
      if (!isConfluentType(resource.type, "RoleBinding")) continue;
      const { principal, roleName, crnPattern } = readProps(resource.props);
      if (typeof principal !== "string" || typeof roleName !== "string" || typeof crnPattern !== "string")
        continue;
      if (ROLE_LEVELS[roleName] !== "write") continue;
      const parsed = parseCrn(crnPattern);
      if (!parsed.ok) continue;
      const environment = segmentOf(parsed.crn, "environment")?.value;
      if (environment === undefined && parsed.crn.scope.kind !== "organization") continue;
      const grants = byPrincipal.get(principal) ?? [];
      grants.push({ environment, role: roleName, name: resource.name, urn: resource.urn });
      byPrincipal.set(principal, grants);
    }
    for (const [principal, grants] of byPrincipal) {
      const inProduction = grants.find((g) => g.environment === undefined || production.has(g.environment));
      const elsewhere = grants.find(
        (g) => g !== inProduction && (g.environment === undefined || !production.has(g.environment)),
      );
      const other = elsewhere ?? (inProduction?.environment === undefined ? inProduction : undefined);
      if (inProduction === undefined || other === undefined) continue;
      const both =
        other === inProduction
          ? `${describe(inProduction)}, which counts in production and non-production alike`
          : `${describe(inProduction)} and ${describe(other)}`;
      reportViolation(
        `"${principal}" can write in both production and non-production: ${both}. Use separate principals ` +
          `for production (${[...production].join(", ")}) and for other environments, and grant roles at the ` +
          `environment or below rather than at the organization.`,
        other.urn,
      );
    }
  },
};
