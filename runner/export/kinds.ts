/**
 * The kinds `confluent-iam export` reads, in program order (an object comes after the objects it refers
 * to). Each kind takes its facts from the provider's spec (response schema, outputs, input schema, defaults,
 * the permission a read needs), so an exported object's inputs are exactly what `read` would give.
 */
import type { z } from "zod";
import { projectOnto } from "../../provider/compare";
import type { Spec } from "../../provider/spec";
import type { PropertyMap } from "../../protocol";
import { apiKeySpec } from "../../provider/specs/api-key";
import { byokKeySpec } from "../../provider/specs/byok-key";
import { groupMappingSpec } from "../../provider/specs/group-mapping";
import { identityPoolSpec } from "../../provider/specs/identity-pool";
import { identityProviderSpec } from "../../provider/specs/identity-provider";
import { invitationSpec } from "../../provider/specs/invitation";
import { ipFilterSpec } from "../../provider/specs/ip-filter";
import { ipGroupSpec } from "../../provider/specs/ip-group";
import { providerIntegrationSpec } from "../../provider/specs/provider-integration";
import { roleBindingSpec } from "../../provider/specs/role-binding";
import { serviceAccountSpec } from "../../provider/specs/service-account";
import { userSpec } from "../../provider/specs/user";

/** The SDK classes export writes (AzureMarketplaceApiKey is read through Azure, not the Cloud API). */
export const EXPORT_KINDS = [
  "ServiceAccount",
  "User",
  "IdentityProvider",
  "IdentityPool",
  "GroupMapping",
  "IpGroup",
  "IpFilter",
  "ApiKey",
  "RoleBinding",
  "Invitation",
  "ProviderIntegration",
  "ByokKey",
] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** Where a kind is listed. */
export type ListScope =
  | "organization" // one list for the organization
  | "environment" // one list per environment (`?environment=`)
  | "identityProvider" // one list per identity provider
  | "crn"; // one list per CRN scope (organization, environments, Kafka clusters, Schema Registries)

/** One object as read, reduced to what the program declares. */
export interface ReadObject {
  kind: ExportKind;
  /** The API id. */
  id: string;
  /** What `{ import }` takes (`op-…/pool-…` for a pool). */
  importId: string;
  /** Inputs as `read` would return them, without values equal to their defaults. */
  inputs: PropertyMap;
  /** Why it is left out of the program (listed in the README). */
  skip?: string;
  /** A name to fall back on when the object has no display name (a user's email). */
  label?: string;
}

