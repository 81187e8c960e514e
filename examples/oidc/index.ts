// Workload identity with OAuth: trust an OIDC identity provider, map the tokens of one application to an
// identity pool, and let that pool read a topic. `jwksRefreshTrigger` makes Confluent fetch the provider's
// signing keys again when it changes (for instance after the identity provider rotated them).
import * as pulumi from "@pulumi/pulumi";
import * as confluentcloud from "pulumi-confluent-iam";

const config = new pulumi.Config();
const organizationId = config.get("organizationId") ?? "b0b0cafe-0000-4000-8000-000000000001";
const environmentId = config.get("environmentId") ?? "env-demo01";
const kafkaClusterId = config.get("kafkaClusterId") ?? "lkc-demo01";
const issuer = config.get("issuer") ?? "https://login.example.com/tenant-1/v2.0";
const jwksUri = config.get("jwksUri") ?? "https://login.example.com/tenant-1/discovery/v2.0/keys";
// Bump this (e.g. to today's date) to refresh the JWKS; an unchanged value sends nothing.
const jwksRefreshTrigger = config.get("jwksRefreshTrigger") ?? "initial";

const idp = new confluentcloud.IdentityProvider("corporate-idp", {
  displayName: "corporate-idp",
  description: config.get("idpDescription") ?? "Corporate OIDC provider",
  issuer,
  jwksUri,
  jwksRefreshTrigger,
});

const pool = new confluentcloud.IdentityPool("orders-readers", {
  identityProvider: { id: idp.id },
  displayName: "orders-readers",
  description: "Workloads of the reporting application",
  identityClaim: "claims.sub",
  filter: `claims.aud == "confluent" && claims.app == "reporting"`,
});

const readOrders = new confluentcloud.RoleBinding("orders-readers-read-orders", {
  principal: pulumi.interpolate`User:${pool.id}`,
  roleName: "DeveloperRead",
  crnPattern: `crn://confluent.cloud/organization=${organizationId}/environment=${environmentId}/cloud-cluster=${kafkaClusterId}/kafka=${kafkaClusterId}/topic=orders`,
});

export const identityProviderId = idp.id;
export const identityPoolId = pool.id;
export const jwksStatus = idp.jwksStatus;
export const roleBindingId = readOrders.id;
