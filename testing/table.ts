/**
 * The fixture table: one small entry per object, shared by the tests (scenarios, faults, adoption,
 * serialization) and the calls-per-operation benchmark (bench/fixtures.ts). Adding an object = one spec, one
 * SDK class, one entry (tests/invariants.test.ts names what is missing).
 */
import { X509Certificate } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as sdk from "pulumi-confluent-iam";
import { unwrapSecrets, type PropertyMap } from "../protocol";
import type { EmulatorApi } from "./emulator-api";
import type { ScenarioEntry } from "./scenario";

export const ORG = "b0b0cafe-0000-4000-8000-000000000001";
const CLUSTER_CRN = `crn://confluent.cloud/organization=${ORG}/environment=env-demo01/cloud-cluster=lkc-demo01`;

/**
 * What the error of a key create with an unknown outcome tells the user to do: list the owner's keys,
 * delete a key that was created without its secret reaching us, run up again.
 */
async function deleteKeysNamed(api: EmulatorApi, owner: string, name: unknown): Promise<void> {
  const list = (await api.ok("GET", `/iam/v2/api-keys?spec.owner=${owner}&page_size=100`)) as {
    data: { id: string; spec: { display_name: string } }[];
  };
  for (const k of list.data) {
    if (k.spec.display_name === name) await api.ok("DELETE", `/iam/v2/api-keys/${k.id}`);
  }
}

/** Makes a service account through the REST API (a prerequisite, not the object under test). */
async function makeServiceAccount(api: EmulatorApi, name: string): Promise<string> {
  const sa = (await api.ok("POST", "/iam/v2/service-accounts", { display_name: name })) as { id: string };
  return sa.id;
}

/** POSTs an object through the REST API (out of band) and returns its id. */
async function posted(api: EmulatorApi, path: string, body: unknown): Promise<string> {
  return ((await api.ok("POST", path, body)) as { id: string }).id;
}

export const serviceAccount: ScenarioEntry = {
  kind: "ServiceAccount",
  register: (opts) => new sdk.ServiceAccount("sa", { displayName: "x" }, opts),
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
  adopt: {
    noun: "service account",
    format: "sa-…",
    make: (api, _d, i) =>
      posted(api, "/iam/v2/service-accounts", { display_name: i.displayName, description: i.description }),
    missing: () => ({ importId: "sa-nope00", path: "/iam/v2/service-accounts/sa-nope00" }),
  },
  createPath: "/iam/v2/service-accounts",
  itemPath: (id) => `/iam/v2/service-accounts/${id}`,
  dump: { table: "service_accounts", unique: (r) => String(r.display_name) },
  bench: {
    state: { name: "sa", args: (tag) => ({ displayName: `size-${tag}-sa`, description: "state size" }) },
  },
};

export const apiKey: ScenarioEntry = {
  kind: "ApiKey",
  register: (opts) => new sdk.ApiKey("k", { owner: { id: "sa-x" } }, opts),
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
  // The readiness wait: one call of a route any Cloud key may call, with the key's own credentials.
  createExtraCalls: () => ["GET /org/v2/environments"],
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
  adopt: {
    noun: "API key",
    format: "<keyId> or <envId>/<keyId>",
    make: (api, d, i) =>
      posted(api, "/iam/v2/api-keys", {
        spec: { display_name: i.displayName, description: i.description, owner: { id: d.sa } },
      }),
    // A missing key answers 403 (the API hides existence).
    missing: () => ({ importId: "NOSUCHKEY0000000", path: "/iam/v2/api-keys/NOSUCHKEY0000000" }),
    replaceMismatch: () => 'managedResource is not set but the program declares "lkc-demo01"',
  },
  createPath: "/iam/v2/api-keys",
  itemPath: (id) => `/iam/v2/api-keys/${id}`,
  dump: { table: "api_keys", unique: (r) => String(r.id) },
  secretOutputs: ["secret"],
  recoverCreate: (api, d, inputs) => deleteKeysNamed(api, d.sa ?? "", inputs.displayName),
  // The benchmark replaces the key by a new owner: a Cloud key again, so its replace makes the same one
  // readiness call as its create (a cluster key's wait looks its cluster up first).
  bench: {
    prepare: async (api) => ({ sa2: await makeServiceAccount(api, `key-owner-2-${Date.now()}`) }),
    replace: (d) => ({ owner: { id: d.sa2, apiVersion: "iam/v2", kind: "ServiceAccount" } }),
    waitNote: "readiness: GET /org/v2/environments?page_size=1 with the new key until it is not 401",
    state: {
      name: "key",
      args: (tag, ref) => ({
        displayName: `size-${tag}-key`,
        description: "state size",
        owner: { id: ref("sa"), apiVersion: "iam/v2", kind: "ServiceAccount" },
        disableWaitForReady: true,
      }),
    },
  },
};

export const roleBinding: ScenarioEntry = {
  kind: "RoleBinding",
  register: (opts) =>
    new sdk.RoleBinding("rb", { principal: "User:x", roleName: "r", crnPattern: "crn://x" }, opts),
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
  adopt: {
    noun: "role binding",
    format: "rb-…",
    make: (api, _d, i) =>
      posted(api, "/iam/v2/role-bindings", {
        principal: i.principal,
        role_name: i.roleName,
        crn_pattern: i.crnPattern,
      }),
    // A missing binding answers 403 (flat envelope).
    missing: () => ({ importId: "rb-nope0", path: "/iam/v2/role-bindings/rb-nope0" }),
    replaceMismatch: () => 'roleName is "CloudClusterAdmin" but the program declares "DeveloperManage"',
  },
  createPath: "/iam/v2/role-bindings",
  itemPath: (id) => `/iam/v2/role-bindings/${id}`,
  dump: {
    table: "role_bindings",
    unique: (r) => `${String(r.principal)} ${String(r.role_name)} ${String(r.crn_pattern)}`,
  },
  bench: {
    state: {
      name: "rb",
      args: (_tag, ref) => ({
        principal: `User:${ref("sa")}`,
        roleName: "DeveloperRead",
        crnPattern: `${CLUSTER_CRN}/topic=size`,
      }),
    },
  },
};

