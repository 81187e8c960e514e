/** The generated programs the benchmarks run: an IAM program of a given size, and a mixed one for the soak. */
import { CLUSTER_CRN, ORG, ref, type Declaration } from "./support";

/** Sizes of {@link iamProgram}. */
export interface IamProgramSize {
  /** Service accounts. */
  serviceAccounts: number;
  /** Cloud API keys, owned round-robin by the service accounts (`disableWaitForReady`). */
  apiKeys: number;
  /** Role bindings, principals round-robin over the service accounts, one topic CRN each. */
  roleBindings: number;
}

/**
 * An org's IAM: service accounts, their API keys and role bindings. `tag` keeps names unique between runs
 * against one emulator (display names are unique in the organization).
 */
export function iamProgram(size: IamProgramSize, tag: string): Declaration[] {
  if (size.serviceAccounts < 1 && size.apiKeys + size.roleBindings > 0) {
    throw new Error("API keys and role bindings need at least one service account");
  }
  const decls: Declaration[] = [];
  const sa = (i: number): string => `sa-${i % size.serviceAccounts}`;
  for (let i = 0; i < size.serviceAccounts; i++) {
    decls.push({
      kind: "ServiceAccount",
      name: `sa-${i}`,
      args: { displayName: `bench-${tag}-sa-${i}`, description: "benchmark service account" },
    });
  }
  for (let i = 0; i < size.apiKeys; i++) {
    decls.push({
      kind: "ApiKey",
      name: `key-${i}`,
      args: {
        displayName: `bench-${tag}-key-${i}`,
        description: "benchmark key",
        owner: { id: ref(sa(i)), apiVersion: "iam/v2", kind: "ServiceAccount" },
        disableWaitForReady: true,
      },
    });
  }
  for (let i = 0; i < size.roleBindings; i++) {
    decls.push({
      kind: "RoleBinding",
      name: `rb-${i}`,
      args: {
        principal: `User:${ref(sa(i))}`,
        roleName: "DeveloperRead",
        crnPattern: `${CLUSTER_CRN}/topic=bench-${tag}-${i}`,
      },
    });
  }
  return decls;
}

/** Counts by kind of {@link mixedProgram}. */
export interface MixedCounts {
  ServiceAccount: number;
  ApiKey: number;
  RoleBinding: number;
  IpGroup: number;
  IpFilter: number;
  Invitation: number;
}

/** Which kinds the mixed program leaves out. */
export interface MixOptions {
  /**
   * Leave API keys out (their share goes to service accounts). An API key has no unique attribute, so a
   * create whose outcome is unknown fails by design instead of being looked up (provider/adapter.ts).
   */
  withoutApiKeys?: boolean;
}

/** How `total` objects split over the kinds of the soak (at least one of each kind included). */
function mixedCounts(total: number, mix: MixOptions = {}): MixedCounts {
  const share = { ApiKey: 0.2, RoleBinding: 0.4, IpGroup: 0.1, IpFilter: 0.05, Invitation: 0.05 };
  const n = (s: number): number => Math.max(1, Math.round(total * s));
  const rest = {
    ApiKey: mix.withoutApiKeys ? 0 : n(share.ApiKey),
    RoleBinding: n(share.RoleBinding),
    IpGroup: n(share.IpGroup),
    IpFilter: n(share.IpFilter),
    Invitation: n(share.Invitation),
  };
  const used = Object.values(rest).reduce((a, b) => a + b, 0);
  return { ServiceAccount: Math.max(1, total - used), ...rest };
}

/**
 * The soak's mixed program. `edited` is the edit step: every third service account, API key and IP group
 * changes its description or CIDRs and every other IP filter its scope (update in place); every fifth role
 * binding changes its role, every fifth API key its owner, and every fourth invitation its email (replace).
 */
export function mixedProgram(
  total: number,
  tag: string,
  { edited = false, mix = {} }: { edited?: boolean; mix?: MixOptions } = {},
): Declaration[] {
  const c = mixedCounts(total, mix);
  const decls: Declaration[] = [];
  const sa = (i: number): string => `sa-${i % c.ServiceAccount}`;
  const every = (i: number, k: number): boolean => edited && i % k === 0;
  for (let i = 0; i < c.ServiceAccount; i++) {
    decls.push({
      kind: "ServiceAccount",
      name: `sa-${i}`,
      args: { displayName: `soak-${tag}-sa-${i}`, description: every(i, 3) ? "soak, edited" : "soak" },
    });
  }
  for (let i = 0; i < c.ApiKey; i++) {
    decls.push({
      kind: "ApiKey",
      name: `key-${i}`,
      args: {
        displayName: `soak-${tag}-key-${i}`,
        description: every(i, 3) ? "soak key, edited" : "soak key",
        owner: { id: ref(sa(every(i, 5) ? i + 1 : i)), apiVersion: "iam/v2", kind: "ServiceAccount" },
        disableWaitForReady: true,
      },
    });
  }
  for (let i = 0; i < c.RoleBinding; i++) {
    decls.push({
      kind: "RoleBinding",
      name: `rb-${i}`,
      args: {
        principal: `User:${ref(sa(i))}`,
        roleName: every(i, 5) ? "DeveloperWrite" : "DeveloperRead",
        crnPattern: `${CLUSTER_CRN}/topic=soak-${tag}-${i}`,
      },
    });
  }
  for (let i = 0; i < c.IpGroup; i++) {
    const third = every(i, 3) ? 9 : 1;
    decls.push({
      kind: "IpGroup",
      name: `group-${i}`,
      args: {
        groupName: `soak-${tag}-group-${i}`,
        cidrBlocks: [`10.${i % 250}.0.0/24`, `10.${i % 250}.${third}.0/24`],
      },
    });
  }
  for (let i = 0; i < c.IpFilter; i++) {
    decls.push({
      kind: "IpFilter",
      name: `filter-${i}`,
      args: {
        filterName: `soak-${tag}-filter-${i}`,
        resourceGroup: "multiple",
        ipGroups: [ref(`group-${i % c.IpGroup}`)],
        operationGroups: ["MANAGEMENT"],
        resourceScope: every(i, 2)
          ? `crn://confluent.cloud/organization=${ORG}/environment=env-demo01`
          : `crn://confluent.cloud/organization=${ORG}`,
      },
    });
  }
  for (let i = 0; i < c.Invitation; i++) {
    decls.push({
      kind: "Invitation",
      name: `invite-${i}`,
      args: { email: every(i, 4) ? `soak-${tag}-${i}-b@example.com` : `soak-${tag}-${i}@example.com` },
    });
  }
  return decls;
}
