/**
 * Lookup functions, in the style of @pulumi/confluentcloud's `getServiceAccount` and friends: each returns a
 * Promise of a plain object with camelCase fields, and has an `…Output` variant that takes Pulumi Inputs.
 *
 * They run in the program process (not the dynamic-provider host), so they read credentials there: the
 * stack config `confluentcloud:cloudApiKey`, `confluentcloud:cloudApiSecret`, `confluentcloud:endpoint`, or
 * the environment variables `CONFLUENT_CLOUD_API_KEY`, `CONFLUENT_CLOUD_API_SECRET`,
 * `CONFLUENT_CLOUD_ENDPOINT`. Lists are read at the endpoint's largest page size. When a lookup does not find
 * exactly one object, the error says what was looked for and how many matched.
 *
 * - A GET by id that answers 404 is asked again within the API's read-lag window, the one the provider uses
 *   (`CONFLUENT_IAM_RECONCILE_WAIT_MS`, default 5000 ms), so an object created earlier in the same `up` is
 *   found; only then is it reported missing.
 * - When the client gives up after retrying, the error says how many attempts were made and what each got.
 * - A list whose pages hold fewer objects than the API's `metadata.total_size` fails rather than being
 *   taken as complete.
 * - `displayName` is sent as one `display_name` parameter (the spec repeats the parameter for several
 *   names), so a name with a comma is one name.
 */
import { AsyncLocalStorage } from "async_hooks";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ConfluentApiError, ConfluentClient, type ClientEvent, type Query } from "../provider/client";
import { paginate } from "../provider/client/paginate";
import {
  clientOptions,
  envNumber,
  logProgress,
  resolveCredentials,
  sleep,
  TUNING_ENV,
  type ConfigSource,
} from "../provider/runtime";
import { byokKeyResponse, byokKeySpec } from "../provider/specs/byok-key";
import { identityProviderResponse } from "../provider/specs/identity-provider";
import { roleBindingResponse } from "../provider/specs/role-binding";
import { serviceAccountResponse } from "../provider/specs/service-account";
import { userResponse } from "../provider/specs/user";

/** Largest `page_size` of each list endpoint (docs: OPERATIONS.md). */
const PAGE_MAX = { users: 100, serviceAccounts: 100, roleBindings: 1000, identityProviders: 100 } as const;

/** The retries of the requests made inside one lookup (see {@link withAttempts}). */
const retries = new AsyncLocalStorage<ClientEvent[]>();

interface LookupTarget {
  client: ConfluentClient;
  /** `https://api.confluent.cloud` */
  origin: string;
  /** The endpoint's base path without a trailing slash (`""` for none). */
  basePath: string;
}

const clients = new Map<string, LookupTarget>();

/**
 * The client for the program's credentials: stack config first, then the environment. Lookups keep their
 * own clients (same pools, retry policy and progress lines as the provider's) so that each lookup can tell
 * which retries were its own when it finally fails.
 */
function lookupTarget(): LookupTarget {
  const config = new pulumi.Config("confluentcloud");
  const source: ConfigSource = {
    get: (key) => config.get(key.slice(key.indexOf(":") + 1)),
  };
  const creds = resolveCredentials(source);
  const cacheKey = `${creds.endpoint}\u0000${creds.apiKey}\u0000${creds.apiSecret}`;
  let target = clients.get(cacheKey);
  if (target === undefined) {
    const options = clientOptions();
    const client = new ConfluentClient({
      endpoint: creds.endpoint,
      auth: { kind: "basic", apiKey: creds.apiKey, apiSecret: creds.apiSecret },
      userAgent: "pulumi-confluent-iam",
      ...options,
      onEvent: (e) => {
        if (e.type === "retry") retries.getStore()?.push(e);
        options.onEvent?.(e);
      },
    });
    const url = new URL(creds.endpoint);
    target = { client, origin: url.origin, basePath: url.pathname.replace(/\/+$/, "") };
    clients.set(cacheKey, target);
  }
  return target;
}