export const ipGroup: ScenarioEntry = {
  kind: "IpGroup",
  register: (opts) => new sdk.IpGroup("g", { groupName: "g", cidrBlocks: ["10.0.0.0/8"] }, opts),
  inputs: (_d, tag) => ({ groupName: `corp-${tag}`, cidrBlocks: ["10.0.0.0/24", "10.0.1.0/24"] }),
  invalid: {
    inputs: () => ({ groupName: "", cidrBlocks: ["10.0.0.0/33"] }),
    failures: [
      { property: "groupName", reason: "must not be empty; set a non-empty value" },
      {
        property: "cidrBlocks[0]",
        reason:
          'must be a CIDR block such as 192.168.0.0/24 or 2001:db8::/32 (got "10.0.0.0/33"): the prefix ' +
          "length of an IPv4 block is a number from 0 to 32; fix it",
      },
    ],
  },
  created: (_d, tag) => ({ groupName: `corp-${tag}`, cidrBlocks: ["10.0.0.0/24", "10.0.1.0/24"] }),
  update: {
    change: () => ({ cidrBlocks: ["10.0.0.0/24", "10.0.2.0/24"] }),
    expect: { cidrBlocks: ["10.0.0.0/24", "10.0.2.0/24"] },
  },
  equivalent: () => ({ cidrBlocks: ["10.0.1.0/24", "10.0.0.0/24"] }),
  adopt: {
    noun: "IP group",
    format: "ipg-…",
    make: (api, _d, i) =>
      posted(api, "/iam/v2/ip-groups", { group_name: i.groupName, cidr_blocks: i.cidrBlocks }),
    missing: () => ({ importId: "ipg-nope0", path: "/iam/v2/ip-groups/ipg-nope0" }),
  },
  createPath: "/iam/v2/ip-groups",
  itemPath: (id) => `/iam/v2/ip-groups/${id}`,
  dump: { table: "ip_groups", unique: (r) => String(r.group_name) },
  bench: {
    state: {
      name: "group",
      args: (tag) => ({ groupName: `size-${tag}-group`, cidrBlocks: ["10.1.0.0/24"] }),
    },
  },
};

export const ipFilter: ScenarioEntry = {
  kind: "IpFilter",
  register: (opts) =>
    new sdk.IpFilter("f", { filterName: "f", resourceGroup: "management", ipGroups: ["ipg-x"] }, opts),
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
  // The 2025 spec lets a PATCH carry resource_scope: a new scope updates the filter in place.
  update: {
    change: () => ({
      filterName: "filter renamed",
      resourceScope: `crn://confluent.cloud/organization=${ORG}/environment=env-demo01`,
    }),
    expect: {
      filterName: "filter renamed",
      resourceScope: `crn://confluent.cloud/organization=${ORG}/environment=env-demo01`,
    },
  },
  equivalent: (d) => ({ ipGroups: [d.g2, d.g], operationGroups: ["SCHEMA", "MANAGEMENT"] }),
  adopt: {
    noun: "IP filter",
    format: "ipf-…",
    make: (api, _d, i) =>
      posted(api, "/iam/v2/ip-filters", {
        filter_name: i.filterName,
        resource_group: i.resourceGroup,
        resource_scope: i.resourceScope,
        operation_groups: i.operationGroups,
        ip_groups: (i.ipGroups as string[]).map((id) => ({ id })),
      }),
    missing: () => ({ importId: "ipf-nope0", path: "/iam/v2/ip-filters/ipf-nope0" }),
  },
  createPath: "/iam/v2/ip-filters",
  itemPath: (id) => `/iam/v2/ip-filters/${id}`,
  dump: { table: "ip_filters", unique: (r) => String(r.filter_name) },
  bench: {
    state: {
      name: "filter",
      args: (tag, ref) => ({
        filterName: `size-${tag}-filter`,
        resourceGroup: "multiple",
        ipGroups: [ref("group")],
        operationGroups: ["MANAGEMENT"],
        resourceScope: `crn://confluent.cloud/organization=${ORG}`,
      }),
    },
  },
};

export const invitation: ScenarioEntry = {
  kind: "Invitation",
  register: (opts) => new sdk.Invitation("i", { email: "x@example.com" }, opts),
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
  adopt: {
    noun: "invitation",
    format: "i-…",
    make: (api, _d, i) => posted(api, "/iam/v2/invitations", { email: i.email }),
    missing: () => ({ importId: "i-nope0", path: "/iam/v2/invitations/i-nope0" }),
    replaceMismatch: () =>
      'email is "new-hire-m1@example.com" but the program declares "someone-else@example.com"',
  },
  createPath: "/iam/v2/invitations",
  itemPath: (id) => `/iam/v2/invitations/${id}`,
  dump: { table: "invitations", unique: (r) => String(r.email) },
  bench: {
    state: { name: "invite", args: (tag) => ({ email: `size-${tag}@example.com` }) },
  },
};

export const user: ScenarioEntry = {
  kind: "User",
  register: (opts) => new sdk.User("u", {}, opts),
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
  adopt: {
    noun: "user",
    format: "u-…",
    // Users cannot be created: the seed's second user is the existing one.
    make: () => Promise.resolve("u-demo02"),
    missing: () => ({ importId: "u-nope00", path: "/iam/v2/users/u-nope00" }),
  },
  createPath: "/iam/v2/users",
  itemPath: (id) => `/iam/v2/users/${id}`,
  dump: { table: "users", unique: (r) => String(r.email) },
};

const ISSUER = "https://login.example.com/tenant-1/v2.0";
const JWKS = "https://login.example.com/common/discovery/v2.0/keys";

