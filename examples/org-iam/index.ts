// Organization IAM: one service account per team application, Kafka API keys for the applications that
// talk to the cluster, role bindings at organization, environment, cluster and topic scope, an invitation
// for a new engineer, and an IP filter that limits management access to the office networks.
import * as pulumi from "@pulumi/pulumi";
import * as confluentcloud from "pulumi-confluent-iam";

const config = new pulumi.Config();
const organizationId = config.get("organizationId") ?? "b0b0cafe-0000-4000-8000-000000000001";
const environmentId = config.get("environmentId") ?? "env-demo01";
const kafkaClusterId = config.get("kafkaClusterId") ?? "lkc-demo01";
const inviteEmail = config.get("inviteEmail") ?? "new.engineer@example.com";
const officeCidrs = config.getObject<string[]>("officeCidrs") ?? ["192.0.2.0/24"];
// Descriptions are config so the team can reword them; changing one updates the account in place.
const ordersDescription = config.get("ordersDescription") ?? "Orders service: produces to orders";
// The analytics team's read access to the orders topic; set to false to revoke it (the binding is deleted).
const analyticsReadsOrders = config.getBoolean("analyticsReadsOrders") ?? true;

const orgCrn = `crn://confluent.cloud/organization=${organizationId}`;
const envCrn = `${orgCrn}/environment=${environmentId}`;
const clusterCrn = `${envCrn}/cloud-cluster=${kafkaClusterId}`;
const topicCrn = (topic: string): string => `${clusterCrn}/kafka=${kafkaClusterId}/topic=${topic}`;

const platform = new confluentcloud.ServiceAccount("platform", {
  displayName: "platform-automation",
  description: "Platform team automation",
});
const orders = new confluentcloud.ServiceAccount("orders", {
  displayName: "orders-service",
  description: ordersDescription,
});
const analytics = new confluentcloud.ServiceAccount("analytics", {
  displayName: "analytics-service",
  description: "Analytics: reads orders",
});

// Kafka API keys are scoped to one cluster (managedResource); the secret is a secret output.
const kafkaKey = (name: string, owner: confluentcloud.ServiceAccount): confluentcloud.ApiKey =>
  new confluentcloud.ApiKey(name, {
    displayName: `${name}`,
    description: `Kafka API key for ${name.replace(/-kafka-key$/, "")}`,
    owner: { id: owner.id, apiVersion: owner.apiVersion, kind: owner.kind },
    managedResource: {
      id: kafkaClusterId,
      apiVersion: "cmk/v2",
      kind: "Cluster",
      environment: { id: environmentId },
    },
  });
const ordersKey = kafkaKey("orders-kafka-key", orders);
const analyticsKey = kafkaKey("analytics-kafka-key", analytics);

const bind = (name: string, sa: confluentcloud.ServiceAccount, roleName: string, crnPattern: string) =>
  new confluentcloud.RoleBinding(name, {
    principal: pulumi.interpolate`User:${sa.id}`,
    roleName,
    crnPattern,
  });

bind("platform-metrics-viewer", platform, "MetricsViewer", orgCrn); // organization scope
bind("platform-env-admin", platform, "EnvironmentAdmin", envCrn); // environment scope
bind("orders-cluster-operator", orders, "CloudClusterOperator", clusterCrn); // cluster scope
bind("orders-write-orders", orders, "DeveloperWrite", topicCrn("orders")); // topic scope
if (analyticsReadsOrders) bind("analytics-read-orders", analytics, "DeveloperRead", topicCrn("orders"));

const invitation = new confluentcloud.Invitation("new-engineer", {
  email: inviteEmail,
  authType: "AUTH_TYPE_LOCAL",
  allowDeletion: true,
});

const office = new confluentcloud.IpGroup("office", {
  groupName: "office-networks",
  cidrBlocks: officeCidrs,
});
const officeOnly = new confluentcloud.IpFilter("management-from-office", {
  filterName: "management-from-office",
  resourceGroup: "management",
  ipGroups: [office.id],
});

export const serviceAccountIds = { platform: platform.id, orders: orders.id, analytics: analytics.id };
export const ordersKafkaKeyId = ordersKey.id;
export const ordersKafkaKeySecret = pulumi.secret(ordersKey.secret);
export const analyticsKafkaKeyId = analyticsKey.id;
export const invitationId = invitation.id;
export const ipFilterId = officeOnly.id;
