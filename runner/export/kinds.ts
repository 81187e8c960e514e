/**
 * How `confluent-iam export` reads each kind, keyed by the spec registry (provider/specs/index.ts `specs`):
 * every spec has an entry in {@link EXPORT}, either how to export it or why it cannot be (tests/invariants.test.ts
 * fails naming a spec without one). The table's order is the program's order (an object comes after the
 * objects it refers to). Each kind takes its facts from its spec (response schema, outputs, input schema,
 * defaults, the permission a read needs, the input check), so an exported object's inputs are exactly what
 * `read` would give, and an object the program could not declare is left out with the check's reason.
 */
import type { z } from "zod";
import { checkFailures, inputSchema } from "../../provider/adapter";
import { projectOnto } from "../../provider/compare";
import type { Spec } from "../../provider/spec";
import { specs } from "../../provider/specs";
import { IMPORT_ID, type PropertyMap } from "../../protocol";
import { apiKeySpec } from "../../provider/specs/api-key";
import { byokKeySpec } from "../../provider/specs/byok-key";
import { certificateAuthoritySpec } from "../../provider/specs/certificate-authority";
import { certificatePoolSpec } from "../../provider/specs/certificate-pool";
import { groupMappingSpec } from "../../provider/specs/group-mapping";
import { identityPoolSpec } from "../../provider/specs/identity-pool";
import { identityProviderSpec } from "../../provider/specs/identity-provider";
import { invitationSpec } from "../../provider/specs/invitation";
import { ipFilterSpec } from "../../provider/specs/ip-filter";
import { ipGroupSpec } from "../../provider/specs/ip-group";
import { providerIntegrationSpec } from "../../provider/specs/provider-integration";
import { providerIntegrationAuthorizationSpec } from "../../provider/specs/provider-integration-authorization";
import { providerIntegrationSetupSpec } from "../../provider/specs/provider-integration-setup";
import { roleBindingSpec } from "../../provider/specs/role-binding";
import { serviceAccountSpec } from "../../provider/specs/service-account";
import { userSpec } from "../../provider/specs/user";
import { safeText } from "./text";
/** An SDK class export writes (a kind of {@link EXPORT} that is exported). */
export type ExportKind = string;

/** Where a kind is listed. */
export type ListScope =
  | "organization" // one list for the organization
  | "environment" // one list per environment (`?environment=`)
  | "identityProvider" // one list per identity provider
  | "certificateAuthority" // one list per certificate authority
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
  /**
   * Why the program could not declare it: its class's input check refuses what the API holds (a name of
   * spaces only, a control character). Left out, and listed in the README and on stderr.
   */
  unfit?: string;
  /** Inputs the API never gives back, by input name: what the README says about each (and where from). */
  unreadable?: Record<string, string>;
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
  /** A listed item → the object (undefined: the item is not one of this kind, e.g. a DRAFT integration). */
  convert(item: unknown, parent?: string): ReadObject | undefined;
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
    /** Not an object of this kind (pim/v2 lists setups and authorizations as one object). */
    ignore?: (body: R) => boolean;
    /** Inputs read differently from the outputs (a CRL that was uploaded is not a URL). */
    adjust?: (inputs: PropertyMap, body: R, parent?: string) => PropertyMap;
    /** Inputs the API never gives back: what to say about each (see {@link ReadObject.unreadable}). */
    unreadable?: (body: R) => Record<string, string> | undefined;
  },
): KindInfo {
  const leaveOut = new Set([...(spec.providerOnly ?? []), ...(spec.inputOnly ?? [])]);
  const shape = spec.inputs.shape as Record<string, z.ZodTypeAny>;
  const schema = inputSchema(spec) as z.ZodType<unknown, z.ZodTypeDef, unknown>;
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
    convert: (item, parent) => {
      const body = item as R;
      if (info.ignore?.(body)) return undefined;
      const id = spec.idOf(body);
      const outs = spec.toOutputs(body);
      let inputs: PropertyMap = {};
      for (const k of Object.keys(shape)) {
        if (leaveOut.has(k) || outs[k] === undefined) continue;
        const v = projectOnto(shape[k], outs[k]);
        if (spec.defaults && k in spec.defaults && same(v, spec.defaults[k])) continue;
        inputs[k] = v;
      }
      if (info.adjust) inputs = info.adjust(inputs, body, parent);
      const importId = info.importId ? info.importId(id, inputs) : id;
      const skip = info.skip?.(body);
      const label = info.label?.(body);
      const unreadable = info.unreadable?.(body);
      // The check the provider runs on the program's inputs. An input the API never gives back is written
      // by the program from elsewhere (a file), so its absence here is not the object's fault.
      const failures = checkFailures(schema, spec.kind, { ...inputs, [IMPORT_ID]: importId }).filter(
        (f) => !(unreadable && f.property.split(".")[0]! in unreadable),
      );
      const unfit =
        failures.length === 0
          ? undefined
          : `the ${spec.kind} check refuses what the API holds (${failures
              .map((f) => `${f.property}: ${safeText(f.reason)}`)
              .join(
                "; ",
              )}); the program could not declare it. Rename or fix it in Confluent Cloud, then export again`;
      return {
        kind: spec.kind as ExportKind,
        id,
        importId,
        inputs,
        ...(skip ? { skip } : {}),
        ...(label ? { label } : {}),
        ...(unfit ? { unfit } : {}),
        ...(unreadable ? { unreadable } : {}),
      };
    },
  };
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const idAt = (v: unknown): string => {
  const id = (v as { id?: unknown } | undefined)?.id;
  return typeof id === "string" ? id : "";
};

