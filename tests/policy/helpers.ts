// Builds the argument objects @pulumi/policy's server passes to validateResource / validateStack (see its
// server.js: properties wrapped in unknownCheckingProxy, getConfig returning the policy's settings without
// enforcementLevel, notApplicable throwing) and collects what the policies report.
import {
  unknownCheckingProxy,
  type Policy,
  type PolicyResource,
  type ReportViolation,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationArgs,
  type StackValidationPolicy,
} from "@pulumi/policy";

/** What @pulumi/policy substitutes for a string value unknown during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const ORG = "b0b0cafe-0000-4000-8000-000000000001";
export const CLUSTER_CRN = `crn://confluent.cloud/organization=${ORG}/environment=env-demo01/cloud-cluster=lkc-demo01`;
export const TOPIC_CRN = `${CLUSTER_CRN}/kafka=lkc-demo01/topic=orders`;

/** A resource as this package's SDK registers it. */
export interface TestResource {
  /** SDK class name (type token `pulumi-nodejs:dynamic/confluent:<cls>`) or a full type token. */
  cls: string;
  name: string;
  props: Record<string, unknown>;
}

export function typeOf(cls: string): string {
  return cls.includes(":") ? cls : `pulumi-nodejs:dynamic/confluent:${cls}`;
}

export function urnOf(r: TestResource): string {
  return `urn:pulumi:dev::iam::${typeOf(r.cls)}::${r.name}`;
}

const roleBindingBase = {
  principal: "User:sa-abc123",
  roleName: "DeveloperRead",
  crnPattern: TOPIC_CRN,
  disableWaitForReady: false,
};

/** A valid RoleBinding, with `overrides` applied (a key set to `DELETE` is removed). */
export function roleBinding(overrides: Record<string, unknown> = {}, name = "orders-reader"): TestResource {
  return { cls: "RoleBinding", name, props: apply(roleBindingBase, overrides) };
}

const apiKeyBase = {
  displayName: "orders-app",
  description: "Producer key of the orders service",
  owner: { id: "sa-abc123", apiVersion: "iam/v2", kind: "ServiceAccount" },
  managedResource: {
    id: "lkc-demo01",
    apiVersion: "cmk/v2",
    kind: "Cluster",
    environment: { id: "env-demo01" },
  },
  disableWaitForReady: false,
};

/** A valid ApiKey (inputs), with `overrides` applied. */
export function apiKey(overrides: Record<string, unknown> = {}, name = "orders-key"): TestResource {
  return { cls: "ApiKey", name, props: apply(apiKeyBase, overrides) };
}

/** A valid IpGroup, with `overrides` applied. */
export function ipGroup(overrides: Record<string, unknown> = {}, name = "office"): TestResource {
  return {
    cls: "IpGroup",
    name,
    props: apply({ groupName: "office", cidrBlocks: ["203.0.113.0/24", "2001:db8::/32"] }, overrides),
  };
}

/** Marks a property as removed in an override. */
export const DELETE = Symbol("delete");

// A deep copy made in this realm. structuredClone (a Node global) builds objects of the outer realm, which
// jest's vm context does not see as `instanceof Object`, and @pulumi/policy's proxy then leaves them
// unwrapped: unknown values would silently bypass the proxy.
function clone<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => clone(v)) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = clone(v);
    return out as T;
  }
  return value;
}

function apply(base: Record<string, unknown>, overrides: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = clone(base);
  for (const [k, v] of Object.entries(overrides)) {
    if (v === DELETE) delete out[k];
    else out[k] = v;
  }
  return out;
}

class NotApplicable extends Error {}

function common(config: Record<string, unknown>) {
  return {
    stackTags: new Map<string, string>(),
    getConfig: <T extends object>(): T => clone(config) as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
}

function resourceArgs(r: TestResource, config: Record<string, unknown>): ResourceValidationArgs {
  const props: Record<string, unknown> = unknownCheckingProxy(clone(r.props));
  if (!(props as { __isSpecialProxy?: boolean }).__isSpecialProxy) throw new Error("props are not proxied");
  const type = typeOf(r.cls);
  return {
    type,
    props,
    urn: urnOf(r),
    name: r.name,
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: r.cls === "ApiKey" ? ["secret"] : [],
    },
    isType: () => false,
    asType: () => undefined,
    ...common(config),
  };
}

/** One reported violation. */
export interface Reported {
  message: string;
  urn?: string;
}

function collector(out: Reported[]): ReportViolation {
  return (message, urn) => {
    if (typeof message !== "string") throw new Error("policies report plain messages");
    out.push(urn === undefined ? { message } : { message, urn });
  };
}

function isResourcePolicy(p: Policy): p is ResourceValidationPolicy {
  return "validateResource" in p;
}

function isStackPolicy(p: Policy): p is StackValidationPolicy {
  return "validateStack" in p;
}

/** Runs a resource policy on one resource and returns the messages it reported. */
export async function runResource(
  policy: Policy,
  r: TestResource,
  config: Record<string, unknown> = {},
): Promise<string[]> {
  if (!isResourcePolicy(policy) || policy.validateResource === undefined)
    throw new Error(`${policy.name} is not a resource policy`);
  const out: Reported[] = [];
  const validations = Array.isArray(policy.validateResource)
    ? policy.validateResource
    : [policy.validateResource];
  for (const validate of validations) await validate(resourceArgs(r, config), collector(out));
  return out.map((v) => v.message);
}

/** Runs a stack policy over resources and returns what it reported. */
export async function runStack(
  policy: Policy,
  resources: TestResource[],
  config: Record<string, unknown> = {},
): Promise<Reported[]> {
  if (!isStackPolicy(policy)) throw new Error(`${policy.name} is not a stack policy`);
  const policyResources: PolicyResource[] = resources.map((r) => {
    const args = resourceArgs(r, config);
    return {
      type: args.type,
      props: args.props,
      urn: args.urn,
      name: args.name,
      opts: args.opts,
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    };
  });
  const args: StackValidationArgs = { resources: policyResources, ...common(config) };
  const out: Reported[] = [];
  await policy.validateStack(args, collector(out));
  return out;
}

/** Runs any policy (resource policies once per resource) and returns every message. */
export async function runAny(
  policy: Policy,
  resources: TestResource[],
  config: Record<string, unknown> = {},
) {
  if (isStackPolicy(policy)) return (await runStack(policy, resources, config)).map((v) => v.message);
  const messages: string[] = [];
  for (const r of resources) messages.push(...(await runResource(policy, r, config)));
  return messages;
}
