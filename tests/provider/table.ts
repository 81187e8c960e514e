/**
 * The scenario table: one small entry per object. Adding an object = one spec, one SDK class, one entry.
 */
import * as sdk from "pulumi-confluent-iam";
import type { EmulatorApi } from "./support/emulator-api";
import type { ScenarioEntry } from "./support/scenario";

export const ORG = "b0b0cafe-0000-4000-8000-000000000001";
const CLUSTER_CRN = `crn://confluent.cloud/organization=${ORG}/environment=env-demo01/cloud-cluster=lkc-demo01`;

/** Makes a service account through the REST API (a prerequisite, not the object under test). */
async function makeServiceAccount(api: EmulatorApi, name: string): Promise<string> {
  const sa = (await api.ok("POST", "/iam/v2/service-accounts", { display_name: name })) as { id: string };
  return sa.id;
}

export const serviceAccount: ScenarioEntry = {
  kind: "ServiceAccount",
  register: () => new sdk.ServiceAccount("sa", { displayName: "x" }),
  inputs: (_d, tag) => ({ displayName: `ci-deployer-${tag}`, description: "deploys from CI" }),
  invalid: {
    inputs: () => ({ displayName: "x".repeat(70), descripton: "typo" }),
    failures: [
      { property: "displayName", reason: "must be at most 64 characters (got 70); shorten it" },
      {
        property: "descripton",
        reason: "is not a property of ServiceAccount; remove it or correct its spelling",
      },
    ],
  },
  created: () => ({ description: "deploys from CI", kind: "ServiceAccount", apiVersion: "iam/v2" }),
  update: {
    change: () => ({ description: "deploys from CI, v2" }),
    expect: { description: "deploys from CI, v2" },
  },
  createPath: "/iam/v2/service-accounts",
  itemPath: (id) => `/iam/v2/service-accounts/${id}`,
  dump: { table: "service_accounts", unique: (r) => String(r.display_name) },
};

export const apiKey: ScenarioEntry = {
  kind: "ApiKey",
  register: () => new sdk.ApiKey("k", { owner: { id: "sa-x" } }),
  prepare: async (api) => ({ sa: await makeServiceAccount(api, `key-owner-${Date.now()}`) }),
  inputs: (d, tag) => ({
    displayName: `ci-key-${tag}`,
    description: "CI Cloud key",
    owner: { id: d.sa, apiVersion: "iam/v2", kind: "ServiceAccount" },
  }),
  invalid: {
    inputs: () => ({ displayName: 5, owner: {}, disableWaitForReady: "yes" }),
    failures: [
      { property: "displayName", reason: "must be a string (got number 5); change it to a string" },
      { property: "owner.id", reason: "is required; set it to a string" },
      { property: "disableWaitForReady", reason: 'must be a boolean (got "yes"); change it to a boolean' },
    ],
  },
  created: (d, tag) => ({
    displayName: `ci-key-${tag}`,
    owner: { id: d.sa, apiVersion: "iam/v2", kind: "ServiceAccount" },
  }),
  // The readiness wait: one GET of the key with the key's own credentials.
  createExtraCalls: (id) => [`GET /iam/v2/api-keys/${id}`],
  update: {
    change: () => ({ description: "CI Cloud key, renamed" }),
    expect: { description: "CI Cloud key, renamed" },
  },
  providerOnly: { disableWaitForReady: true },
  replace: {
    change: () => ({
      managedResource: {
        id: "lkc-demo01",
        apiVersion: "cmk/v2",
        kind: "Cluster",
        environment: { id: "env-demo01" },
      },
    }),
    replaces: ["managedResource"],
  },
  createPath: "/iam/v2/api-keys",
  itemPath: (id) => `/iam/v2/api-keys/${id}`,
  dump: { table: "api_keys", unique: (r) => String(r.id) },
  secretOutputs: ["secret"],
};