/** How export handles one kind. */
export interface KindInfo {
  kind: ExportKind;
  /** Group comment and README wording ("Service accounts"). */
  title: string;
  /** Plural noun for messages ("service accounts"). */
  plural: string;
  scope: ListScope;
  /** List path (the identity provider's id is appended for pools). */
  path: string;
  /** The largest page size the list accepts (OPERATIONS.md). */
  pageSize: number;
  /** The role the credentials need to list the kind. */
  permission: string;
  /** Suffix and fallback word of variable names. */
  suffix: string;
  fallback: string;
  /** The item schema of the list. */
  itemSchema: z.ZodTypeAny;
  /** A listed item → the object. */
  convert(item: unknown): ReadObject;
  /** The name the variable is derived from. */
  nameOf(o: ReadObject): string | undefined;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A kind from its spec: inputs are the outputs projected onto the input schema, as the adapter's read does. */
function fromSpec<I extends Record<string, unknown>, R>(
  spec: Spec<I, R>,
  info: Omit<KindInfo, "kind" | "itemSchema" | "convert" | "permission"> & {
    importId?: (id: string, inputs: PropertyMap) => string;
    skip?: (body: R) => string | undefined;
    label?: (body: R) => string | undefined;
  },
): KindInfo {
  const leaveOut = new Set([...(spec.providerOnly ?? []), ...(spec.inputOnly ?? [])]);
  const shape = spec.inputs.shape as Record<string, z.ZodTypeAny>;
  return {
    kind: spec.kind as ExportKind,
    title: info.title,
    plural: info.plural,
    scope: info.scope,
    path: info.path,
    pageSize: info.pageSize,
    permission: spec.readPermissionHint,
    suffix: info.suffix,
    fallback: info.fallback,
    nameOf: info.nameOf,
    itemSchema: spec.response as unknown as z.ZodTypeAny,
    convert: (item) => {
      const body = item as R;
      const id = spec.idOf(body);
      const outs = spec.toOutputs(body);
      const inputs: PropertyMap = {};
      for (const k of Object.keys(shape)) {
        if (leaveOut.has(k) || outs[k] === undefined) continue;
        const v = projectOnto(shape[k], outs[k]);
        if (spec.defaults && k in spec.defaults && same(v, spec.defaults[k])) continue;
        inputs[k] = v;
      }
      const importId = info.importId ? info.importId(id, inputs) : id;
      const skip = info.skip?.(body);
      const label = info.label?.(body);
      return {
        kind: spec.kind as ExportKind,
        id,
        importId,
        inputs,
        ...(skip ? { skip } : {}),
        ...(label ? { label } : {}),
      };
    },
  };
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const idAt = (v: unknown): string => {
  const id = (v as { id?: unknown } | undefined)?.id;
  return typeof id === "string" ? id : "";
};

export const KINDS: readonly KindInfo[] = [
  fromSpec(serviceAccountSpec, {
    title: "Service accounts",
    plural: "service accounts",
    scope: "organization",
    path: "/iam/v2/service-accounts",
    pageSize: 100,
    suffix: "Sa",
    fallback: "service account",
    nameOf: (o) => str(o.inputs.displayName),
  }),
  fromSpec(userSpec, {
    title: "Users (they cannot be created: these are adopted, and only their full name is managed)",
    plural: "users",
    scope: "organization",
    path: "/iam/v2/users",
    pageSize: 100,
    suffix: "User",
    fallback: "user",
    nameOf: (o) => str(o.inputs.fullName) ?? o.label,
    label: (b) => str(b.email)?.split("@")[0],
  }),
  fromSpec(identityProviderSpec, {
    title: "Identity providers",
    plural: "identity providers",
    scope: "organization",
    path: "/iam/v2/identity-providers",
    pageSize: 100,
    suffix: "Provider",
    fallback: "identity provider",
    nameOf: (o) => str(o.inputs.displayName),
  }),
  fromSpec(identityPoolSpec, {
    title: "Identity pools",
    plural: "identity pools",
    scope: "identityProvider",
    path: "/iam/v2/identity-providers",
    pageSize: 100,
    suffix: "Pool",
    fallback: "identity pool",
    nameOf: (o) => str(o.inputs.displayName),
    importId: (id, inputs) => `${idAt(inputs.identityProvider)}/${id}`,
  }),
  fromSpec(groupMappingSpec, {
    title: "SSO group mappings",
    plural: "group mappings",
    scope: "organization",
    path: "/iam/v2/sso/group-mappings",
    pageSize: 100,
    suffix: "Mapping",
    fallback: "group mapping",
    nameOf: (o) => str(o.inputs.displayName),
  }),
  fromSpec(ipGroupSpec, {
    title: "IP groups",
    plural: "IP groups",
    scope: "organization",
    path: "/iam/v2/ip-groups",
    pageSize: 100,
    suffix: "IpGroup",
    fallback: "ip group",
    nameOf: (o) => str(o.inputs.groupName),
  }),
  fromSpec(ipFilterSpec, {
    title: "IP filters",
    plural: "IP filters",
    scope: "organization",
    path: "/iam/v2/ip-filters",
    pageSize: 100,
    suffix: "IpFilter",
    fallback: "ip filter",
    nameOf: (o) => str(o.inputs.filterName),
  }),
  fromSpec(apiKeySpec, {
    title: "API keys (adopted without their secret: the API shows a secret only when the key is made)",
    plural: "API keys",
    scope: "organization",
    path: "/iam/v2/api-keys",
    pageSize: 100,
    suffix: "Key",
    fallback: "api key",
    nameOf: (o) => str(o.inputs.displayName),
    importId: (id, inputs) => {
      const env = idAt((inputs.managedResource as { environment?: unknown } | undefined)?.environment);
      return env ? `${env}/${id}` : id;
    },
  }),
  fromSpec(roleBindingSpec, {
    title: "Role bindings",
    plural: "role bindings",
    scope: "crn",
    path: "/iam/v2/role-bindings",
    pageSize: 1000,
    suffix: "Binding",
    fallback: "role binding",
    // Replaced by the principal's and the role's names when the program is written.
    nameOf: (o) => `${String(o.inputs.principal)} ${String(o.inputs.roleName)}`,
  }),
  fromSpec(invitationSpec, {
    title: "Invitations (pending)",
    plural: "invitations",
    scope: "organization",
    path: "/iam/v2/invitations",
    pageSize: 100,
    suffix: "Invitation",
    fallback: "invitation",
    nameOf: (o) => str(o.inputs.email)?.split("@")[0],
    skip: (b) =>
      b.status === undefined || b.status === "INVITE_STATUS_SENT" || b.status === "INVITE_STATUS_PENDING"
        ? undefined
        : `${b.status === "INVITE_STATUS_ACCEPTED" ? "accepted" : "no longer pending"} (${b.email})`,
  }),
  fromSpec(providerIntegrationSpec, {
    title: "Provider integrations",
    plural: "provider integrations",
    scope: "environment",
    path: "/pim/v1/integrations",
    pageSize: 100,
    suffix: "Integration",
    fallback: "integration",
    nameOf: (o) => str(o.inputs.displayName),
    importId: (id, inputs) => `${idAt(inputs.environment)}/${id}`,
  }),
  fromSpec(byokKeySpec, {
    title: "BYOK keys",
    plural: "BYOK keys",
    scope: "organization",
    path: "/byok/v1/keys",
    pageSize: 100,
    suffix: "ByokKey",
    fallback: "byok key",
    nameOf: (o) => str(o.inputs.displayName),
  }),
];

export const kindInfo = (kind: ExportKind): KindInfo => {
  const k = KINDS.find((x) => x.kind === kind);
  if (k === undefined) throw new Error(`unknown kind ${kind}`);
  return k;
};
