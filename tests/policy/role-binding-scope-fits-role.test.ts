import { roleBindingScopeFitsRole as policy } from "pulumi-confluent-iam/policy";
import { CLUSTER_CRN, ORG, roleBinding, runResource, TOPIC_CRN, UNKNOWN } from "./helpers";

const ORG_CRN = `crn://confluent.cloud/organization=${ORG}`;
const ENV_CRN = `${ORG_CRN}/environment=env-demo01`;
const RESOURCE_TARGETS =
  "a whole Kafka cluster's resources, a topic, a consumer group, a transactional id, a Schema Registry subject, " +
  "a Schema Registry KEK, a ksqlDB cluster, a connector or a Flink statement";

describe("role-binding-scope-fits-role", () => {
  it("is mandatory", () => {
    expect(policy.enforcementLevel).toBe("mandatory");
  });

  it.each([
    ["OrganizationAdmin", ORG_CRN],
    ["AccountAdmin", ORG_CRN],
    ["EnvironmentAdmin", ENV_CRN],
    ["DataSteward", ENV_CRN],
    ["CloudClusterAdmin", CLUSTER_CRN],
    ["Operator", ORG_CRN],
    ["Operator", ENV_CRN],
    ["Operator", CLUSTER_CRN],
    ["MetricsViewer", CLUSTER_CRN],
    ["DeveloperRead", TOPIC_CRN],
    ["DeveloperWrite", `${CLUSTER_CRN}/kafka=lkc-demo01/topic=orders-*`],
    ["DeveloperManage", `${ENV_CRN}/schema-registry=lsrc-demo01/subject=orders-value`],
    ["ResourceOwner", `${CLUSTER_CRN}/kafka=lkc-demo01/group=orders`],
    ["ResourceOwner", `${CLUSTER_CRN}/kafka=lkc-demo01`],
    ["FlinkDeveloper", ENV_CRN],
    ["Assigner", `${ORG_CRN}/service-account=sa-runner1`],
  ])("passes %s at %s", async (roleName, crnPattern) => {
    expect(await runResource(policy, roleBinding({ roleName, crnPattern }))).toEqual([]);
  });

  it("reports an organization role bound to an environment", async () => {
    expect(
      await runResource(policy, roleBinding({ roleName: "OrganizationAdmin", crnPattern: ENV_CRN })),
    ).toEqual([
      'OrganizationAdmin is granted on the organization, but crnPattern ends at an environment ("environment=env-demo01"); ' +
        "point crnPattern at the organization instead.",
    ]);
  });

  it("reports an environment role bound to a cluster", async () => {
    expect(
      await runResource(policy, roleBinding({ roleName: "EnvironmentAdmin", crnPattern: CLUSTER_CRN })),
    ).toEqual([
      'EnvironmentAdmin is granted on an environment, but crnPattern ends at a Kafka cluster ("cloud-cluster=lkc-demo01"); ' +
        "point crnPattern at an environment instead.",
    ]);
  });

  it("reports a cluster role bound to a topic", async () => {
    expect(
      await runResource(policy, roleBinding({ roleName: "CloudClusterAdmin", crnPattern: TOPIC_CRN })),
    ).toEqual([
      'CloudClusterAdmin is granted on a Kafka cluster, but crnPattern ends at a topic ("topic=orders"); ' +
        "point crnPattern at a Kafka cluster instead.",
    ]);
  });

  it("reports a resource role bound to a cloud cluster", async () => {
    expect(
      await runResource(policy, roleBinding({ roleName: "DeveloperRead", crnPattern: CLUSTER_CRN })),
    ).toEqual([
      `DeveloperRead is granted on ${RESOURCE_TARGETS}, but crnPattern ends at a Kafka cluster ("cloud-cluster=lkc-demo01"); ` +
        `point crnPattern at ${RESOURCE_TARGETS} instead.`,
    ]);
  });

  it("reports a multi-scope role bound to a topic", async () => {
    expect(
      await runResource(policy, roleBinding({ roleName: "MetricsViewer", crnPattern: TOPIC_CRN })),
    ).toEqual([
      'MetricsViewer is granted on the organization, an environment or a Kafka cluster, but crnPattern ends at a topic ("topic=orders"); ' +
        "point crnPattern at the organization, an environment or a Kafka cluster instead.",
    ]);
  });

  it.each([
    // The binding the API itself creates for assigned_resource_owner (iam_v2.yaml).
    ["a service account", `crn://confluent.cloud/organization=${ORG}/service-account=sa-abc123`],
    ["an identity pool", `crn://confluent.cloud/organization=${ORG}/identity-pool=pool-Ab12`],
    [
      "an identity pool under its provider",
      `crn://confluent.cloud/organization=${ORG}/identity-provider=op-Ab12/identity-pool=pool-Ab12`,
    ],
    ["a certificate authority", `crn://confluent.cloud/organization=${ORG}/certificate-authority=op-12345`],
    [
      "a certificate identity pool",
      `crn://confluent.cloud/organization=${ORG}/certificate-identity-pool=pool-12345`,
    ],
  ])("passes ResourceOwner on %s (false positive of issue 23)", async (_label, crnPattern) => {
    expect(await runResource(policy, roleBinding({ roleName: "ResourceOwner", crnPattern }))).toEqual([]);
  });

  it("still reports DeveloperWrite on a service account", async () => {
    const crnPattern = `crn://confluent.cloud/organization=${ORG}/service-account=sa-abc123`;
    expect(await runResource(policy, roleBinding({ roleName: "DeveloperWrite", crnPattern }))).toEqual([
      `DeveloperWrite is granted on ${RESOURCE_TARGETS}, but crnPattern ends at a service account ("service-account=sa-abc123"); ` +
        `point crnPattern at ${RESOURCE_TARGETS} instead.`,
    ]);
  });

  it("leaves unknown roles, malformed CRNs and unknown values to the other policies", async () => {
    expect(await runResource(policy, roleBinding({ roleName: "OrgAdmin", crnPattern: ENV_CRN }))).toEqual([]);
    expect(
      await runResource(policy, roleBinding({ roleName: "EnvironmentAdmin", crnPattern: "crn://x" })),
    ).toEqual([]);
    expect(await runResource(policy, roleBinding({ roleName: UNKNOWN, crnPattern: ENV_CRN }))).toEqual([]);
    expect(
      await runResource(policy, roleBinding({ roleName: "OrganizationAdmin", crnPattern: UNKNOWN })),
    ).toEqual([]);
  });
});