export const roleBinding: ScenarioEntry = {
  kind: "RoleBinding",
  register: () => new sdk.RoleBinding("rb", { principal: "User:x", roleName: "r", crnPattern: "crn://x" }),
  prepare: async (api) => ({ sa: await makeServiceAccount(api, `rb-principal-${Date.now()}`) }),
  inputs: (d, tag) => ({
    principal: `User:${d.sa}`,
    roleName: tag.endsWith("2") ? "DeveloperRead" : "CloudClusterAdmin",
    crnPattern: tag.startsWith("f") ? `${CLUSTER_CRN}/topic=t-${tag}` : CLUSTER_CRN,
  }),
  invalid: {
    inputs: () => ({ principal: "sa-123", roleName: "", crnPattern: "confluent.cloud/organization=x" }),
    failures: [
      {
        property: "principal",
        reason: 'must be "User:<id>" or "Group:<id>" (e.g. "User:sa-abc123"); add the prefix',
      },
      { property: "roleName", reason: "must not be empty; set a non-empty value" },
      {
        property: "crnPattern",
        reason:
          "must be a CRN starting with crn:// (e.g. crn://confluent.cloud/organization=…); fix the pattern",
      },
    ],
  },
  created: (d) => ({ principal: `User:${d.sa}`, roleName: "CloudClusterAdmin" }),
  providerOnly: { disableWaitForReady: true },
  replace: { change: () => ({ roleName: "DeveloperManage" }), replaces: ["roleName"] },
  equivalent: (_d, i) => ({
    crnPattern: String(i.crnPattern).replace("crn://", "crn%3A%2F%2F").replace(/=/g, "%3D"),
  }),
  createPath: "/iam/v2/role-bindings",
  itemPath: (id) => `/iam/v2/role-bindings/${id}`,
  dump: {
    table: "role_bindings",
    unique: (r) => `${String(r.principal)} ${String(r.role_name)} ${String(r.crn_pattern)}`,
  },
};

export const ipGroup: ScenarioEntry = {
  kind: "IpGroup",
  register: () => new sdk.IpGroup("g", { groupName: "g", cidrBlocks: ["10.0.0.0/8"] }),
  inputs: (_d, tag) => ({ groupName: `corp-${tag}`, cidrBlocks: ["10.0.0.0/24", "10.0.1.0/24"] }),
  invalid: {
    inputs: () => ({ groupName: "", cidrBlocks: ["10.0.0.0/33"] }),
    failures: [
      { property: "groupName", reason: "must not be empty; set a non-empty value" },
      {
        property: "cidrBlocks[0]",
        reason: "must be a CIDR block such as 192.168.0.0/24; fix the address or mask",
      },
    ],
  },
  created: (_d, tag) => ({ groupName: `corp-${tag}`, cidrBlocks: ["10.0.0.0/24", "10.0.1.0/24"] }),
  update: {
    change: () => ({ cidrBlocks: ["10.0.0.0/24", "10.0.2.0/24"] }),
    expect: { cidrBlocks: ["10.0.0.0/24", "10.0.2.0/24"] },
  },
  equivalent: () => ({ cidrBlocks: ["10.0.1.0/24", "10.0.0.0/24"] }),
  createPath: "/iam/v2/ip-groups",
  itemPath: (id) => `/iam/v2/ip-groups/${id}`,
  dump: { table: "ip_groups", unique: (r) => String(r.group_name) },
};

