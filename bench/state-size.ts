/**
 * Benchmark 3: state size. A program with one object of every kind that can be created is applied with the
 * runner; the state file it writes is read back: bytes of the serialized provider (`__provider`) and bytes
 * of the whole resource entry (inputs, outputs, provider, dependencies), per kind. Destroyed afterwards.
 */
import * as fs from "fs";
import { z } from "zod";
import {
  BenchEmulator,
  BenchProgram,
  CLUSTER_CRN,
  ORG,
  failedOperations,
  firstErrors,
  ref,
  type Declaration,
  type Row,
} from "./support";

/** One kind's figures. */
export interface KindSize {
  /** SDK class name. */
  kind: string;
  /** Bytes of the serialized provider text (UTF-8). */
  providerBytes: number;
  /** Bytes of the resource's state entry as the runner stores it (compact JSON, UTF-8). */
  stateBytes: number;
}

/** The benchmark's result. */
export interface StateSizeResult {
  /** Per kind, in program order. */
  kinds: KindSize[];
  /** Kinds not measured, with the reason. */
  skipped: { kind: string; reason: string }[];
  /** Failed operations of `up` and `destroy`. */
  failed: number;
  /** First errors, when any. */
  errors: string[];
}

/** The provider's `__provider` budget (sdk/provider.ts keeps it under 2 KB). */
export const PROVIDER_BUDGET_BYTES = 2048;

/** One object of every kind that can be created, with its references. */
export function oneOfEach(tag: string): Declaration[] {
  return [
    {
      kind: "ServiceAccount",
      name: "sa",
      args: { displayName: `size-${tag}-sa`, description: "state size" },
    },
    {
      kind: "ApiKey",
      name: "key",
      args: {
        displayName: `size-${tag}-key`,
        description: "state size",
        owner: { id: ref("sa"), apiVersion: "iam/v2", kind: "ServiceAccount" },
        disableWaitForReady: true,
      },
    },
    {
      kind: "RoleBinding",
      name: "rb",
      args: {
        principal: `User:${ref("sa")}`,
        roleName: "DeveloperRead",
        crnPattern: `${CLUSTER_CRN}/topic=size`,
      },
    },
    { kind: "IpGroup", name: "group", args: { groupName: `size-${tag}-group`, cidrBlocks: ["10.1.0.0/24"] } },
    {
      kind: "IpFilter",
      name: "filter",
      args: {
        filterName: `size-${tag}-filter`,
        resourceGroup: "multiple",
        ipGroups: [ref("group")],
        operationGroups: ["MANAGEMENT"],
        resourceScope: `crn://confluent.cloud/organization=${ORG}`,
      },
    },
    { kind: "Invitation", name: "invite", args: { email: `size-${tag}@example.com` } },
    {
      kind: "IdentityProvider",
      name: "oidc",
      args: {
        displayName: `size-${tag}-oidc`,
        issuer: "https://login.example.com/tenant-1/v2.0",
        jwksUri: "https://login.example.com/common/discovery/v2.0/keys",
        identityClaim: "claims.sub",
      },
    },
    {
      kind: "IdentityPool",
      name: "pool",
      args: {
        identityProvider: { id: ref("oidc") },
        displayName: `size-${tag}-pool`,
        identityClaim: "claims.sub",
        filter: 'claims.aud=="confluent"',
      },
    },
    {
      kind: "ProviderIntegration",
      name: "integration",
      args: {
        displayName: `size-${tag}-s3`,
        environment: { id: "env-demo01" },
        aws: { customerRoleArn: "arn:aws:iam::123456789012:role/size" },
      },
    },
    {
      kind: "ByokKey",
      name: "byok",
      args: {
        displayName: `size-${tag}-byok`,
        aws: { keyArn: `arn:aws:kms:us-west-2:123456789012:key/size-${tag}` },
      },
    },
    {
      kind: "AzureMarketplaceApiKey",
      name: "azure-key",
      args: {
        subscriptionId: "00000000-0000-4000-8000-0000000000a1",
        resourceGroupName: "confluent-rg",
        organizationName: "confluent-org",
        managedResource: { id: "lkc-demo01", environment: { id: "env-demo01" } },
        displayName: `size-${tag}-azure`,
      },
    },
  ];
}

const stateSchema = z.object({
  resources: z.array(z.object({ type: z.string(), provider: z.string() }).passthrough()),
});

/** Runs the benchmark. */
export async function runStateSize(): Promise<StateSizeResult> {
  const emu = await BenchEmulator.start();
  const decls = oneOfEach(Date.now().toString(36));
  const program = BenchProgram.create("state-size", decls);
  const env = emu.env({ AZURE_ACCESS_TOKEN: emu.emu.azureToken, AZURE_RESOURCE_MANAGER_ENDPOINT: emu.url });
  try {
    const up = await program.run("up", env, { parallel: 8 });
    const state = stateSchema.parse(JSON.parse(fs.readFileSync(program.statePath, "utf8")));
    const kinds: KindSize[] = [];
    for (const r of state.resources) {
      kinds.push({
        kind: r.type.slice(r.type.lastIndexOf(":") + 1),
        providerBytes: Buffer.byteLength(r.provider),
        stateBytes: Buffer.byteLength(JSON.stringify(r)),
      });
    }
    const order = decls.map((d) => d.kind);
    kinds.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
    const destroy = await program.run("destroy", env, { parallel: 8 });
    return {
      kinds,
      skipped: [{ kind: "User", reason: "cannot be created (import only), and the runner does not import" }],
      failed: failedOperations(up.result) + failedOperations(destroy.result),
      errors: [...firstErrors(up.result), ...firstErrors(destroy.result)],
    };
  } finally {
    program.remove();
    await emu.close();
  }
}

/** The table rows: one per kind. */
export function stateSizeRows(r: StateSizeResult): Row[] {
  const rows: Row[] = r.kinds.map((k) => ({
    benchmark: "state",
    figure: `${k.kind}: bytes of __provider / bytes of state per resource`,
    value: `${k.providerBytes} / ${k.stateBytes}`,
    target: `__provider <= ${PROVIDER_BUDGET_BYTES}`,
    met: k.providerBytes <= PROVIDER_BUDGET_BYTES,
  }));
  for (const s of r.skipped)
    rows.push({ benchmark: "state", figure: `${s.kind}: not measured`, value: s.reason, target: "" });
  if (r.failed > 0) {
    rows.push({
      benchmark: "state",
      figure: "failed operations of up + destroy",
      value: `${r.failed} [${r.errors[0] ?? ""}]`,
      target: "0",
      met: false,
    });
  }
  return rows;
}