/** Why a kind is not exported (an entry of {@link EXPORT}). */
export interface NotExported {
  notExported: string;
}

/**
 * Every spec's kind → how export reads it, or why it does not. In program order.
 */
export const EXPORT: Readonly<Record<string, KindInfo | NotExported>> = {
  ServiceAccount: fromSpec(serviceAccountSpec, {
    title: "Service accounts",
    plural: "service accounts",
    scope: "organization",
    path: "/iam/v2/service-accounts",
    pageSize: 100,
    suffix: "Sa",
    fallback: "service account",
    nameOf: (o) => str(o.inputs.displayName),
  }),
  User: fromSpec(userSpec, {
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
  IdentityProvider: fromSpec(identityProviderSpec, {
    title: "Identity providers",
    plural: "identity providers",
    scope: "organization",
    path: "/iam/v2/identity-providers",
    pageSize: 100,
    suffix: "Provider",
    fallback: "identity provider",
    nameOf: (o) => str(o.inputs.displayName),
  }),
  IdentityPool: fromSpec(identityPoolSpec, {
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
  GroupMapping: fromSpec(groupMappingSpec, {
    title: "SSO group mappings",
    plural: "group mappings",
    scope: "organization",
    path: "/iam/v2/sso/group-mappings",
    pageSize: 100,
    suffix: "Mapping",
    fallback: "group mapping",
    nameOf: (o) => str(o.inputs.displayName),
  }),
  IpGroup: fromSpec(ipGroupSpec, {
    title: "IP groups",
    plural: "IP groups",
    scope: "organization",
    path: "/iam/v2/ip-groups",
    pageSize: 100,
    suffix: "IpGroup",
    fallback: "ip group",
    nameOf: (o) => str(o.inputs.groupName),
  }),
  IpFilter: fromSpec(ipFilterSpec, {
    title: "IP filters",
    plural: "IP filters",
    scope: "organization",
    path: "/iam/v2/ip-filters",
    pageSize: 100,
    suffix: "IpFilter",
    fallback: "ip filter",
    nameOf: (o) => str(o.inputs.filterName),
  }),
  ApiKey: fromSpec(apiKeySpec, {
    title: "API keys (adopted without their secret: the API shows a secret only when the key is made)",
    plural: "API keys",
    scope: "organization",
    path: "/iam/v2/api-keys",
    pageSize: 100,
    suffix: "Key",
    fallback: "api key",
    nameOf: (o) => str(o.inputs.displayName),
    // A listed key has no secret: where the class takes one as an input (an adopted key's secret), it comes
    // from --with-secrets, never from the list.
    adjust: (inputs) => {
      const { secret: _none, ...rest } = inputs;
      return rest;
    },
    importId: (id, inputs) => {
      const env = idAt((inputs.managedResource as { environment?: unknown } | undefined)?.environment);
      return env ? `${env}/${id}` : id;
    },
  }),
  CertificateAuthority: fromSpec(certificateAuthoritySpec, {
    title:
      "Certificate authorities (the API never gives back a chain: each is read from the file README.md names)",
    plural: "certificate authorities",
    scope: "organization",
    path: "/iam/v2/certificate-authorities",
    pageSize: 100,
    suffix: "Ca",
    fallback: "certificate authority",
    nameOf: (o) => str(o.inputs.displayName),
    // An uploaded CRL is answered as its source, not as a URL (the real API answers crl_url
    // "Local file uploaded"): the program does not declare it (README.md says so).
    adjust: (inputs, b) => {
      if (b.crl_source !== "LOCAL") return inputs;
      const { crlUrl: _uploaded, ...rest } = inputs;
      return rest;
    },
    unreadable: (b) => ({
      certificateChain:
        `the certificate chain (the API answers its file name ${JSON.stringify(b.certificate_chain_filename ?? "")} ` +
        `and its fingerprints ${(b.fingerprints ?? []).join(", ") || "(none)"}, never the PEM)`,
      ...(b.crl_source === "LOCAL"
        ? {
            crlChain:
              "the uploaded CRL (crl_source LOCAL; the API never gives it back): the program does not declare " +
              "crlChain. Add it before changing this authority, as its update is a PUT of the whole body",
          }
        : {}),
    }),
  }),
  CertificatePool: fromSpec(certificatePoolSpec, {
    title: "Certificate pools",
    plural: "certificate pools",
    scope: "certificateAuthority",
    path: "/iam/v2/certificate-authorities",
    pageSize: 100,
    suffix: "CertPool",
    fallback: "certificate pool",
    nameOf: (o) => str(o.inputs.displayName),
    adjust: (inputs, _b, parent) =>
      inputs.certificateAuthority === undefined && parent !== undefined
        ? { certificateAuthority: { id: parent }, ...inputs }
        : inputs,
    importId: (id, inputs) => `${idAt(inputs.certificateAuthority)}/${id}`,
  }),
  RoleBinding: fromSpec(roleBindingSpec, {
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
  Invitation: fromSpec(invitationSpec, {
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
  ProviderIntegration: fromSpec(providerIntegrationSpec, {
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
  ProviderIntegrationSetup: fromSpec(providerIntegrationSetupSpec, {
    title: "Provider integrations (pim/v2)",
    plural: "provider integrations (pim/v2)",
    scope: "environment",
    path: "/pim/v2/integrations",
    pageSize: 100,
    suffix: "Setup",
    fallback: "integration setup",
    nameOf: (o) => str(o.inputs.displayName),
    importId: (id, inputs) => `${idAt(inputs.environment)}/${id}`,
  }),
  // The same pim/v2 objects: one that holds the customer's side (a tenant, a Google service account) is
  // authorized; a DRAFT one is a setup only.
  ProviderIntegrationAuthorization: fromSpec(providerIntegrationAuthorizationSpec, {
    title: "Provider integration authorizations (pim/v2)",
    plural: "provider integration authorizations",
    scope: "environment",
    path: "/pim/v2/integrations",
    pageSize: 100,
    suffix: "Authorization",
    fallback: "integration authorization",
    nameOf: (o) => o.label,
    label: (b) => str(b.display_name),
    ignore: (b) =>
      b.config?.customer_azure_tenant_id === undefined &&
      b.config?.customer_google_service_account === undefined,
    importId: (id, inputs) => `${idAt(inputs.environment)}/${id}`,
  }),
  ByokKey: fromSpec(byokKeySpec, {
    title: "BYOK keys",
    plural: "BYOK keys",
    scope: "organization",
    path: "/byok/v1/keys",
    pageSize: 100,
    suffix: "ByokKey",
    fallback: "byok key",
    nameOf: (o) => str(o.inputs.displayName),
  }),
  ApiKeyRotation: {
    notExported:
      "a rotation is a schedule the program keeps, not an object of the API: its keys are listed, and exported, as ApiKey",
  },
  AzureMarketplaceApiKey: {
    notExported:
      "read through Azure Resource Manager, not the Cloud API; the Cloud API lists these keys as API keys, so they are exported as ApiKey",
  },
};

const isKind = (e: KindInfo | NotExported): e is KindInfo => !("notExported" in e);

for (const [key, e] of Object.entries(EXPORT))
  if (isKind(e) && e.kind !== key) throw new Error(`EXPORT.${key} reads the kind ${e.kind}`);

/** The kinds export reads, in program order: the specs of the registry that {@link EXPORT} can export. */
export const KINDS: readonly KindInfo[] = Object.entries(EXPORT)
  .filter(([kind]) => specs.some((s) => s.kind === kind))
  .map(([, e]) => e)
  .filter(isKind);

/** The SDK classes export writes. */
export const EXPORT_KINDS: readonly ExportKind[] = KINDS.map((k) => k.kind);

/** Kinds of the spec registry that {@link EXPORT} neither exports nor explains (tests/invariants.test.ts). */
export function kindsWithoutExport(): string[] {
  return specs.map((s) => s.kind).filter((k) => EXPORT[k] === undefined);
}

export const kindInfo = (kind: ExportKind): KindInfo => {
  const k = KINDS.find((x) => x.kind === kind);
  if (k === undefined) throw new Error(`unknown kind ${kind}`);
  return k;
};