export const identityProvider: ScenarioEntry = {
  kind: "IdentityProvider",
  register: (opts) =>
    new sdk.IdentityProvider("op", { displayName: "x", issuer: ISSUER, jwksUri: JWKS }, opts),
  inputs: (_d, tag) => ({
    displayName: `corp-oidc-${tag}`,
    description: "corporate SSO",
    issuer: ISSUER,
    jwksUri: JWKS,
    identityClaim: "claims.sub",
  }),
  invalid: {
    inputs: () => ({ displayName: "", issuer: "login.example.com", jwksUri: JWKS, identityClaim: 7 }),
    failures: [
      { property: "displayName", reason: "must not be empty; set a non-empty value" },
      { property: "issuer", reason: "must be a URL such as https://login.example.com/v2.0; fix it" },
      { property: "identityClaim", reason: "must be a string (got number 7); change it to a string" },
    ],
  },
  created: (_d, tag) => ({ displayName: `corp-oidc-${tag}`, issuer: ISSUER, state: "ENABLED" }),
  update: {
    change: () => ({ issuer: "https://login.example.com/tenant-2/v2.0", description: "corporate SSO, v2" }),
    expect: { issuer: "https://login.example.com/tenant-2/v2.0", description: "corporate SSO, v2" },
  },
  providerOnly: { jwksRefreshTrigger: "keys rotated 2026-11" },
  // Only the JWKS refresh is sent, not a PATCH of the provider itself.
  providerOnlyEffect: {
    calls: (id) => [`PATCH /iam/v2/identity-providers/${id}/jwks`],
    expect: { jwksStatus: "REFRESHED", jwksRefreshTrigger: "keys rotated 2026-11" },
  },
  adopt: {
    noun: "identity provider",
    format: "op-…",
    make: (api, _d, i) =>
      posted(api, "/iam/v2/identity-providers", {
        display_name: i.displayName,
        description: i.description,
        issuer: i.issuer,
        jwks_uri: i.jwksUri,
        identity_claim: i.identityClaim,
      }),
    missing: () => ({ importId: "op-nope0", path: "/iam/v2/identity-providers/op-nope0" }),
  },
  createPath: "/iam/v2/identity-providers",
  itemPath: (id) => `/iam/v2/identity-providers/${id}`,
  dump: { table: "identity_providers", unique: (r) => String(r.display_name) },
  bench: {
    state: {
      name: "oidc",
      args: (tag) => ({
        displayName: `size-${tag}-oidc`,
        issuer: "https://login.example.com/tenant-1/v2.0",
        jwksUri: "https://login.example.com/common/discovery/v2.0/keys",
        identityClaim: "claims.sub",
      }),
    },
  },
};

const ENGINEERS = '"engineering" in claims.group';

export const groupMapping: ScenarioEntry = {
  kind: "GroupMapping",
  register: (opts) => new sdk.GroupMapping("gm", { displayName: "x", filter: ENGINEERS }, opts),
  inputs: (_d, tag) => ({
    displayName: `engineering-${tag}`,
    description: "engineers from SSO",
    filter: ENGINEERS,
  }),
  invalid: {
    inputs: () => ({ displayName: "", filter: "", descripton: "typo" }),
    failures: [
      { property: "displayName", reason: "must not be empty; set a non-empty value" },
      { property: "filter", reason: "must not be empty; set a non-empty value" },
      {
        property: "descripton",
        reason: "is not a property of GroupMapping; remove it or correct its spelling",
      },
    ],
  },
  created: (_d, tag) => ({ displayName: `engineering-${tag}`, filter: ENGINEERS, state: "ENABLED" }),
  update: {
    change: () => ({ filter: `${ENGINEERS} || "sre" in claims.group`, description: "engineers and SREs" }),
    expect: { filter: `${ENGINEERS} || "sre" in claims.group`, description: "engineers and SREs" },
  },
  adopt: {
    noun: "group mapping",
    format: "group-…",
    make: (api, _d, i) =>
      posted(api, "/iam/v2/sso/group-mappings", {
        display_name: i.displayName,
        description: i.description,
        filter: i.filter,
      }),
    missing: () => ({ importId: "group-nope0", path: "/iam/v2/sso/group-mappings/group-nope0" }),
  },
  createPath: "/iam/v2/sso/group-mappings",
  itemPath: (id) => `/iam/v2/sso/group-mappings/${id}`,
  dump: { table: "group_mappings", unique: (r) => String(r.display_name) },
  bench: {
    state: {
      name: "sso",
      args: (tag) => ({ displayName: `size-${tag}-sso`, filter: ENGINEERS }),
    },
  },
};

export const identityPool: ScenarioEntry = {
  kind: "IdentityPool",
  register: (opts) =>
    new sdk.IdentityPool(
      "pool",
      {
        identityProvider: { id: "op-x" },
        displayName: "x",
        identityClaim: "claims.sub",
        filter: "true",
      },
      opts,
    ),
  prepare: async (api) => {
    const mk = async (name: string) =>
      (
        (await api.ok("POST", "/iam/v2/identity-providers", {
          display_name: `${name}-${Date.now()}`,
          description: "",
          issuer: ISSUER,
          jwks_uri: JWKS,
        })) as { id: string }
      ).id;
    return { op: await mk("pool-parent"), op2: await mk("pool-parent-2") };
  },
  inputs: (d, tag) => ({
    identityProvider: { id: d.op },
    displayName: `release-engineering-${tag}`,
    description: "CI jobs of release engineering",
    identityClaim: "claims.sub",
    filter: 'claims.aud=="confluent" && claims.group!="invalid_group"',
  }),
  invalid: {
    inputs: () => ({ identityProvider: {}, displayName: "pool", identityClaim: "", filter: "" }),
    failures: [
      { property: "identityProvider.id", reason: "is required; set it to a string" },
      { property: "identityClaim", reason: "must not be empty; set a non-empty value" },
      { property: "filter", reason: "must not be empty; set a non-empty value" },
    ],
  },
  created: (d, tag) => ({
    identityProvider: { id: d.op },
    displayName: `release-engineering-${tag}`,
    identityClaim: "claims.sub",
  }),
  update: {
    change: () => ({ filter: 'claims.aud=="confluent"', identityClaim: "claims.email" }),
    expect: { filter: 'claims.aud=="confluent"', identityClaim: "claims.email" },
  },
  replace: { change: (d) => ({ identityProvider: { id: d.op2 } }), replaces: ["identityProvider"] },
  adopt: {
    noun: "identity pool",
    format: "op-…/pool-…",
    make: async (api, d, i) => {
      const id = await posted(api, `/iam/v2/identity-providers/${d.op}/identity-pools`, {
        display_name: i.displayName,
        description: i.description,
        identity_claim: i.identityClaim,
        filter: i.filter,
      });
      return `${d.op}/${id}`;
    },
    missing: (d) => ({
      importId: `${d.op}/pool-nope`,
      path: `/iam/v2/identity-providers/${d.op}/identity-pools/pool-nope`,
    }),
    replaceMismatch: (d) => `identityProvider is "${d.op}" but the program declares "${d.op2}"`,
  },
  createPath: (d) => `/iam/v2/identity-providers/${d.op}/identity-pools`,
  itemPath: (id, outs) =>
    `/iam/v2/identity-providers/${(outs.identityProvider as { id: string }).id}/identity-pools/${id}`,
  importId: (id, outs) => `${(outs.identityProvider as { id: string }).id}/${id}`,
  dump: { table: "identity_pools", unique: (r) => `${String(r.provider_id)} ${String(r.display_name)}` },
  bench: {
    state: {
      name: "pool",
      args: (tag, ref) => ({
        identityProvider: { id: ref("oidc") },
        displayName: `size-${tag}-pool`,
        identityClaim: "claims.sub",
        filter: 'claims.aud=="confluent"',
      }),
    },
  },
};

