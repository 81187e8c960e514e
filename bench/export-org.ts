/**
 * An organization of every kind `confluent-iam export` writes, made in the emulator through its API (as the
 * admin, with the bodies the provider's specs send), with references between objects: keys owned by
 * service accounts and users, role bindings on every scope, IP filters on IP groups, pools under identity
 * providers. Used by tests/runner/export.test.ts and bench/export.ts.
 */
import { apiKeySpec } from "../provider/specs/api-key";
import { byokKeySpec } from "../provider/specs/byok-key";
import { groupMappingSpec } from "../provider/specs/group-mapping";
import { identityPoolSpec } from "../provider/specs/identity-pool";
import { identityProviderSpec } from "../provider/specs/identity-provider";
import { invitationSpec } from "../provider/specs/invitation";
import { ipFilterSpec } from "../provider/specs/ip-filter";
import { ipGroupSpec } from "../provider/specs/ip-group";
import { providerIntegrationSpec } from "../provider/specs/provider-integration";
import { roleBindingSpec } from "../provider/specs/role-binding";
import { serviceAccountSpec } from "../provider/specs/service-account";

/** One API call as the admin; resolves the status and the parsed body. */
export type AdminCall = (
  method: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; body: unknown }>;

export const EXPORT_ORG = "b0b0cafe-0000-4000-8000-0000000000e1";

/** How many objects of each kind an organization of about `size` objects gets. */
function orgShape(size: number): Record<string, number> {
  const n = (f: number, min: number): number => Math.max(min, Math.ceil(size * f));
  return {
    environments: n(0.01, 3),
    users: n(0.06, 4),
    serviceAccounts: n(0.2, 6),
    apiKeys: n(0.2, 6),
    roleBindings: n(0.34, 8),
    ipGroups: n(0.05, 3),
    ipFilters: n(0.03, 2),
    identityProviders: n(0.02, 2),
    identityPools: n(0.04, 3),
    groupMappings: n(0.02, 2),
    invitations: n(0.03, 3),
    providerIntegrations: n(0.02, 2),
    byokKeys: n(0.02, 2),
  };
}

/** What was made: ids by kind, and the invitations that were accepted (their users joined). */
export interface SeededOrg {
  ids: Record<string, string[]>;
  acceptedInvitations: string[];
  /** Objects made (every kind export writes, accepted invitations included), users of the seed included. */
  total: number;
}

/** Display names that are not identifiers, and one shared by two keys, among the ordinary ones. */
export const ODD_NAMES = {
  serviceAccounts: ["2 fast", "ci deployer!", "class"],
  sharedKeyName: "deploy key",
};

