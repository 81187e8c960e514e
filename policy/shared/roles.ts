// Confluent Cloud's predefined RBAC roles and the scopes they can be bound at: the one list every policy
// uses.
//
// Source: Confluent Cloud's documentation, "Predefined RBAC Roles in Confluent Cloud"
// (https://docs.confluent.io/cloud/current/security/access-control/rbac/predefined-rbac-roles.html):
// its administration roles (AccountAdmin, BillingAdmin, CloudClusterAdmin, ConnectManager, DataSteward,
// EnvironmentAdmin, FlinkAdmin, KsqlAdmin, NetworkAdmin, OrganizationAdmin, ResourceKeyAdmin,
// ResourceOwner), application development roles (DeveloperManage, DeveloperRead, DeveloperWrite,
// FlinkDeveloper, MetricsViewer, Operator) and DataDiscovery and Assigner; the OrganizationOperator,
// EnvironmentOperator and CloudClusterOperator roles come from the Tableflow RBAC page
// (https://docs.confluent.io/cloud/current/topics/tableflow/operate/tableflow-rbac.html). Scopes follow the
// same pages; where a page leaves a role's scopes open, the list errs on the side of allowing (a policy
// that blocks a valid binding is worse than one that misses a rare mistake). Confluent adds roles from
// time to time: add them here, with the page that documents them.
import type { CrnKind } from "./crn";

/** Kinds of CRN segment a resource role can end at: a Kafka cluster as a whole or a resource inside one. */
const RESOURCE_SCOPES: readonly CrnKind[] = [
  "kafka",
  "topic",
  "group",
  "transactional-id",
  "subject",
  "kek",
  "ksql",
  "connector",
  "statement",
];

const ORG: readonly CrnKind[] = ["organization"];
const ENV: readonly CrnKind[] = ["environment"];
const CLUSTER: readonly CrnKind[] = ["cloud-cluster"];

/**
 * Every predefined role, with the kinds of CRN its `crnPattern` may end at (the binding's scope). Keys
 * are the exact, case-sensitive role names the API accepts.
 */
export const ROLE_SCOPES: Readonly<Record<string, readonly CrnKind[]>> = {
  OrganizationAdmin: ORG,
  AccountAdmin: ORG,
  BillingAdmin: ORG,
  ResourceKeyAdmin: ORG,
  OrganizationOperator: ORG,
  NetworkAdmin: [...ORG, ...ENV],
  MetricsViewer: [...ORG, ...ENV, ...CLUSTER],
  Operator: [...ORG, ...ENV, ...CLUSTER],
  EnvironmentAdmin: ENV,
  EnvironmentOperator: ENV,
  DataSteward: ENV,
  DataDiscovery: ENV,
  FlinkAdmin: ENV,
  FlinkDeveloper: [...ENV, "flink-region", "compute-pool"],
  CloudClusterAdmin: CLUSTER,
  CloudClusterOperator: CLUSTER,
  ConnectManager: [...CLUSTER, "connector"],
  KsqlAdmin: [...ENV, ...CLUSTER, "ksql"],
  Assigner: ["service-account", "identity-pool", "certificate-identity-pool"],
  DeveloperRead: RESOURCE_SCOPES,
  DeveloperWrite: RESOURCE_SCOPES,
  DeveloperManage: RESOURCE_SCOPES,
  // The API itself creates ResourceOwner on organization=…/service-account=sa-… for
  // `assigned_resource_owner` (iam_v2.yaml), and Confluent requires it to manage a service account's API
  // keys as a non-admin; the same holds for identity pools, and (by the same pattern; the docs name no
  // other role for them) for certificate authorities and certificate identity pools.
  ResourceOwner: [
    ...RESOURCE_SCOPES,
    "service-account",
    "identity-pool",
    "certificate-authority",
    "certificate-identity-pool",
  ],
};

/** What a role lets its holder do where it is granted: change things ("write") or only look ("read"). */
export type RoleLevel = "write" | "read";

/**
 * Each predefined role's level, for policies that judge who may change what (environment-separation).
 * "write" is every role that can change data, configuration, access or credentials where it is granted
 * (the administration roles, ResourceOwner, DeveloperWrite/Manage, the Flink, ksqlDB, Connect, network and
 * data-steward roles); "read" is the roles that only view or operate without changing data (DeveloperRead,
 * MetricsViewer, DataDiscovery, BillingAdmin, the Operator roles). Where the documentation leaves it open the
 * table says "write", the stricter answer.
 */
export const ROLE_LEVELS: Readonly<Record<string, RoleLevel>> = {
  OrganizationAdmin: "write",
  AccountAdmin: "write",
  BillingAdmin: "read",
  ResourceKeyAdmin: "write",
  OrganizationOperator: "read",
  NetworkAdmin: "write",
  MetricsViewer: "read",
  Operator: "read",
  EnvironmentAdmin: "write",
  EnvironmentOperator: "read",
  DataSteward: "write",
  DataDiscovery: "read",
  FlinkAdmin: "write",
  FlinkDeveloper: "write",
  CloudClusterAdmin: "write",
  CloudClusterOperator: "read",
  ConnectManager: "write",
  KsqlAdmin: "write",
  Assigner: "write",
  DeveloperRead: "read",
  DeveloperWrite: "write",
  DeveloperManage: "write",
  ResourceOwner: "write",
};

/** The predefined role names, in the order above. */
export const PREDEFINED_ROLES: readonly string[] = Object.keys(ROLE_SCOPES);

/** Whether `name` is a predefined role (exact, case-sensitive). */
export function isPredefinedRole(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(ROLE_SCOPES, name);
}

/** Resource roles that can change data or configuration (as opposed to DeveloperRead). */
export const WRITE_ROLES: readonly string[] = ["DeveloperWrite", "DeveloperManage", "ResourceOwner"];