const ROLE = "arn:aws:iam::123456789012:role/confluent-s3-sink";

export const providerIntegration: ScenarioEntry = {
  kind: "ProviderIntegration",
  register: (opts) =>
    new sdk.ProviderIntegration(
      "pi",
      {
        displayName: "x",
        environment: { id: "env-x" },
        aws: { customerRoleArn: ROLE },
      },
      opts,
    ),
  inputs: (_d, tag) => ({
    displayName: `s3-sink-${tag}`,
    environment: { id: "env-demo01" },
    aws: { customerRoleArn: ROLE },
  }),
  invalid: {
    inputs: () => ({
      displayName: "x".repeat(61),
      environment: {},
      aws: { customerRoleArn: "confluent-role" },
    }),
    failures: [
      { property: "displayName", reason: "must be at most 60 characters (got 61); shorten it" },
      { property: "environment.id", reason: "is required; set it to a string" },
      {
        property: "aws.customerRoleArn",
        reason: "must be an IAM role ARN such as arn:aws:iam::123456789012:role/confluent-access; fix it",
      },
    ],
  },
  // The API answers these under `config`.
  created: (_d, tag) => ({
    displayName: `s3-sink-${tag}`,
    environment: { id: "env-demo01" },
    aws: {
      customerRoleArn: ROLE,
      iamRoleArn: expect.stringMatching(/^arn:aws:iam::\d{12}:role\/.+/) as unknown,
      externalId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
    },
    usages: [],
  }),
  replace: {
    change: () => ({ aws: { customerRoleArn: "arn:aws:iam::123456789012:role/other" } }),
    replaces: ["aws"],
  },
  adopt: {
    noun: "provider integration",
    format: "env-…/cspi-…",
    make: async (api, _d, i) => {
      const id = await posted(api, "/pim/v1/integrations", {
        display_name: i.displayName,
        provider: "AWS",
        config: {
          kind: "AwsIntegrationConfig",
          customer_iam_role_arn: (i.aws as { customerRoleArn: string }).customerRoleArn,
        },
        environment: i.environment,
      });
      return `env-demo01/${id}`;
    },
    missing: () => ({ importId: "env-demo01/cspi-nope0", path: "/pim/v1/integrations/cspi-nope0" }),
    replaceMismatch: () => `aws is "${ROLE}" but the program declares "arn:aws:iam::123456789012:role/other"`,
  },
  createPath: "/pim/v1/integrations",
  itemPath: (id) => `/pim/v1/integrations/${id}`,
  importId: (id) => `env-demo01/${id}`,
  outOfBandDelete: async (api, id) => {
    await api.ok("DELETE", `/pim/v1/integrations/${id}?environment=env-demo01`);
  },
  dump: { table: "integrations", unique: (r) => `${String(r.environment_id)} ${String(r.display_name)}` },
  bench: {
    state: {
      name: "integration",
      args: (tag) => ({
        displayName: `size-${tag}-s3`,
        environment: { id: "env-demo01" },
        aws: { customerRoleArn: "arn:aws:iam::123456789012:role/size" },
      }),
    },
  },
};

const KMS = "arn:aws:kms:us-west-2:123456789012:key";

