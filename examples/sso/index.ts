// Access by directory group. People sign in to Confluent Cloud with single sign-on; a group mapping turns
// everyone whose SSO login carries a group claim into one principal. The same directory also issues OAuth
// tokens to the teams' workloads: the corporate identity provider is trusted once, and each group gets an
// identity pool for its workloads. Each group's people and workloads get the group's role bindings.
//
// The environments and the organization are looked up by name (getEnvironmentOutput, getOrganizationOutput),
// so the program pastes no id: the CRNs come from the lookups' `resourceName`.
import * as pulumi from "@pulumi/pulumi";
import * as confluentcloud from "pulumi-confluent-iam";

const config = new pulumi.Config();
const organization = confluentcloud.getOrganizationOutput();
const prod = confluentcloud.getEnvironmentOutput({ displayName: config.get("prodEnvironment") ?? "prod" });
const dev = confluentcloud.getEnvironmentOutput({ displayName: config.get("devEnvironment") ?? "demo" });

const directory = new confluentcloud.IdentityProvider("corporate-directory", {
  displayName: "corporate-directory",
  description: "Corporate directory (OIDC) for workloads",
  issuer: config.get("issuer") ?? "https://login.example.com/tenant-1/v2.0",
  jwksUri: config.get("jwksUri") ?? "https://login.example.com/tenant-1/discovery/v2.0/keys",
});

/** A directory group: the claim value it has in SSO logins and tokens, and its roles on CRNs. */
interface Group {
  name: string;
  claim: string;
  roles: { role: string; on: string; crn: pulumi.Input<string> }[];
}

const groups: Group[] = [
  {
    name: "platform-engineers",
    claim: config.get("platformGroup") ?? "platform-engineers",
    roles: [
      { role: "EnvironmentAdmin", on: "prod", crn: prod.resourceName },
      { role: "MetricsViewer", on: "org", crn: organization.resourceName },
    ],
  },
  {
    name: "developers",
    claim: config.get("developersGroup") ?? "developers",
    roles: [
      { role: "EnvironmentAdmin", on: "dev", crn: dev.resourceName },
      { role: "DataDiscovery", on: "prod", crn: prod.resourceName },
    ],
  },
];

export const groupPrincipals: Record<string, pulumi.Output<string>> = {};

for (const group of groups) {
  const people = new confluentcloud.GroupMapping(group.name, {
    displayName: group.name,
    description: `People of the ${group.claim} directory group (SSO)`,
    filter: `"${group.claim}" in groups`,
  });
  const workloads = new confluentcloud.IdentityPool(`${group.name}-workloads`, {
    identityProvider: { id: directory.id },
    displayName: `${group.name}-workloads`,
    description: `Workloads of the ${group.claim} directory group (OAuth)`,
    identityClaim: "claims.sub",
    filter: `"${group.claim}" in claims.groups`,
  });
  for (const [who, principal] of [
    ["people", pulumi.interpolate`User:${people.id}`],
    ["workloads", pulumi.interpolate`User:${workloads.id}`],
  ] as const) {
    for (const { role, on, crn } of group.roles) {
      new confluentcloud.RoleBinding(`${group.name}-${who}-${role}-${on}`, {
        principal,
        roleName: role,
        crnPattern: crn,
      });
    }
  }
  groupPrincipals[group.name] = pulumi.interpolate`User:${people.id}`;
}

export const identityProviderId = directory.id;
export const prodEnvironmentId = prod.id;