export const ipFilter: ScenarioEntry = {
  kind: "IpFilter",
  register: () =>
    new sdk.IpFilter("f", { filterName: "f", resourceGroup: "management", ipGroups: ["ipg-x"] }),
  prepare: async (api) => {
    const g = (await api.ok("POST", "/iam/v2/ip-groups", {
      group_name: `filter-src-${Date.now()}`,
      cidr_blocks: ["192.168.0.0/24"],
    })) as { id: string };
    const g2 = (await api.ok("POST", "/iam/v2/ip-groups", {
      group_name: `filter-src2-${Date.now()}`,
      cidr_blocks: ["192.168.1.0/24"],
    })) as { id: string };
    return { g: g.id, g2: g2.id };
  },
  inputs: (d, tag) => ({
    filterName: `filter ${tag}`,
    resourceGroup: "multiple",
    ipGroups: [d.g, d.g2],
    operationGroups: ["MANAGEMENT", "SCHEMA"],
    resourceScope: `crn://confluent.cloud/organization=${ORG}`,
  }),
  invalid: {
    inputs: () => ({ filterName: "f", resourceGroup: "everything", ipGroups: [] }),
    failures: [
      {
        property: "resourceGroup",
        reason: 'must be one of "management", "multiple" (got "everything"); use one of them',
      },
      { property: "ipGroups", reason: "must list at least 1 item (got 0); add one" },
    ],
  },
  created: (d, tag) => ({ filterName: `filter ${tag}`, resourceGroup: "multiple", ipGroups: [d.g, d.g2] }),
  update: { change: () => ({ filterName: "filter renamed" }), expect: { filterName: "filter renamed" } },
  replace: {
    change: () => ({ resourceScope: `crn://confluent.cloud/organization=${ORG}/environment=env-demo01` }),
    replaces: ["resourceScope"],
  },
  equivalent: (d) => ({ ipGroups: [d.g2, d.g], operationGroups: ["SCHEMA", "MANAGEMENT"] }),
  createPath: "/iam/v2/ip-filters",
  itemPath: (id) => `/iam/v2/ip-filters/${id}`,
  dump: { table: "ip_filters", unique: (r) => String(r.filter_name) },
};

export const invitation: ScenarioEntry = {
  kind: "Invitation",
  register: () => new sdk.Invitation("i", { email: "x@example.com" }),
  inputs: (_d, tag) => ({ email: `new-hire-${tag}@example.com` }),
  invalid: {
    inputs: () => ({ email: "not-an-email", authType: "PASSWORD" }),
    failures: [
      { property: "email", reason: "must be an email address such as dev@example.com; fix it" },
      {
        property: "authType",
        reason: 'must be one of "AUTH_TYPE_LOCAL", "AUTH_TYPE_SSO" (got "PASSWORD"); use one of them',
      },
    ],
  },
  created: (_d, tag) => ({ email: `new-hire-${tag}@example.com`, status: "INVITE_STATUS_SENT" }),
  providerOnly: { allowDeletion: true },
  replace: { change: () => ({ email: "someone-else@example.com" }), replaces: ["email"] },
  createPath: "/iam/v2/invitations",
  itemPath: (id) => `/iam/v2/invitations/${id}`,
  dump: { table: "invitations", unique: (r) => String(r.email) },
};

export const user: ScenarioEntry = {
  kind: "User",
  register: () => new sdk.User("u", {}),
  inputs: () => ({ fullName: "Demo Developer" }),
  invalid: {
    inputs: () => ({ fullName: 5, email: "x@example.com" }),
    failures: [
      { property: "fullName", reason: "must be a string (got number 5); change it to a string" },
      { property: "email", reason: "is not a property of User; remove it or correct its spelling" },
    ],
  },
  created: () => ({}),
  existing: { id: () => "u-demo02", createError: "Users cannot be created through the Confluent Cloud API" },
  update: {
    change: () => ({ fullName: "Demo Dev" }),
    expect: { fullName: "Demo Dev", email: "dev@example.com" },
  },
  createPath: "/iam/v2/users",
  itemPath: (id) => `/iam/v2/users/${id}`,
  dump: { table: "users", unique: (r) => String(r.email) },
};

/** Every entry, in the order the scenarios run. */
export const table: ScenarioEntry[] = [
  serviceAccount,
  apiKey,
  roleBinding,
  ipGroup,
  ipFilter,
  invitation,
  user,
];
