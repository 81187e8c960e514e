// Quickstart: a service account for an application, a Cloud API key it owns, and a role binding that lets it
// manage one environment. Ported from @pulumi/confluentcloud by changing the import line only.
import * as pulumi from "@pulumi/pulumi";
import * as confluentcloud from "pulumi-confluent-iam";

const config = new pulumi.Config();
// Defaults are the local emulator's seed (npm run emulator); set your own with `pulumi config set`.
const organizationId = config.get("organizationId") ?? "b0b0cafe-0000-4000-8000-000000000001";
const environmentId = config.get("environmentId") ?? "env-demo01";
const description = config.get("description") ?? "Runs the orders application";

const app = new confluentcloud.ServiceAccount("app", {
  displayName: "orders-app",
  description,
});

// A Cloud API key (no managedResource) owned by the service account. Its secret is only ever returned by
// the create call; the SDK marks it secret so it is encrypted in state and masked in output.
const appKey = new confluentcloud.ApiKey("app-cloud-key", {
  displayName: "orders-app-cloud-key",
  description: "Cloud API key for the orders application",
  owner: { id: app.id, apiVersion: app.apiVersion, kind: app.kind },
});

const envAdmin = new confluentcloud.RoleBinding("app-environment-admin", {
  principal: pulumi.interpolate`User:${app.id}`,
  roleName: "EnvironmentAdmin",
  crnPattern: `crn://confluent.cloud/organization=${organizationId}/environment=${environmentId}`,
});

export const serviceAccountId = app.id;
export const apiKeyId = appKey.id;
export const apiKeySecret = pulumi.secret(appKey.secret);
export const roleBindingId = envAdmin.id;