/** Replaces the emulator's seed (users, environments, clusters) and makes the objects through the API. */
export async function seedExportOrg(call: AdminCall, size: number): Promise<SeededOrg> {
  const shape = orgShape(size);
  const envs = Array.from({ length: shape.environments }, (_, i) => ({
    id: `env-x${String(i + 1).padStart(3, "0")}`,
    display_name: ["production", "staging", "dev team-1"][i] ?? `sandbox ${i}`,
  }));
  const users = Array.from({ length: shape.users }, (_, i) => ({
    id: `u-x${String(i + 1).padStart(4, "0")}`,
    email: `person${i + 1}@example.com`,
    full_name: i === 1 ? "Zoë O'Brien" : `Person ${i + 1}`,
  }));
  const seed = await call("POST", "/_emulator/seed", {
    organization_id: EXPORT_ORG,
    users,
    environments: envs,
    kafka_clusters: envs.map((e, i) => ({ id: `lkc-x${i + 1}`, environment: e.id })),
    schema_registries: envs.map((e, i) => ({ id: `lsrc-x${i + 1}`, environment: e.id })),
  });
  if (seed.status !== 200) throw new Error(`seed: ${seed.status} ${JSON.stringify(seed.body)}`);
  const ids: Record<string, string[]> = { users: users.map((u) => u.id) };
  const make = async (kind: string, req: { path: string; body: unknown }): Promise<string> => {
    const r = await call("POST", req.path, req.body);
    const id = (r.body as { id?: unknown } | undefined)?.id;
    if (r.status >= 300 || typeof id !== "string")
      throw new Error(`POST ${req.path}: ${r.status} ${JSON.stringify(r.body)}`);
    (ids[kind] ??= []).push(id);
    return id;
  };
  const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length] as T;

  for (let i = 0; i < shape.serviceAccounts; i++) {
    const displayName = ODD_NAMES.serviceAccounts[i] ?? `app-${i}-writer`;
    await make("serviceAccounts", serviceAccountSpec.createRequest({ displayName, description: `app ${i}` }));
  }
  const sas = ids.serviceAccounts ?? [];
  for (let i = 0; i < shape.apiKeys; i++) {
    const byUser = i % 5 === 4;
    const cluster = i % 3 === 2 ? pick(envs, i) : undefined;
    const clusterIndex = cluster ? envs.indexOf(cluster) : -1;
    await make(
      "apiKeys",
      apiKeySpec.createRequest({
        displayName: i < 2 ? ODD_NAMES.sharedKeyName : `key ${i}`,
        description: i % 2 === 0 ? "" : `key number ${i}`,
        owner: byUser ? { id: pick(users, i).id } : { id: pick(sas, i) },
        ...(cluster
          ? { managedResource: { id: `lkc-x${clusterIndex + 1}`, environment: { id: cluster.id } } }
          : {}),
      }),
    );
  }
  const orgCrn = `crn://confluent.cloud/organization=${EXPORT_ORG}`;
  const scopes: { crn: string; role: string }[] = [{ crn: orgCrn, role: "MetricsViewer" }];
  envs.forEach((e, i) => {
    scopes.push({ crn: `${orgCrn}/environment=${e.id}`, role: "EnvironmentAdmin" });
    scopes.push({
      crn: `${orgCrn}/environment=${e.id}/cloud-cluster=lkc-x${i + 1}`,
      role: "CloudClusterAdmin",
    });
    scopes.push({
      crn: `${orgCrn}/environment=${e.id}/schema-registry=lsrc-x${i + 1}/subject=orders-*`,
      role: "DeveloperRead",
    });
  });
  const principals = [...sas, ...users.map((u) => u.id)];
  for (let i = 0; i < shape.roleBindings; i++) {
    const scope = pick(scopes, Math.floor(i / principals.length) + i);
    await make(
      "roleBindings",
      roleBindingSpec.createRequest({
        principal: `User:${pick(principals, i)}`,
        roleName: scope.role,
        crnPattern: scope.crn,
      }),
    );
  }
  for (let i = 0; i < shape.ipGroups; i++) {
    await make(
      "ipGroups",
      ipGroupSpec.createRequest({
        groupName: `office ${i}`,
        cidrBlocks: [`10.${i}.0.0/16`, `192.168.${i}.0/24`],
      }),
    );
  }
  const groups = ids.ipGroups ?? [];
  for (let i = 0; i < shape.ipFilters; i++) {
    await make(
      "ipFilters",
      ipFilterSpec.createRequest({
        filterName: `filter ${i}`,
        resourceGroup: "multiple",
        ipGroups: [pick(groups, i), pick(groups, i + 1)],
        operationGroups: ["MANAGEMENT"],
        resourceScope: i % 2 === 0 ? orgCrn : `${orgCrn}/environment=${pick(envs, i).id}`,
      }),
    );
  }
  for (let i = 0; i < shape.identityProviders; i++) {
    await make(
      "identityProviders",
      identityProviderSpec.createRequest({
        displayName: `idp ${i}`,
        description: "",
        issuer: `https://login.example.com/tenant-${i}/v2.0`,
        jwksUri: `https://login.example.com/tenant-${i}/discovery/keys`,
        identityClaim: "claims.sub",
      }),
    );
  }
  const providers = ids.identityProviders ?? [];
  for (let i = 0; i < shape.identityPools; i++) {
    await make(
      "identityPools",
      identityPoolSpec.createRequest({
        identityProvider: { id: pick(providers, i) },
        displayName: `pool ${i}`,
        description: "",
        identityClaim: "claims.sub",
        filter: `claims.aud=="app-${i}"`,
      }),
    );
  }
  for (let i = 0; i < shape.groupMappings; i++) {
    await make(
      "groupMappings",
      groupMappingSpec.createRequest({
        displayName: `sso group ${i}`,
        description: "",
        filter: `"team-${i}" in claims.groups`,
      }),
    );
  }
  const accepted: string[] = [];
  for (let i = 0; i < shape.invitations; i++) {
    const id = await make("invitations", invitationSpec.createRequest({ email: `hire${i}@example.com` }));
    if (i % 3 === 0) {
      const r = await call("POST", `/_emulator/invitations/${id}/accept`);
      if (r.status !== 200) throw new Error(`accept ${id}: ${r.status}`);
      accepted.push(id);
    }
  }
  for (let i = 0; i < shape.providerIntegrations; i++) {
    await make(
      "providerIntegrations",
      providerIntegrationSpec.createRequest({
        displayName: `s3 sink ${i}`,
        environment: { id: pick(envs, i).id },
        aws: { customerRoleArn: `arn:aws:iam::123456789012:role/sink-${i}` },
      }),
    );
  }
  for (let i = 0; i < shape.byokKeys; i++) {
    await make(
      "byokKeys",
      byokKeySpec.createRequest(
        i % 2 === 0
          ? { displayName: `byok ${i}`, aws: { keyArn: `arn:aws:kms:us-west-2:123456789012:key/k-${i}` } }
          : {
              displayName: `byok ${i}`,
              gcp: { keyId: `projects/p/locations/l/keyRings/r/cryptoKeys/k-${i}` },
            },
      ),
    );
  }
  const total = Object.values(ids).reduce((a, xs) => a + xs.length, 0);
  return { ids, acceptedInvitations: accepted, total };
}