function lookupClient(): ConfluentClient {
  return lookupTarget().client;
}

/** "attempts 1–3: <reason>" for runs of the same reason. */
function summarize(reasons: string[]): string {
  const parts: string[] = [];
  let start = 0;
  for (let i = 1; i <= reasons.length; i++) {
    if (i < reasons.length && reasons[i] === reasons[start]) continue;
    parts.push(
      `${i - start === 1 ? `attempt ${start + 1}` : `attempts ${start + 1}–${i}`}: ${reasons[start]}`,
    );
    start = i;
  }
  return parts.join("; ");
}

/**
 * Runs one lookup; when it fails after the client retried, the error says how many attempts were made and
 * what each got, not only the last cause.
 */
async function withAttempts<T>(fn: () => Promise<T>): Promise<T> {
  const seen: ClientEvent[] = [];
  try {
    return await retries.run(seen, fn);
  } catch (e) {
    const failed = e as { method?: unknown; path?: unknown; message?: unknown };
    const mine = seen.filter((r) => r.method === failed.method && r.path === failed.path);
    if (mine.length === 0 || typeof failed.message !== "string") throw e;
    // A retry event for attempt n+1 carries the reason attempt n failed; the error is the last attempt's.
    const attempts = mine[mine.length - 1].attempt;
    const reasons = mine.slice(-(attempts - 1)).map((r) => r.reason);
    throw new Error(
      `${failed.method} ${failed.path} failed after ${attempts} attempts (${summarize(reasons)}; ` +
        `attempt ${attempts}: ${failed.message}). Check that the endpoint is reachable and try again.`,
      { cause: e },
    );
  }
}

/** The API's read-lag window: how long a new object may answer 404 to a GET by id (the provider's too). */
function readLagWindowMs(): number {
  return envNumber(TUNING_ENV.reconcileWaitMs, 5000);
}

/**
 * GET of one object; `undefined` when the API still says it does not exist after the read-lag window. A
 * 404 right after the object was created (in the same `up`) is the API's eventual consistency, so it is
 * asked again within the window the provider uses for the same lag, as the provider does.
 */
async function getOne<T>(
  path: string,
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
): Promise<{ found: T } | { reads: number; waitedMs: number }> {
  const windowMs = readLagWindowMs();
  const started = Date.now();
  for (let reads = 1; ; reads++) {
    try {
      return { found: await lookupClient().request("GET", path, { schema }) };
    } catch (e) {
      if (!(e instanceof ConfluentApiError && e.status === 404)) throw e;
    }
    const left = started + windowMs - Date.now();
    if (left <= 0 || reads >= 4) return { reads, waitedMs: Date.now() - started };
    const delay = Math.min(left, Math.max(50, Math.floor(windowMs / 3)));
    logProgress(`GET ${path}: not found yet (the API's read lag); looking again in ${delay} ms`);
    await sleep(delay);
  }
}

/** The error of a GET by id that still found nothing, with what was tried. */
function notFound(what: string, miss: { reads: number; waitedMs: number }): Error {
  return new Error(
    `${what}: the API answered 404 to ${miss.reads} read${miss.reads === 1 ? "" : "s"} over ` +
      `${miss.waitedMs} ms (an object created moments ago can take that long to appear; ` +
      `${TUNING_ENV.reconcileWaitMs} sets the wait, now ${readLagWindowMs()} ms). Check the id.`,
  );
}

const totalSizeOf = (page: unknown): number | undefined => {
  const meta = (page as { metadata?: { total_size?: unknown } } | null)?.metadata;
  const total = meta?.total_size;
  return typeof total === "number" && Number.isInteger(total) && total >= 0 ? total : undefined;
};

