// A provider integration lets Confluent (connectors, for instance) assume an IAM role in your AWS account.
// Confluent answers with its own IAM role and an external id: put both in the role's trust policy.
import * as pulumi from "@pulumi/pulumi";
import * as confluentcloud from "pulumi-confluent-iam";

const config = new pulumi.Config();
const environmentId = config.get("environmentId") ?? "env-demo01";
const customerRoleArn = config.get("customerRoleArn") ?? "arn:aws:iam::123456789012:role/confluent-s3-sink";

const integration = new confluentcloud.ProviderIntegration("s3-sink-role", {
  displayName: config.get("displayName") ?? "s3-sink-role",
  environment: { id: environmentId },
  aws: { customerRoleArn },
});

export const integrationId = integration.id;
// For the trust policy of customerRoleArn: the principal Confluent uses and the external id it sends.
export const confluentIamRoleArn = integration.aws.apply((a) => a.iamRoleArn);
export const externalId = integration.aws.apply((a) => a.externalId);
