// Mutual TLS: trust a certificate authority, sort the client certificates it signs into certificate pools
// by a CEL filter over the certificate, and grant each pool what its clients need. Rotating the CA is
// pointing `certificateFile` at the new chain: one PUT, the pools and bindings stay.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as confluentcloud from "pulumi-confluent-iam";

const config = new pulumi.Config();
const organizationId = config.get("organizationId") ?? "b0b0cafe-0000-4000-8000-000000000001";
const environmentId = config.get("environmentId") ?? "env-demo01";
const kafkaClusterId = config.get("kafkaClusterId") ?? "lkc-demo01";
// The CA's PEM chain, next to this file (ca.pem and ca-next.pem here are fake, self-signed test certificates).
const certificateFile = config.get("certificateFile") ?? "ca.pem";

const ca = new confluentcloud.CertificateAuthority("payments-ca", {
  displayName: "payments-ca",
  description: "Signs the client certificates of the payment services",
  // A secret: the class stores it encrypted in the state, and it is never printed.
  certificateChain: fs.readFileSync(path.join(__dirname, certificateFile), "utf8"),
  certificateChainFilename: certificateFile,
});

const topic = (name: string): string =>
  `crn://confluent.cloud/organization=${organizationId}/environment=${environmentId}/cloud-cluster=${kafkaClusterId}/kafka=${kafkaClusterId}/topic=${name}`;

const services = new confluentcloud.CertificatePool("payments-services", {
  certificateAuthority: { id: ca.id },
  displayName: "payments-services",
  description: "The payment services' producers",
  externalIdentifier: "CN",
  filter: `OU == "payments" && CN.startsWith("svc-")`,
});

const auditors = new confluentcloud.CertificatePool("payments-auditors", {
  certificateAuthority: { id: ca.id },
  displayName: "payments-auditors",
  description: "Read-only audit jobs",
  externalIdentifier: "CN",
  filter: `OU == "audit"`,
});

// A pool is a principal: `User:<pool id>`.
const servicesWrite = new confluentcloud.RoleBinding("payments-services-write", {
  principal: pulumi.interpolate`User:${services.principal}`,
  roleName: "DeveloperWrite",
  crnPattern: topic("payments"),
});

const auditorsRead = new confluentcloud.RoleBinding("payments-auditors-read", {
  principal: pulumi.interpolate`User:${auditors.principal}`,
  roleName: "DeveloperRead",
  crnPattern: topic("payments"),
});

export const certificateAuthorityId = ca.id;
export const fingerprints = ca.fingerprints;
export const expirationDates = ca.expirationDates;
export const poolIds = [services.id, auditors.id];
export const roleBindingIds = [servicesWrite.id, auditorsRead.id];