async function listAll<T>(
  path: string,
  itemSchema: z.ZodType<T, z.ZodTypeDef, unknown>,
  pageSize: number,
  query?: Record<string, string | undefined>,
): Promise<T[]> {
  const { client, origin, basePath } = lookupTarget();
  let reported: number | undefined;
  // Each page through the client (its retries and errors), noting the total the API reports.
  const fetchPage = async <P>(
    pathFromOrigin: string,
    _displayPath: string,
    pageQuery: Query | undefined,
    schema: z.ZodType<P, z.ZodTypeDef, unknown>,
  ): Promise<P> => {
    const noting = z.preprocess((raw) => {
      reported = totalSizeOf(raw) ?? reported;
      return raw;
    }, schema);
    return client.request("GET", pathFromOrigin.slice(basePath.length), { query: pageQuery, schema: noting });
  };
  const out: T[] = [];
  const pages = paginate(fetchPage, { origin, basePath }, path, { itemSchema, pageSize, query });
  for await (const item of pages) out.push(item);
  if (reported !== undefined && out.length < reported) {
    throw new Error(
      `GET ${path}: the API reported ${reported} objects (metadata.total_size) but its pages held only ` +
        `${out.length}; the list is incomplete (it changed while being read, or a page went missing), so ` +
        `the lookup gives no answer rather than a wrong one. Run it again.`,
    );
  }
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
  return withAttempts(() => getUserOnce(args));
}

/** getUser without the attempt summary of {@link withAttempts}. */
async function getUserOnce(args: GetUserArgs): Promise<GetUserResult> {
  const by = oneOf("getUser", args, ["id", "email", "fullName"] as const);
  if (by === "id") {
    const id = args.id ?? "";
    const u = await getOne(`/iam/v2/users/${seg(id)}`, userResponse);
    if (!("found" in u)) throw notFound(`no user with id ${id}`, u);
    return toUser(u.found);
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
  return withAttempts(() => getUsersOnce());
}

/** getUsers without the attempt summary of {@link withAttempts}. */
async function getUsersOnce(): Promise<GetUsersResult> {
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
  return withAttempts(() => getServiceAccountOnce(args));
}

/** getServiceAccount without the attempt summary of {@link withAttempts}. */
async function getServiceAccountOnce(args: GetServiceAccountArgs): Promise<GetServiceAccountResult> {
  const by = oneOf("getServiceAccount", args, ["id", "displayName"] as const);
  if (by === "id") {
    const id = args.id ?? "";
    const sa = await getOne(`/iam/v2/service-accounts/${seg(id)}`, serviceAccountResponse);
    if (!("found" in sa)) throw notFound(`no service account with id ${id}`, sa);
    return toServiceAccount(sa.found);
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
  return withAttempts(() => getRoleBindingsOnce(args));
}

/** getRoleBindings without the attempt summary of {@link withAttempts}. */
async function getRoleBindingsOnce(args: GetRoleBindingsArgs): Promise<GetRoleBindingsResult> {
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
  return withAttempts(() => getIdentityProviderOnce(args));
}

/** getIdentityProvider without the attempt summary of {@link withAttempts}. */
async function getIdentityProviderOnce(args: GetIdentityProviderArgs): Promise<GetIdentityProviderResult> {
  const by = oneOf("getIdentityProvider", args, ["id", "displayName"] as const);
  if (by === "id") {
    const id = args.id ?? "";
    const p = await getOne(`/iam/v2/identity-providers/${seg(id)}`, identityProviderResponse);
    if (!("found" in p)) throw notFound(`no identity provider with id ${id}`, p);
    return toIdentityProvider(p.found);
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
  return withAttempts(() => getByokKeyOnce(args));
}

/** getByokKey without the attempt summary of {@link withAttempts}. */
async function getByokKeyOnce(args: GetByokKeyArgs): Promise<GetByokKeyResult> {
  if (!args.id) throw new Error("getByokKey needs id");
  const got = await getOne(`/byok/v1/keys/${seg(args.id)}`, byokKeyResponse);
  if (!("found" in got)) throw notFound(`no BYOK key with id ${args.id}`, got);
  const body = got.found;
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
