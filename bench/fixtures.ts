/**
 * One small entry per object kind for the calls-per-operation benchmark: how to register the SDK class (to
 * get its real serialized provider), valid inputs, a change that updates in place, a change that replaces,
 * and the documented waits a create makes beyond its POST.
 */
import * as sdk from "pulumi-confluent-iam";
import type { PropertyMap } from "../protocol";
import { CLUSTER_CRN, ORG, type BenchEmulator } from "./support";

/** How one object kind goes through create, no-change, update, replace, refresh and delete. */
export interface KindFixture {
  /** SDK class name (also the provider's kind). */
  kind: string;
  /** Registers one instance of the SDK class; only the serialized provider text is used. */
  register: () => unknown;
  /** Objects the kind needs first (made through the REST API, outside the count). */
  prepare?: (emu: BenchEmulator, tag: string) => Promise<Record<string, string>>;
  /** Valid inputs. */
  inputs: (deps: Record<string, string>, tag: string) => PropertyMap;
  /** Inputs changed so that the object updates in place; absent when the API has no update. */
  update?: (deps: Record<string, string>) => PropertyMap;
  /** Inputs changed so that the object is replaced; absent when nothing replaces it. */
  replace?: (deps: Record<string, string>, tag: string) => PropertyMap;
  /** The object cannot be created: the benchmark imports (reads) this existing one instead. */
  existing?: (deps: Record<string, string>) => string;
  /**
   * Calls a create makes beyond its POST that are documented waits (`METHOD path`), counted apart from the
   * operation's own calls.
   */
  createWaits?: (id: string) => string[];
  /** What the wait is, for the table. */
  waitNote?: string;
}

const ISSUER = "https://login.example.com/tenant-1/v2.0";
const JWKS = "https://login.example.com/common/discovery/v2.0/keys";
const ROLE_ARN = "arn:aws:iam::123456789012:role/bench-s3-sink";
const KMS = "arn:aws:kms:us-west-2:123456789012:key";
/** Azure subscription, resource group and organization the emulator's ARM routes accept. */
const AZURE = {
  subscriptionId: "00000000-0000-4000-8000-0000000000a1",
  resourceGroupName: "confluent-rg",
  organizationName: "confluent-org",
};

async function identityProvider(emu: BenchEmulator, name: string): Promise<string> {
  return emu.create("/iam/v2/identity-providers", {
    display_name: name,
    description: "",
    issuer: ISSUER,
    jwks_uri: JWKS,
  });
}

async function serviceAccount(emu: BenchEmulator, name: string): Promise<string> {
  return emu.create("/iam/v2/service-accounts", { display_name: name });
}

