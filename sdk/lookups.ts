/**
 * Lookup functions, in the style of @pulumi/confluentcloud's `getServiceAccount` and friends: each returns a
 * Promise of a plain object with camelCase fields, and has an `…Output` variant that takes Pulumi Inputs.
 *
 * They run in the program process (not the dynamic-provider host), so they read credentials there: the
 * stack config `confluentcloud:cloudApiKey`, `confluentcloud:cloudApiSecret`, `confluentcloud:endpoint`, or
 * the environment variables `CONFLUENT_CLOUD_API_KEY`, `CONFLUENT_CLOUD_API_SECRET`,
 * `CONFLUENT_CLOUD_ENDPOINT`. Lists are read at the endpoint's largest page size. When a lookup does not find
 * exactly one object, the error says what was looked for and how many matched.
 */
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { ConfluentApiError, type ConfluentClient } from "../provider/client";
import { getClient, type ConfigSource } from "../provider/runtime";
import { byokKeyResponse, byokKeySpec } from "../provider/specs/byok-key";
import { identityProviderResponse } from "../provider/specs/identity-provider";
import { roleBindingResponse } from "../provider/specs/role-binding";
import { serviceAccountResponse } from "../provider/specs/service-account";
import { userResponse } from "../provider/specs/user";

/** Largest `page_size` of each list endpoint (docs: OPERATIONS.md). */
const PAGE_MAX = { users: 100, serviceAccounts: 100, roleBindings: 1000, identityProviders: 100 } as const;

/** The client for the program's credentials: stack config first, then the environment. */
function lookupClient(): ConfluentClient {
  const config = new pulumi.Config("confluentcloud");
  const source: ConfigSource = {
    get: (key) => config.get(key.slice(key.indexOf(":") + 1)),
  };
  return getClient(source);
}

/** GET of one object; `undefined` when the API says it does not exist. */
async function getOne<T>(path: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>): Promise<T | undefined> {
  try {
    return await lookupClient().request("GET", path, { schema });
  } catch (e) {
    if (e instanceof ConfluentApiError && e.status === 404) return undefined;
    throw e;
  }
}

async function listAll<T>(
  path: string,
  itemSchema: z.ZodType<T, z.ZodTypeDef, unknown>,
  pageSize: number,
  query?: Record<string, string | undefined>,
): Promise<T[]> {
  const out: T[] = [];
  for await (const item of lookupClient().paginate(path, { itemSchema, pageSize, query })) out.push(item);
  return out;
}

/** The one selector given, or an error naming the choices. */
function oneOf<K extends string>(fn: string, args: Partial<Record<K, string>>, keys: readonly K[]): K {
  const given = keys.filter((k) => args[k] !== undefined && args[k] !== "");
  if (given.length !== 1) {
    const names = keys.length === 2 ? keys.join(" or ") : `${keys.slice(0, -1).join(", ")} or ${keys.at(-1)}`;
    throw new Error(
      `${fn} needs exactly one of ${names} (got ${given.length === 0 ? "none" : given.join(" and ")})`,
    );
  }
  return given[0] as K;
}

/** The single match, or an error saying what was looked for and how many matched. */
function single<T>(matches: T[], none: string, many: (n: number) => string): T {
  if (matches.length === 0) throw new Error(none);
  if (matches.length > 1) throw new Error(many(matches.length));
  return matches[0] as T;
}

const seg = encodeURIComponent;

// ---------------------------------------------------------------------------------------------------------
// Users

/** Arguments of {@link getUser}: exactly one of them. */
export interface GetUserArgs {
  /** The user's id, `u-…`. */
  id?: string;
  /** The user's email address (compared without regard to case). */
  email?: string;
  /** The user's full name (exact). */
  fullName?: string;
}

/** A user, as {@link getUser} and {@link getUsers} return it. */
export interface GetUserResult {
  /** `u-…` */
  id: string;
  /** Email address. */
  email: string;
  /** Full name. */
  fullName: string;
  /** `AUTH_TYPE_LOCAL` or `AUTH_TYPE_SSO`. */
  authType: string;
  /** `iam/v2` */
  apiVersion: string;
  /** `User` */
  kind: string;
}

function toUser(u: z.infer<typeof userResponse>): GetUserResult {
  return {
    id: u.id,
    email: u.email ?? "",
    fullName: u.full_name ?? "",
    authType: u.auth_type ?? "",
    apiVersion: u.api_version ?? "iam/v2",
    kind: u.kind ?? "User",
  };
}

/**
 * Finds one user by id, email or full name.
 * @example const dev = await getUser({ email: "dev@example.com" });
 */
