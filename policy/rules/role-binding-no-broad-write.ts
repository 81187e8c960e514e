import type { ResourceValidationPolicy } from "@pulumi/policy";
import { parseCrn, type CrnKind } from "../shared/crn";
import { isConfluentType, readProps } from "../shared/resource";
import { WRITE_ROLES } from "../shared/roles";

// Scopes above the topic level: a write role bound there reaches every topic beneath.
const WHOLE: Partial<Record<CrnKind, string>> = {
  organization: "organization",
  environment: "environment",
  "cloud-cluster": "Kafka cluster",
  kafka: "Kafka cluster",
};

const FIX = `bind it to the topics it needs, by name or by a prefix such as "topic=orders-*".`;

// Resources other than topics where ResourceOwner or DeveloperManage on "*" reaches every one of them.
const EVERY: Partial<Record<CrnKind, string>> = {
  subject: "Schema Registry subject",
  group: "consumer group",
  connector: "connector",
  statement: "Flink statement",
  "transactional-id": "transactional id",
};
const MANAGE_ROLES: readonly string[] = ["ResourceOwner", "DeveloperManage"];

/** Write-capable resource roles on every topic, or on a whole cluster, are worth a second look. */
export const roleBindingNoBroadWrite: ResourceValidationPolicy = {
  name: "role-binding-no-broad-write",
  description:
    "Write-capable resource roles are not granted on every topic, subject, group, connector, statement or transactional id, or on a whole cluster.",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (!isConfluentType(args.type, "RoleBinding")) return;
    const { roleName, crnPattern, principal } = readProps(args.props);
    if (typeof roleName !== "string" || !WRITE_ROLES.includes(roleName) || typeof crnPattern !== "string")
      return;
    const parsed = parseCrn(crnPattern);
    if (!parsed.ok) return;
    const who = typeof principal === "string" ? `"${principal}"` : "the principal";
    const { scope, segments } = parsed.crn;
    if (scope.kind === "topic" && scope.value === "*") {
      const cluster = segments.find((s) => s.kind === "kafka")?.value ?? "the cluster";
      reportViolation(
        `${roleName} on every topic of ${cluster} ("topic=*") lets ${who} write to all current and future ` +
          `topics; ${FIX}`,
      );
      return;
    }
    const every = EVERY[scope.kind];
    if (every !== undefined && scope.value === "*" && MANAGE_ROLES.includes(roleName)) {
      reportViolation(
        `${roleName} on every ${every} ("${scope.kind}=*") lets ${who} change or delete all current and future ` +
          `ones (and, as ResourceOwner, grant access to them); bind it to the ones it needs, by name or by a ` +
          `prefix such as "${scope.kind}=orders-*".`,
      );
      return;
    }
    const whole = WHOLE[scope.kind];
    if (whole === undefined) return;
    reportViolation(
      `${roleName} on the whole ${whole} ("${scope.kind}=${scope.value}") lets ${who} write to every topic in it, ` +
        `current and future; ${FIX}`,
    );
  },
};