/** Every kind the benchmark knows, in table order. */
export const fixtures: readonly KindFixture[] = [
  {
    kind: "ServiceAccount",
    register: () => new sdk.ServiceAccount("sa", { displayName: "x" }),
    inputs: (_d, tag) => ({ displayName: `bench-sa-${tag}`, description: "benchmark" }),
    update: () => ({ description: "benchmark, edited" }),
  },
  {
    kind: "ApiKey",
    register: () => new sdk.ApiKey("k", { owner: { id: "sa-x" } }),
    prepare: async (emu, tag) => ({
      sa: await serviceAccount(emu, `bench-key-owner-${tag}`),
      sa2: await serviceAccount(emu, `bench-key-owner2-${tag}`),
    }),
    inputs: (d, tag) => ({
      displayName: `bench-key-${tag}`,
      description: "benchmark",
      owner: { id: d.sa, apiVersion: "iam/v2", kind: "ServiceAccount" },
    }),
    update: () => ({ description: "benchmark, edited" }),
    replace: (d) => ({ owner: { id: d.sa2, apiVersion: "iam/v2", kind: "ServiceAccount" } }),
    createWaits: () => ["GET /org/v2/environments"],
    waitNote: "readiness: GET /org/v2/environments?page_size=1 with the new key until it is not 401",
  },
  {
    kind: "RoleBinding",
    register: () => new sdk.RoleBinding("rb", { principal: "User:x", roleName: "r", crnPattern: "crn://x" }),
    prepare: async (emu, tag) => ({ sa: await serviceAccount(emu, `bench-rb-principal-${tag}`) }),
    inputs: (d) => ({ principal: `User:${d.sa}`, roleName: "CloudClusterAdmin", crnPattern: CLUSTER_CRN }),
    replace: () => ({ roleName: "DeveloperManage" }),
  },
  {
    kind: "IpGroup",
    register: () => new sdk.IpGroup("g", { groupName: "g", cidrBlocks: ["10.0.0.0/8"] }),
    inputs: (_d, tag) => ({ groupName: `bench-group-${tag}`, cidrBlocks: ["10.0.0.0/24", "10.0.1.0/24"] }),
    update: () => ({ cidrBlocks: ["10.0.0.0/24", "10.0.2.0/24"] }),
  },
  {
    kind: "IpFilter",
    register: () =>
      new sdk.IpFilter("f", { filterName: "f", resourceGroup: "management", ipGroups: ["ipg-x"] }),
    prepare: async (emu, tag) => ({
      g: await emu.create("/iam/v2/ip-groups", {
        group_name: `bench-filter-src-${tag}`,
        cidr_blocks: ["192.168.0.0/24"],
      }),
    }),
    inputs: (d, tag) => ({
      filterName: `bench-filter-${tag}`,
      resourceGroup: "multiple",
      ipGroups: [d.g],
      operationGroups: ["MANAGEMENT", "SCHEMA"],
      resourceScope: `crn://confluent.cloud/organization=${ORG}`,
    }),
    update: () => ({
      operationGroups: ["MANAGEMENT"],
      resourceScope: `crn://confluent.cloud/organization=${ORG}/environment=env-demo01`,
    }),
  },
  {
    kind: "Invitation",
    register: () => new sdk.Invitation("i", { email: "x@example.com" }),
    inputs: (_d, tag) => ({ email: `bench-hire-${tag}@example.com` }),
    replace: (_d, tag) => ({ email: `bench-hire-${tag}-2@example.com` }),
  },
  {
    kind: "User",
    register: () => new sdk.User("u", {}),
    inputs: () => ({ fullName: "Demo Developer" }),
    existing: () => "u-demo02",
    update: () => ({ fullName: "Demo Dev" }),
  },
  {
    kind: "IdentityProvider",
    register: () => new sdk.IdentityProvider("op", { displayName: "x", issuer: ISSUER, jwksUri: JWKS }),
    inputs: (_d, tag) => ({
      displayName: `bench-oidc-${tag}`,
      description: "benchmark",
      issuer: ISSUER,
      jwksUri: JWKS,
      identityClaim: "claims.sub",
    }),
    update: () => ({ description: "benchmark, edited" }),
  },
  {
    kind: "IdentityPool",
    register: () =>
      new sdk.IdentityPool("pool", {
        identityProvider: { id: "op-x" },
        displayName: "x",
        identityClaim: "claims.sub",
        filter: "true",
      }),
    prepare: async (emu, tag) => ({
      op: await identityProvider(emu, `bench-pool-parent-${tag}`),
      op2: await identityProvider(emu, `bench-pool-parent2-${tag}`),
    }),
    inputs: (d, tag) => ({
      identityProvider: { id: d.op },
      displayName: `bench-pool-${tag}`,
      description: "benchmark",
      identityClaim: "claims.sub",
      filter: 'claims.aud=="confluent"',
    }),
    update: () => ({ filter: 'claims.aud=="kafka"' }),
    replace: (d) => ({ identityProvider: { id: d.op2 } }),
  },
  {
    kind: "ProviderIntegration",
    register: () =>
      new sdk.ProviderIntegration("pi", {
        displayName: "x",
        environment: { id: "env-x" },
        aws: { customerRoleArn: ROLE_ARN },
      }),
    inputs: (_d, tag) => ({
      displayName: `bench-s3-${tag}`,
      environment: { id: "env-demo01" },
      aws: { customerRoleArn: ROLE_ARN },
    }),
    replace: () => ({ aws: { customerRoleArn: "arn:aws:iam::123456789012:role/bench-other" } }),
  },
  {
    kind: "ByokKey",
    register: () => new sdk.ByokKey("byok", { gcp: { keyId: "x" } }),
    inputs: (_d, tag) => ({ displayName: `bench-byok-${tag}`, aws: { keyArn: `${KMS}/bench-${tag}` } }),
    update: () => ({ displayName: "bench-byok, renamed" }),
    replace: (_d, tag) => ({ aws: { keyArn: `${KMS}/bench-${tag}-2` } }),
  },
  {
    kind: "AzureMarketplaceApiKey",
    register: () =>
      new sdk.AzureMarketplaceApiKey("az", {
        ...AZURE,
        managedResource: { id: "lkc-x", environment: { id: "env-x" } },
      }),
    // The Azure AD token and the ARM endpoint come from the host's environment (see calls.ts).
    inputs: (_d, tag) => ({
      ...AZURE,
      managedResource: { id: "lkc-demo01", environment: { id: "env-demo01" } },
      displayName: `bench-azure-${tag}`,
      description: "benchmark",
    }),
    replace: (_d, tag) => ({ displayName: `bench-azure-${tag}-2` }),
  },
];