export async function getUser(args: GetUserArgs): Promise<GetUserResult> {
  const by = oneOf("getUser", args, ["id", "email", "fullName"] as const);
  if (by === "id") {
    const id = args.id ?? "";
    const u = await getOne(`/iam/v2/users/${seg(id)}`, userResponse);
    if (u === undefined) throw new Error(`no user with id ${id}`);
    return toUser(u);
  }
  // The users list has no filters: read it all and match here.
  const all = (await listAll("/iam/v2/users", userResponse, PAGE_MAX.users)).map(toUser);
  if (by === "email") {
    const email = args.email ?? "";
    return single(
      all.filter((u) => u.email.toLowerCase() === email.toLowerCase()),
      `no user with email ${email}`,
      (n) => `${n} users have email ${email}: use the id`,
    );
  }
  const name = args.fullName ?? "";
  return single(
    all.filter((u) => u.fullName === name),
    `no user named ${name}`,
    (n) => `${n} users are named ${name}: use the id or email`,
  );
}

/** What {@link getUsers} returns. */
export interface GetUsersResult {
  /** Ids of every user of the organization (as @pulumi/confluentcloud's `getUsers`). */
  ids: string[];
  /** Every user, with its fields. */
  users: GetUserResult[];
}

/** Lists every user of the organization. */
export async function getUsers(): Promise<GetUsersResult> {
  const users = (await listAll("/iam/v2/users", userResponse, PAGE_MAX.users)).map(toUser);
  return { ids: users.map((u) => u.id), users };
}

// ---------------------------------------------------------------------------------------------------------
// Service accounts

/** Arguments of {@link getServiceAccount}: exactly one of them. */
export interface GetServiceAccountArgs {
  /** The service account's id, `sa-…`. */
  id?: string;
  /** Its display name. */
  displayName?: string;
}

/** A service account, as {@link getServiceAccount} returns it. */
export interface GetServiceAccountResult {
  /** `sa-…` */
  id: string;
  /** Display name. */
  displayName: string;
  /** Description; `""` when none. */
  description: string;
  /** `iam/v2` */
  apiVersion: string;
  /** `ServiceAccount` */
  kind: string;
}

function toServiceAccount(sa: z.infer<typeof serviceAccountResponse>): GetServiceAccountResult {
  return {
    id: sa.id,
    displayName: sa.display_name,
    description: sa.description ?? "",
    apiVersion: sa.api_version ?? "iam/v2",
    kind: sa.kind ?? "ServiceAccount",
  };
}

/**
 * Finds one service account by id or display name.
 * @example const ci = await getServiceAccount({ displayName: "ci" });
 */