export const byokKey: ScenarioEntry = {
  kind: "ByokKey",
  register: (opts) => new sdk.ByokKey("byok", { gcp: { keyId: "x" } }, opts),
  inputs: (_d, tag) => ({ displayName: `cluster key ${tag}`, aws: { keyArn: `${KMS}/key-${tag}` } }),
  invalid: {
    inputs: () => ({ aws: { keyArn: "alias/my-key" }, gcp: { keyId: "projects/p/keys/k" } }),
    failures: [
      {
        property: "aws.keyArn",
        reason: "must be an AWS KMS key ARN such as arn:aws:kms:us-west-2:123456789012:key/<key id>; fix it",
      },
      {
        property: "gcp",
        reason: "exactly one of aws, azure, gcp must be set (got aws, gcp); keep only the key's cloud",
      },
    ],
  },
  created: (_d, tag) => ({
    displayName: `cluster key ${tag}`,
    aws: { keyArn: `${KMS}/key-${tag}`, roles: [expect.stringMatching(/^arn:aws:iam::123456789012:role\//)] },
    provider: "AWS",
    state: "AVAILABLE",
  }),
  update: {
    change: () => ({ displayName: "cluster key, renamed" }),
    expect: { displayName: "cluster key, renamed" },
  },
  replace: { change: () => ({ aws: { keyArn: `${KMS}/another` } }), replaces: ["aws"] },
  adopt: {
    noun: "BYOK key",
    format: "cck-…",
    make: (api, _d, i) =>
      posted(api, "/byok/v1/keys", {
        display_name: i.displayName,
        key: { kind: "AwsKey", key_arn: (i.aws as { keyArn: string }).keyArn },
      }),
    missing: () => ({ importId: "cck-nope0", path: "/byok/v1/keys/cck-nope0" }),
    replaceMismatch: () =>
      `aws is {"keyArn":"${KMS}/key-m1"} but the program declares {"keyArn":"${KMS}/another"}`,
  },
  createPath: "/byok/v1/keys",
  itemPath: (id) => `/byok/v1/keys/${id}`,
  dump: { table: "byok_keys", unique: (r) => JSON.stringify(r.key) },
  bench: {
    state: {
      name: "byok",
      args: (tag) => ({
        displayName: `size-${tag}-byok`,
        aws: { keyArn: `arn:aws:kms:us-west-2:123456789012:key/size-${tag}` },
      }),
    },
  },
};

const ARM_ORG =
  "/subscriptions/00000000-0000-4000-8000-0000000000a1/resourceGroups/confluent-rg/providers/Microsoft.Confluent/organizations/confluent-org";

export const azureMarketplaceApiKey: ScenarioEntry = {
  kind: "AzureMarketplaceApiKey",
  register: (opts) =>
    new sdk.AzureMarketplaceApiKey(
      "az",
      {
        subscriptionId: "00000000-0000-4000-8000-0000000000a1",
        resourceGroupName: "rg",
        organizationName: "org",
        managedResource: { id: "lkc-x", environment: { id: "env-x" } },
      },
      opts,
    ),
  // The Azure AD token and the ARM endpoint come from the host's environment (see startHarness).
  inputs: (_d, tag) => ({
    subscriptionId: "00000000-0000-4000-8000-0000000000a1",
    resourceGroupName: "confluent-rg",
    organizationName: "confluent-org",
    managedResource: { id: "lkc-demo01", environment: { id: "env-demo01" } },
    displayName: `azure-kafka-${tag}`,
    description: "Kafka key through the Azure Marketplace",
  }),
  invalid: {
    inputs: () => ({
      subscriptionId: "sub-1",
      resourceGroupName: "",
      organizationName: "org",
      managedResource: { id: "lkc-demo01" },
      azureAccessToken: 5,
    }),
    failures: [
      {
        property: "subscriptionId",
        reason:
          "must be the Azure subscription id, a UUID such as 00000000-0000-0000-0000-000000000000; fix it",
      },
      {
        property: "resourceGroupName",
        reason:
          "must be an Azure resource group name: letters, digits and _ - . ( ), not ending in a period; fix it",
      },
      { property: "managedResource.environment", reason: "is required; set it to an object" },
      { property: "azureAccessToken", reason: "must be a string (got number 5); change it to a string" },
    ],
  },
  created: (_d, tag) => ({
    displayName: `azure-kafka-${tag}`,
    managedResource: { id: "lkc-demo01", environment: { id: "env-demo01" } },
    owner: { id: "u-demo01", kind: "User" },
    resourceKind: "Cluster",
    secret: expect.stringMatching(/^.{20,}$/) as unknown,
  }),
  replace: { change: () => ({ displayName: "azure-kafka-renamed" }), replaces: ["displayName"] },
  adopt: {
    noun: "Azure Marketplace API key",
    format:
      "/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Confluent/organizations/<org>/apiKeys/<keyId>",
    // Made through the Azure route, with the Azure AD token (as the Azure portal would).
    make: async (api, _d, i) => {
      const res = await fetch(
        `${api.emu.url}${ARM_ORG}/environments/env-demo01/clusters/lkc-demo01/createAPIKey?api-version=2024-07-01`,
        {
          method: "POST",
          headers: { authorization: `Bearer ${api.emu.azureToken}`, "content-type": "application/json" },
          body: JSON.stringify({ name: i.displayName, description: i.description }),
        },
      );
      if (res.status !== 200) throw new Error(`createAPIKey answered ${res.status}`);
      return `${ARM_ORG}/apiKeys/${((await res.json()) as { id: string }).id}`;
    },
    missing: () => ({
      importId: `${ARM_ORG}/apiKeys/NOSUCHKEY0000000`,
      path: `${ARM_ORG}/apiKeys/NOSUCHKEY0000000`,
    }),
    replaceMismatch: () => 'displayName is "azure-kafka-m1" but the program declares "azure-kafka-renamed"',
  },
  createPath: `${ARM_ORG}/environments/env-demo01/clusters/lkc-demo01/createAPIKey`,
  itemPath: (id) => `${ARM_ORG}/apiKeys/${id}`,
  importId: (id) => `${ARM_ORG}/apiKeys/${id}`,
  // The key lives in Confluent's API-key store: delete it there, with the Cloud API key.
  outOfBandDelete: async (api, id) => {
    await api.ok("DELETE", `/iam/v2/api-keys/${id}`);
  },
  dump: { table: "api_keys", unique: (r) => String(r.id) },
  secretOutputs: ["secret"],
  // The Marketplace key belongs to the organization's owner (the seed's first user).
  recoverCreate: (api, _d, inputs) => deleteKeysNamed(api, "u-demo01", inputs.displayName),
  bench: {
    state: {
      name: "azure-key",
      args: (tag) => ({
        subscriptionId: "00000000-0000-4000-8000-0000000000a1",
        resourceGroupName: "confluent-rg",
        organizationName: "confluent-org",
        managedResource: { id: "lkc-demo01", environment: { id: "env-demo01" } },
        displayName: `size-${tag}-azure`,
      }),
    },
  },
};

// pim/v2 provider integrations: the setup makes a DRAFT integration, the authorization validates and maps the
// customer's side onto it (emulator/objects/integrations-v2.ts).
const TENANT = "12345678-1234-4234-8234-123456789abc";
const OTHER_TENANT = "87654321-4321-4321-8321-cba987654321";

/** Makes a DRAFT pim/v2 integration through the REST API and returns its id. */
async function draftIntegration(api: EmulatorApi, name: string, cloud = "AZURE"): Promise<string> {
  const unique = `${name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  return posted(api, "/pim/v2/integrations", {
    display_name: unique,
    provider: cloud,
    environment: { id: "env-demo01" },
  });
}

export const providerIntegrationSetup: ScenarioEntry = {
  kind: "ProviderIntegrationSetup",
  register: (opts) =>
    new sdk.ProviderIntegrationSetup(
      "pis",
      { displayName: "x", cloud: "AZURE", environment: { id: "env-x" } },
      opts,
    ),
  inputs: (_d, tag) => ({ displayName: `azure-${tag}`, cloud: "AZURE", environment: { id: "env-demo01" } }),
  invalid: {
    inputs: () => ({ displayName: "x".repeat(61), cloud: "AWS", environment: {} }),
    failures: [
      { property: "displayName", reason: "must be at most 60 characters (got 61); shorten it" },
      {
        property: "cloud",
        reason: 'must be one of "AZURE", "GCP" (got "AWS"); use one of them',
      },
      { property: "environment.id", reason: "is required; set it to a string" },
    ],
  },
  created: (_d, tag) => ({
    displayName: `azure-${tag}`,
    cloud: "AZURE",
    environment: { id: "env-demo01" },
    status: "DRAFT",
    usages: [],
  }),
  replace: { change: () => ({ cloud: "GCP" }), replaces: ["cloud"] },
  adopt: {
    noun: "provider integration",
    format: "env-…/cspi-…",
    make: async (api, _d, i) => {
      const id = await posted(api, "/pim/v2/integrations", {
        display_name: i.displayName,
        provider: i.cloud,
        environment: i.environment,
      });
      return `env-demo01/${id}`;
    },
    missing: () => ({ importId: "env-demo01/cspi-nope0", path: "/pim/v2/integrations/cspi-nope0" }),
    replaceMismatch: () => 'cloud is "AZURE" but the program declares "GCP"',
  },
  createPath: "/pim/v2/integrations",
  itemPath: (id) => `/pim/v2/integrations/${id}`,
  importId: (id) => `env-demo01/${id}`,
  outOfBandDelete: async (api, id) => {
    await api.ok("DELETE", `/pim/v2/integrations/${id}?environment=env-demo01`);
  },
  dump: { table: "integrations_v2", unique: (r) => `${String(r.environment_id)} ${String(r.display_name)}` },
  bench: {
    state: {
      name: "pim-setup",
      args: (tag) => ({
        displayName: `size-${tag}-azure`,
        cloud: "AZURE",
        environment: { id: "env-demo01" },
      }),
    },
  },
};

export const providerIntegrationAuthorization: ScenarioEntry = {
  kind: "ProviderIntegrationAuthorization",
  register: (opts) =>
    new sdk.ProviderIntegrationAuthorization(
      "pia",
      {
        providerIntegrationId: "cspi-x",
        environment: { id: "env-x" },
        azure: { customerAzureTenantId: TENANT },
      },
      opts,
    ),
  // One DRAFT integration for the created object, one for the second (deleted out of band), one to replace to.
  prepare: async (api) => ({
    pi: await draftIntegration(api, "authz"),
    pi2: await draftIntegration(api, "authz-2"),
    pi3: await draftIntegration(api, "authz-3"),
  }),
  inputs: (d, tag) => ({
    providerIntegrationId: tag.length <= 2 && tag.endsWith("2") ? d.pi2 : d.pi,
    environment: { id: "env-demo01" },
    azure: { customerAzureTenantId: TENANT },
  }),
  invalid: {
    inputs: () => ({
      providerIntegrationId: "pi-1",
      environment: {},
      azure: { customerAzureTenantId: "contoso.onmicrosoft.com" },
      gcp: { customerGoogleServiceAccount: "sa@example.com" },
    }),
    failures: [
      {
        property: "providerIntegrationId",
        reason: "must be an integration id such as cspi-abc123 (the ProviderIntegrationSetup's id); fix it",
      },
      { property: "environment.id", reason: "is required; set it to a string" },
      {
        property: "azure.customerAzureTenantId",
        reason: "must be your Azure tenant id, a UUID such as 12345678-1234-1234-1234-123456789abc; fix it",
      },
      {
        property: "gcp.customerGoogleServiceAccount",
        reason:
          "must be a Google service account email such as customer-sa@my-project.iam.gserviceaccount.com; fix it",
      },
    ],
  },
  created: (d) => ({
    providerIntegrationId: d.pi,
    environment: { id: "env-demo01" },
    azure: {
      customerAzureTenantId: TENANT,
      confluentMultiTenantAppId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
    },
  }),
  // Validation first (nothing changes when the cloud side is not ready), then the PATCH (→ CREATED).
  createCalls: (_d, id) => ["POST /pim/v2/integrations:validate", `PATCH /pim/v2/integrations/${id}`],
  createExtraCalls: () => ["POST /pim/v2/integrations:validate"],
  updateRefused: {
    change: () => ({ azure: { customerAzureTenantId: OTHER_TENANT } }),
    error:
      "the integration is CREATED and authorized for " +
      TENANT +
      ", and the API changes an integration's customer configuration only while it is DRAFT",
    calls: (id) => [
      "POST /pim/v2/integrations:validate",
      `PATCH /pim/v2/integrations/${id}`,
      `GET /pim/v2/integrations/${id}`,
    ],
  },
  replace: { change: (d) => ({ providerIntegrationId: d.pi3 }), replaces: ["providerIntegrationId"] },
  adopt: {
    noun: "provider integration authorization",
    format: "env-…/cspi-…",
    // Authorized out of band, as the console or the CLI (`confluent provider-integration v2 update`) would.
    make: async (api, _d, i) => {
      const id = String(i.providerIntegrationId);
      await api.ok("PATCH", `/pim/v2/integrations/${id}`, {
        config: { kind: "AzureIntegrationConfig", customer_azure_tenant_id: TENANT },
        environment: { id: "env-demo01" },
      });
      return `env-demo01/${id}`;
    },
    missing: () => ({ importId: "env-demo01/cspi-nope0", path: "/pim/v2/integrations/cspi-nope0" }),
  },
  createPath: "/pim/v2/integrations",
  itemPath: (id) => `/pim/v2/integrations/${id}`,
  importId: (id) => `env-demo01/${id}`,
  outOfBandDelete: async (api, id) => {
    await api.ok("DELETE", `/pim/v2/integrations/${id}?environment=env-demo01`);
  },
  // Delete sends nothing: the integration (and its customer config) stays until its setup deletes it.
  deleteCalls: () => [],
  deleteLeavesObject: true,
  dump: { table: "integrations_v2", unique: (r) => String(r.id) },
  bench: {
    prepare: async (api) => ({ pi4: await draftIntegration(api, "authz-4") }),
    replace: (d) => ({ providerIntegrationId: d.pi4 }),
    waitNote: "validation: POST /pim/v2/integrations:validate before the PATCH, a documented extra call",
    minimum: {
      calls: { delete: 0, replace: 1 },
      why: "delete sends nothing (pim/v2 cannot remove a customer configuration), so a replace is its create",
    },
    state: {
      name: "pim-authorization",
      args: (_tag, ref) => ({
        providerIntegrationId: ref("pim-setup"),
        environment: { id: "env-demo01" },
        azure: { customerAzureTenantId: TENANT },
      }),
    },
  },
};

// Certificate authorities and pools (mutual TLS): fake self-signed certificates, see
// testing/certs/README.md. Fingerprints are read from the files, never written down.
const CERTS = path.join(__dirname, "certs");
export const TEST_CA_A = fs.readFileSync(path.join(CERTS, "test-ca-a.pem"), "utf8");
export const TEST_CA_B = fs.readFileSync(path.join(CERTS, "test-ca-b.pem"), "utf8");
/** The SHA-1 fingerprint of a PEM certificate as the API answers it (upper-case hex, no colons). */
export const fingerprintOf = (pem: string): string =>
  new X509Certificate(pem).fingerprint.replace(/:/g, "").toUpperCase();

/** Makes a certificate authority through the REST API (a prerequisite). */
async function makeCertificateAuthority(api: EmulatorApi, name: string): Promise<string> {
  return posted(api, "/iam/v2/certificate-authorities", {
    display_name: `${name}-${Date.now()}`,
    description: "",
    certificate_chain: TEST_CA_A,
    certificate_chain_filename: "ca.pem",
  });
}

export const certificateAuthority: ScenarioEntry = {
  kind: "CertificateAuthority",
  register: (opts) =>
    new sdk.CertificateAuthority(
      "ca",
      { displayName: "x", certificateChain: TEST_CA_A, certificateChainFilename: "ca.pem" },
      opts,
    ),
  inputs: (_d, tag) => ({
    displayName: `mtls-ca-${tag}`,
    description: "signs the payment services' client certificates",
    certificateChain: TEST_CA_A,
    certificateChainFilename: "ca.pem",
  }),
  invalid: {
    inputs: () => ({
      displayName: "",
      certificateChain: "not a certificate",
      certificateChainFilename: "",
      crlUrl: "not a url",
    }),
    failures: [
      { property: "displayName", reason: "must not be empty; set a non-empty value" },
      {
        property: "certificateChain",
        reason:
          "must be PEM-encoded X.509 certificates, but it contains no PEM certificate (no -----BEGIN " +
          'CERTIFICATE----- block); pass the CA\'s certificate file as text (e.g. fs.readFileSync("ca.pem", "utf8"))',
      },
      { property: "certificateChainFilename", reason: "must not be empty; set a non-empty value" },
      { property: "crlUrl", reason: "must be a URL such as https://example.com/ca.crl; fix it" },
    ],
  },
  created: (_d, tag) => ({
    displayName: `mtls-ca-${tag}`,
    certificateChainFilename: "ca.pem",
    fingerprints: [fingerprintOf(TEST_CA_A)],
    serialNumbers: [new X509Certificate(TEST_CA_A).serialNumber.toUpperCase()],
    state: "ENABLED",
  }),
  updateMethod: "PUT",
  update: {
    change: () => ({ certificateChain: TEST_CA_B, certificateChainFilename: "ca-b.pem" }),
    expect: { fingerprints: [fingerprintOf(TEST_CA_B)], certificateChainFilename: "ca-b.pem" },
  },
  adopt: {
    noun: "certificate authority",
    format: "op-…",
    make: (api, _d, i) =>
      posted(api, "/iam/v2/certificate-authorities", {
        display_name: i.displayName,
        description: i.description,
        certificate_chain: i.certificateChain,
        certificate_chain_filename: i.certificateChainFilename,
      }),
    missing: () => ({ importId: "op-nope00", path: "/iam/v2/certificate-authorities/op-nope00" }),
  },
  createPath: "/iam/v2/certificate-authorities",
  itemPath: (id) => `/iam/v2/certificate-authorities/${id}`,
  dump: { table: "certificate_authorities", unique: (r) => String(r.display_name) },
  bench: {
    state: {
      name: "ca",
      args: (tag) => ({
        displayName: `size-${tag}-ca`,
        certificateChain: TEST_CA_A,
        certificateChainFilename: "ca.pem",
      }),
    },
  },
};

export const certificatePool: ScenarioEntry = {
  kind: "CertificatePool",
  register: (opts) =>
    new sdk.CertificatePool(
      "cpool",
      { certificateAuthority: { id: "op-x" }, displayName: "x", externalIdentifier: "CN", filter: "true" },
      opts,
    ),
  prepare: async (api) => ({
    ca: await makeCertificateAuthority(api, "pool-ca"),
    ca2: await makeCertificateAuthority(api, "pool-ca-2"),
  }),
  inputs: (d, tag) => ({
    certificateAuthority: { id: d.ca },
    displayName: `payments-${tag}`,
    description: "payment services' clients",
    externalIdentifier: "CN",
    filter: 'O == "Example" && OU == "payments"',
  }),
  invalid: {
    inputs: () => ({
      certificateAuthority: { id: "pool-1" },
      displayName: "pool",
      externalIdentifier: "",
      filter: "",
    }),
    failures: [
      { property: "certificateAuthority.id", reason: "must be an id such as op-abc123; fix it" },
      { property: "externalIdentifier", reason: "must not be empty; set a non-empty value" },
      { property: "filter", reason: "must not be empty; set a non-empty value" },
    ],
  },
  created: (d, tag) => ({
    certificateAuthority: { id: d.ca },
    displayName: `payments-${tag}`,
    externalIdentifier: "CN",
    state: "ENABLED",
  }),
  updateMethod: "PUT",
  update: {
    change: () => ({ filter: 'O == "Example"', externalIdentifier: "UID" }),
    expect: { filter: 'O == "Example"', externalIdentifier: "UID" },
  },
  replace: { change: (d) => ({ certificateAuthority: { id: d.ca2 } }), replaces: ["certificateAuthority"] },
  adopt: {
    noun: "certificate pool",
    format: "op-…/pool-…",
    make: async (api, d, i) => {
      const id = await posted(api, `/iam/v2/certificate-authorities/${d.ca}/identity-pools`, {
        display_name: i.displayName,
        description: i.description,
        external_identifier: i.externalIdentifier,
        filter: i.filter,
      });
      return `${d.ca}/${id}`;
    },
    missing: (d) => ({
      importId: `${d.ca}/pool-nope`,
      path: `/iam/v2/certificate-authorities/${d.ca}/identity-pools/pool-nope`,
    }),
    replaceMismatch: (d) => `certificateAuthority is "${d.ca}" but the program declares "${d.ca2}"`,
  },
  createPath: (d) => `/iam/v2/certificate-authorities/${d.ca}/identity-pools`,
  itemPath: (id, outs) =>
    `/iam/v2/certificate-authorities/${(outs.certificateAuthority as { id: string }).id}/identity-pools/${id}`,
  importId: (id, outs) => `${(outs.certificateAuthority as { id: string }).id}/${id}`,
  dump: { table: "certificate_pools", unique: (r) => `${String(r.ca_id)} ${String(r.display_name)}` },
  bench: {
    state: {
      name: "cpool",
      args: (tag, ref) => ({
        certificateAuthority: { id: ref("ca") },
        displayName: `size-${tag}-cpool`,
        externalIdentifier: "CN",
        filter: 'O == "Example"',
      }),
    },
  },
};

/** The active key's id in a rotation's outputs (the resource's own id is its first key's). */
function activeKeyId(outs: PropertyMap): string {
  const active = (unwrapSecrets(outs) as { active?: { id?: unknown } }).active;
  return typeof active?.id === "string" ? active.id : "";
}

/**
 * ApiKeyRotation through the generic steps: one key while no rotation is due (its rotation steps, two keys
 * and the clock are in tests/provider/api-key-rotation.test.ts). A change of rotationPeriod is the
 * provider-only change (it moves nextRotationAt, no API call); the import step reads a key by id as the
 * active one.
 */
export const apiKeyRotation: ScenarioEntry = {
  cannotAdopt:
    "a key's secret is shown only at create, so consumers could not be given it (tests/provider/api-key-rotation.test.ts)",
  kind: "ApiKeyRotation",
  register: (opts) => new sdk.ApiKeyRotation("rot", { owner: { id: "sa-x" }, rotationPeriod: "P90D" }, opts),
  prepare: async (api) => ({ sa: await makeServiceAccount(api, `rotation-owner-${Date.now()}`) }),
  inputs: (d, tag) => ({
    displayName: `rotated-key-${tag}`,
    description: "rotated Cloud key",
    owner: { id: d.sa, apiVersion: "iam/v2", kind: "ServiceAccount" },
    rotationPeriod: "P90D",
  }),
  invalid: {
    inputs: () => ({ displayName: 5, owner: {}, rotationPeriod: "P3M", overlap: -1 }),
    failures: [
      { property: "displayName", reason: "must be a string (got number 5); change it to a string" },
      { property: "owner.id", reason: "is required; set it to a string" },
      {
        property: "rotationPeriod",
        reason:
          'must not count months or years (got "P3M"): their length varies; write days or weeks instead, e.g. "P90D" or "P13W"',
      },
      { property: "overlap", reason: "must be a number of days of 0 or more (got -1); use e.g. 90" },
    ],
  },
  created: (d, tag) => ({
    displayName: `rotated-key-${tag}`,
    owner: { id: d.sa, apiVersion: "iam/v2", kind: "ServiceAccount" },
    rotationPeriod: "P90D",
  }),
  createExtraCalls: () => ["GET /org/v2/environments"],
  update: {
    change: () => ({ description: "rotated Cloud key, renamed" }),
    expect: { description: "rotated Cloud key, renamed" },
  },
  providerOnly: { rotationPeriod: "P30D" },
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
  itemPath: (_id, outs) => `/iam/v2/api-keys/${activeKeyId(outs)}`,
  // A key's id, read as the active key (the resource's own id is a digest of it).
  importId: (_id, outs) => activeKeyId(outs),
  dump: { table: "api_keys", unique: (r) => String(r.id) },
  recoverCreate: (api, d, inputs) => deleteKeysNamed(api, d.sa ?? "", inputs.displayName),
  bench: {
    prepare: async (api) => ({ sa2: await makeServiceAccount(api, `rotation-owner-2-${Date.now()}`) }),
    replace: (d) => ({ owner: { id: d.sa2, apiVersion: "iam/v2", kind: "ServiceAccount" } }),
    waitNote: "readiness: GET /org/v2/environments?page_size=1 with the new key until it is not 401",
    state: {
      name: "rotation",
      args: (tag, ref) => ({
        displayName: `size-${tag}-rotation`,
        description: "state size",
        owner: { id: ref("sa"), apiVersion: "iam/v2", kind: "ServiceAccount" },
        rotationPeriod: "P90D",
      }),
    },
  },
};

/** The first seven objects (iam/v2 basics). */
export const coreTable: ScenarioEntry[] = [
  serviceAccount,
  apiKey,
  roleBinding,
  ipGroup,
  ipFilter,
  invitation,
  user,
];

/** Identity federation, pim, BYOK and the Azure route. */
export const extendedTable: ScenarioEntry[] = [
  identityProvider,
  identityPool,
  groupMapping,
  providerIntegration,
  byokKey,
  azureMarketplaceApiKey,
  providerIntegrationSetup,
  providerIntegrationAuthorization,
  certificateAuthority,
  certificatePool,
  apiKeyRotation,
];

/** Every entry, in the order the scenarios run. */
export const table: ScenarioEntry[] = [...coreTable, ...extendedTable];