export async function getServiceAccount(args: GetServiceAccountArgs): Promise<GetServiceAccountResult> {
  const by = oneOf("getServiceAccount", args, ["id", "displayName"] as const);
  if (by === "id") {
    const id = args.id ?? "";
    const sa = await getOne(`/iam/v2/service-accounts/${seg(id)}`, serviceAccountResponse);
    if (sa === undefined) throw new Error(`no service account with id ${id}`);
    return toServiceAccount(sa);
  }
  const name = args.displayName ?? "";
  const found = await listAll("/iam/v2/service-accounts", serviceAccountResponse, PAGE_MAX.serviceAccounts, {
    display_name: name,
  });
  // The filter is the server's; match exactly here too (an older API ignores it).
  return toServiceAccount(
    single(
      found.filter((sa) => sa.display_name === name),
      `no service account named ${name}`,
      (n) => `${n} service accounts are named ${name}: use the id`,
    ),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Role bindings

/** Arguments of {@link getRoleBindings}. */
export interface GetRoleBindingsArgs {
  /** Required by the API: the CRN pattern to list, e.g. `crn://confluent.cloud/organization=…/environment=env-…`. */
  crnPattern: string;
  /** Only bindings of this principal (`User:sa-…`). */
  principal?: string;
  /** Only bindings of this role (`CloudClusterAdmin`). */
  roleName?: string;
}

/** One role binding. */
export interface RoleBindingInfo {
  /** `rb-…` */
  id: string;
  /** `User:<id>` or `Group:<id>`. */
  principal: string;
  /** The role. */
  roleName: string;
  /** The CRN pattern, as the API returns it. */
  crnPattern: string;
}

/** What {@link getRoleBindings} returns: the arguments, and every matching binding. */
export interface GetRoleBindingsResult {
  crnPattern: string;
  principal?: string;
  roleName?: string;
  /** The matching bindings, in the API's order. */
  roleBindings: RoleBindingInfo[];
}

/**
 * Lists the role bindings on a CRN pattern (the API's own matching), optionally of one principal and role.
 * @example const admins = await getRoleBindings({ crnPattern: orgCrn, roleName: "OrganizationAdmin" });
 */
export async function getRoleBindings(args: GetRoleBindingsArgs): Promise<GetRoleBindingsResult> {
  if (!args.crnPattern) throw new Error("getRoleBindings needs crnPattern (the API cannot list without one)");
  const found = await listAll("/iam/v2/role-bindings", roleBindingResponse, PAGE_MAX.roleBindings, {
    crn_pattern: args.crnPattern,
    principal: args.principal || undefined,
    role_name: args.roleName || undefined,
  });
  return {
    crnPattern: args.crnPattern,
    ...(args.principal ? { principal: args.principal } : {}),
    ...(args.roleName ? { roleName: args.roleName } : {}),
    roleBindings: found.map((rb) => ({
      id: rb.id,
      principal: rb.principal,
      roleName: rb.role_name,
      crnPattern: rb.crn_pattern,
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Identity providers

/** Arguments of {@link getIdentityProvider}: exactly one of them. */
export interface GetIdentityProviderArgs {
  /** The provider's id, `op-…`. */
  id?: string;
  /** Its display name. */
  displayName?: string;
}

/** An identity provider, as {@link getIdentityProvider} returns it. */
export interface GetIdentityProviderResult {
  /** `op-…` */
  id: string;
  displayName: string;
  description: string;
  issuer: string;
  jwksUri: string;
  /** `""` when the API does not say. */
  identityClaim: string;
  /** `ENABLED` */
  state: string;
}

function toIdentityProvider(p: z.infer<typeof identityProviderResponse>): GetIdentityProviderResult {
  return {
    id: p.id,
    displayName: p.display_name,
    description: p.description ?? "",
    issuer: p.issuer,
    jwksUri: p.jwks_uri,
    identityClaim: p.identity_claim ?? "",
    state: p.state ?? "",
  };
}

/** Finds one identity provider by id or display name. */
export async function getIdentityProvider(args: GetIdentityProviderArgs): Promise<GetIdentityProviderResult> {
  const by = oneOf("getIdentityProvider", args, ["id", "displayName"] as const);
  if (by === "id") {
    const id = args.id ?? "";
    const p = await getOne(`/iam/v2/identity-providers/${seg(id)}`, identityProviderResponse);
    if (p === undefined) throw new Error(`no identity provider with id ${id}`);
    return toIdentityProvider(p);
  }
  const name = args.displayName ?? "";
  const all = await listAll(
    "/iam/v2/identity-providers",
    identityProviderResponse,
    PAGE_MAX.identityProviders,
  );
  return toIdentityProvider(
    single(
      all.filter((p) => p.display_name === name),
      `no identity provider named ${name}`,
      (n) => `${n} identity providers are named ${name}: use the id`,
    ),
  );
}

// ---------------------------------------------------------------------------------------------------------
// BYOK keys

/** Arguments of {@link getByokKey}. */
export interface GetByokKeyArgs {
  /** The key's id, `cck-…`. */
  id: string;
}

/** A BYOK key, with the same fields as the {@link ByokKey} resource's outputs. */
export interface GetByokKeyResult {
  id: string;
  displayName: string;
  aws?: { keyArn: string; roles: string[] };
  azure?: { keyIdentifier: string; keyVaultId: string; tenantId: string; applicationId: string };
  gcp?: { keyId: string; securityGroup: string };
  /** `AWS`, `Azure` or `GCP`. */
  provider: string;
  /** `AVAILABLE` or `IN_USE`. */
  state: string;
}

/** Reads one BYOK key by id. */
export async function getByokKey(args: GetByokKeyArgs): Promise<GetByokKeyResult> {
  if (!args.id) throw new Error("getByokKey needs id");
  const body = await getOne(`/byok/v1/keys/${seg(args.id)}`, byokKeyResponse);
  if (body === undefined) throw new Error(`no BYOK key with id ${args.id}`);
  const outs = byokKeySpec.toOutputs(body) as Omit<GetByokKeyResult, "id">;
  const result: GetByokKeyResult = {
    id: body.id,
    displayName: outs.displayName,
    provider: outs.provider ?? "",
    state: outs.state ?? "",
  };
  if (outs.aws) result.aws = outs.aws;
  if (outs.azure) result.azure = outs.azure;
  if (outs.gcp) result.gcp = outs.gcp;
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// Output variants: the same lookups, taking Pulumi Inputs.

/** Inputs version of a lookup's arguments. */
export type LookupInputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** {@link getUser} with Inputs. */
export function getUserOutput(args: LookupInputs<GetUserArgs>): pulumi.Output<GetUserResult> {
  return pulumi.output(args).apply((a) => getUser(a));
}

/** {@link getUsers} as an Output. */
export function getUsersOutput(): pulumi.Output<GetUsersResult> {
  return pulumi.output(getUsers());
}

/** {@link getServiceAccount} with Inputs. */
export function getServiceAccountOutput(
  args: LookupInputs<GetServiceAccountArgs>,
): pulumi.Output<GetServiceAccountResult> {
  return pulumi.output(args).apply((a) => getServiceAccount(a));
}

/** {@link getRoleBindings} with Inputs. */
export function getRoleBindingsOutput(
  args: LookupInputs<GetRoleBindingsArgs>,
): pulumi.Output<GetRoleBindingsResult> {
  return pulumi.output(args).apply((a) => getRoleBindings(a));
}

/** {@link getIdentityProvider} with Inputs. */
export function getIdentityProviderOutput(
  args: LookupInputs<GetIdentityProviderArgs>,
): pulumi.Output<GetIdentityProviderResult> {
  return pulumi.output(args).apply((a) => getIdentityProvider(a));
}

/** {@link getByokKey} with Inputs. */
export function getByokKeyOutput(args: LookupInputs<GetByokKeyArgs>): pulumi.Output<GetByokKeyResult> {
  return pulumi.output(args).apply((a) => getByokKey(a));
}
