/**
 * Lookup functions, in the style of @pulumi/confluentcloud's `getServiceAccount` and friends: each returns a
 * Promise of a plain object with camelCase fields, and has an `…Output` variant that takes Pulumi Inputs.
 *
 * They run in the program process (not the dynamic-provider host), so they read credentials there: the
 * stack config `confluentcloud:cloudApiKey`, `confluentcloud:cloudApiSecret`, `confluentcloud:endpoint`, or
 * the environment variables `CONFLUENT_CLOUD_API_KEY`, `CONFLUENT_CLOUD_API_SECRET`,
 * `CONFLUENT_CLOUD_ENDPOINT`. When a lookup does not find exactly one object, the error says what was looked
 * for and how many matched.
 *
 * Everything a lookup knows about an object comes from its spec (provider/specs/*), as the resource's does:
 * the paths (`itemRoute`, `listRoute`), the list page size (`listRead.pageSize`, the endpoint's largest), the
 * response schema, the id (`idOf`), the field names (`toOutputs`; each lookup maps those to its result in one
 * small function) and how a missing object answers (`goneStatuses`).
 *
 * - A GET by id that answers one of the spec's gone statuses is asked again within the API's read-lag
 *   window, the one the provider uses (`CONFLUENT_IAM_RECONCILE_WAIT_MS`, default 5000 ms), so an object
 *   created earlier in the same `up` is found; only then is it reported missing. A 403 counts as missing
 *   only where the spec says so, and only when the same credentials can list such objects (as the provider
 *   checks); otherwise the error names the missing permission.
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
import { anyOAuth, type OAuthValues } from "../provider/oauth";
import {
  bothKindsMessage,
  clientAuth,
  clientOptions,
  credentialsKey,
  envNumber,
  logProgress,
  resolveCredentials,
  sleep,
  TUNING_ENV,
  type ConfigSource,
  type ResourceCredentials,
} from "../provider/runtime";
import { Provider, PROVIDER_OAUTH_ARGS, halfCredentialsMessage, providerOf } from "./provider-resource";
import type { Locator, Route } from "../provider/spec";
import { byokKeySpec } from "../provider/specs/byok-key";
import { certificateAuthoritySpec } from "../provider/specs/certificate-authority";
import { certificatePoolSpec } from "../provider/specs/certificate-pool";
import { groupMappingSpec } from "../provider/specs/group-mapping";
import { identityPoolSpec } from "../provider/specs/identity-pool";
import { identityProviderSpec } from "../provider/specs/identity-provider";
import { invitationSpec } from "../provider/specs/invitation";
import { ipFilterSpec } from "../provider/specs/ip-filter";
import { ipGroupSpec } from "../provider/specs/ip-group";
import { providerIntegrationSpec } from "../provider/specs/provider-integration";
import { providerIntegrationAuthorizationSpec } from "../provider/specs/provider-integration-authorization";
import { providerIntegrationSetupSpec } from "../provider/specs/provider-integration-setup";
import { roleBindingSpec } from "../provider/specs/role-binding";
import { serviceAccountSpec } from "../provider/specs/service-account";
import { userSpec } from "../provider/specs/user";
import type { PropertyMap } from "../protocol";

/** The retries of the requests made inside one lookup (see {@link withAttempts}). */
const retries = new AsyncLocalStorage<ClientEvent[]>();

/** The credentials of the Provider a lookup was given (its invoke options), while it runs. */
const lookupCredentials = new AsyncLocalStorage<ResourceCredentials>();

/** A value given to a Provider, once known (a lookup needs it now; config values are known in preview). */
function known<T>(v: pulumi.Input<T> | undefined): Promise<T | undefined> {
  return new Promise((resolve) => {
    pulumi.output(v).apply((x) => {
      resolve(x as T | undefined);
      return x;
    });
  });
}

/**
 * The credentials of the Provider in the invoke options (`provider`, or one a `parent` holds), or undefined
 * to use the stack config and the environment. Key and secret come together, as for resources.
 */
async function providerCredentials(opts?: pulumi.InvokeOptions): Promise<ResourceCredentials | undefined> {
  const provider = providerOf(opts);
  if (provider === undefined) {
    // Another package's provider (the official one, say) would choose other credentials: silently using the
    // stack's instead could read the wrong organization.
    if (opts?.provider !== undefined) {
      throw new Error(
        "a lookup's provider option must be this package's Provider (new Provider(name, { cloudApiKey, " +
          "cloudApiSecret, endpoint }) from pulumi-confluent-iam); it was another package's provider. " +
          "Pass a Provider, or remove the option to use the stack config or the environment.",
      );
    }
    return undefined;
  }
  const given = Provider.argsOf(provider);
  const [apiKey, apiSecret, endpoint] = await Promise.all([
    known(given.cloudApiKey),
    known(given.cloudApiSecret),
    known(given.endpoint),
  ]);
  if (!apiKey !== !apiSecret) {
    throw new Error(
      halfCredentialsMessage(Provider.nameOf(provider), apiKey ? "cloudApiKey" : "cloudApiSecret"),
    );
  }
  const oauthValues = await Promise.all(PROVIDER_OAUTH_ARGS.map((k) => known(given[k])));
  const oauth: OAuthValues = {};
  PROVIDER_OAUTH_ARGS.forEach((k, i) => {
    if (oauthValues[i]) oauth[k] = oauthValues[i];
  });
  if (anyOAuth(oauth)) {
    if (apiKey || apiSecret) {
      throw new Error(bothKindsMessage(`Provider ${Provider.nameOf(provider)}`));
    }
    return { endpoint: endpoint || undefined, oauth };
  }
  return { apiKey: apiKey || undefined, apiSecret: apiSecret || undefined, endpoint: endpoint || undefined };
}

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
  const creds = resolveCredentials(source, lookupCredentials.getStore());
  const cacheKey = credentialsKey(creds);
  let target = clients.get(cacheKey);
  if (target === undefined) {
    const options = clientOptions();
    const client = new ConfluentClient({
      endpoint: creds.endpoint,
      auth: clientAuth(creds),
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
async function withAttempts<T>(fn: () => Promise<T>, opts?: pulumi.InvokeOptions): Promise<T> {
  const own = await providerCredentials(opts);
  return own === undefined ? attempts(fn) : lookupCredentials.run(own, () => attempts(fn));
}

async function attempts<T>(fn: () => Promise<T>): Promise<T> {
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

/** The API's read-lag window: how long a new object may look missing to a GET by id (the provider's too). */
function readLagWindowMs(): number {
  return envNumber(TUNING_ENV.reconcileWaitMs, 5000);
}

/**
 * What a lookup reads of an object's spec (provider/specs/*, type `Spec`): its routes, response schema, id,
 * outputs and how a missing object answers, and no other member. Nothing else about the object is written
 * here, so a lookup and the resource of the same object agree on paths, page sizes, field names and what
 * "gone" means.
 */
interface ReadSpec<R> {
  itemRoute(loc: Locator): Route;
  listRoute(loc: Locator): Route | undefined;
  listRead?: { pageSize?: number };
  response: z.ZodType<R, z.ZodTypeDef, unknown>;
  idOf(body: R): string;
  toOutputs(body: R): PropertyMap;
  goneStatuses: readonly number[];
}

/** `page_size` of a list without `listRead.pageSize` (the spec's default, and the coalescer's). */
const DEFAULT_PAGE_SIZE = 100;

/**
 * An object as a lookup sees it: the spec's outputs, its id (`idOf`) and the `api_version`/`kind` envelope
 * every Confluent object carries (where the outputs do not hold them already). Each lookup maps this to
 * its result in one small function.
 */
type Seen = PropertyMap & { id: string };

function seen<R>(spec: ReadSpec<R>, body: R): Seen {
  const envelope = body as { api_version?: unknown; kind?: unknown };
  return {
    apiVersion: envelope.api_version,
    kind: envelope.kind,
    ...spec.toOutputs(body),
    id: spec.idOf(body),
  };
}

/** A string output, or `fallback` when the API left it out. */
const text = (value: unknown, fallback = ""): string => (typeof value === "string" ? value : fallback);

/**
 * A 403 hides whether the object exists: for a spec that counts 403 as gone, believe it only when the same
 * credentials can list this kind of object (one LIST of page_size 1, as the provider does); otherwise it is
 * a missing permission, and waiting out the read lag would not help.
 */
async function confirmMissing<R>(spec: ReadSpec<R>, noun: string, loc: Locator): Promise<void> {
  const route = spec.listRoute(loc);
  if (route === undefined) {
    throw new Error(
      `cannot read ${noun} ${loc.id}: the API answered 403 Forbidden, which means that the ${noun} does ` +
        `not exist or that the credentials in use may not read it. Check the id and the roles of the ` +
        `credentials' owner.`,
    );
  }
  try {
    await lookupClient().request("GET", route.path, { query: { ...route.query, page_size: 1 } });
  } catch (probe) {
    if (!(probe instanceof ConfluentApiError && (probe.status === 401 || probe.status === 403))) throw probe;
    throw new Error(
      `cannot read ${noun} ${loc.id}: the API answered 403 Forbidden to it and ${probe.status} to a list ` +
        `of ${noun}s (GET ${route.path}), so the credentials in use lack a permission; the ${noun} may well ` +
        `exist. Grant the credentials' owner a role that can read ${noun}s.`,
    );
  }
}

/**
 * GET of one object by id at the spec's `itemRoute`. An answer among the spec's `goneStatuses` right after
 * the object was created (in the same `up`) is the API's eventual consistency, so it is asked again within
 * the window the provider uses for the same lag; only then is the object reported missing.
 */
async function readById<R>(
  spec: ReadSpec<R>,
  noun: string,
  id: string,
  parents: Omit<Locator, "id"> = {},
): Promise<Seen> {
  const loc: Locator = { ...parents, id };
  const route = spec.itemRoute(loc);
  const windowMs = readLagWindowMs();
  const started = Date.now();
  const answered: number[] = [];
  for (let reads = 1; ; reads++) {
    try {
      const body = await lookupClient().request("GET", route.path, {
        query: route.query,
        schema: spec.response,
      });
      return seen(spec, body);
    } catch (e) {
      if (!(e instanceof ConfluentApiError && spec.goneStatuses.includes(e.status))) throw e;
      if (e.status === 403 && !answered.includes(403)) await confirmMissing(spec, noun, loc);
      if (!answered.includes(e.status)) answered.push(e.status);
    }
    const left = started + windowMs - Date.now();
    if (left <= 0 || reads >= 4) {
      throw new Error(
        `no ${noun} with id ${id}: the API answered ${answered.join(" and ")} to ${reads} ` +
          `read${reads === 1 ? "" : "s"} over ${Date.now() - started} ms (an object created moments ago ` +
          `can take that long to appear; ${TUNING_ENV.reconcileWaitMs} sets the wait, now ${windowMs} ms). ` +
          `Check the id.`,
      );
    }
    const delay = Math.min(left, Math.max(50, Math.floor(windowMs / 3)));
    logProgress(`GET ${route.path}: not found yet (the API's read lag); looking again in ${delay} ms`);
    await sleep(delay);
  }
}

/** The locator of a list of objects without a parent: a list has no object id of its own. */
const ORGANIZATION: Locator = { id: "" };

const totalSizeOf = (page: unknown): number | undefined => {
  const meta = (page as { metadata?: { total_size?: unknown } } | null)?.metadata;
  const total = meta?.total_size;
  return typeof total === "number" && Number.isInteger(total) && total >= 0 ? total : undefined;
};

/**
 * Every object of the list at the spec's list route for `loc`, with `filters` added to its query, read at
 * the spec's list page size (`listRead.pageSize`, the endpoint's largest, or {@link DEFAULT_PAGE_SIZE}).
 * `needs` is the error when the spec has no list for `loc` (role bindings need a CRN pattern).
 */
async function listAll<R>(spec: ReadSpec<R>, loc: Locator, filters?: Query, needs = ""): Promise<Seen[]> {
  const route = spec.listRoute(loc);
  if (route === undefined) throw new Error(needs || "this lookup's spec has no list route");
  const { client, origin, basePath } = lookupTarget();
  const path = route.path;
  const query = { ...route.query, ...filters };
  const pageSize = spec.listRead?.pageSize ?? DEFAULT_PAGE_SIZE;
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
  const out: Seen[] = [];
  const pages = paginate(fetchPage, { origin, basePath }, path, {
    itemSchema: spec.response,
    pageSize,
    query,
  });
  for await (const item of pages) out.push(seen(spec, item));
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

function toUser(u: Seen): GetUserResult {
  return {
    id: u.id,
    email: text(u.email),
    fullName: text(u.fullName),
    authType: text(u.authType),
    apiVersion: text(u.apiVersion, "iam/v2"),
    kind: text(u.kind, "User"),
  };
}

/** Every user of the organization (the users list has no filters). */
async function allUsers(): Promise<GetUserResult[]> {
  return (await listAll(userSpec, ORGANIZATION)).map(toUser);
}

/**
 * Finds one user by id, email or full name.
 * @example const dev = await getUser({ email: "dev@example.com" });
 */
export async function getUser(args: GetUserArgs, opts?: pulumi.InvokeOptions): Promise<GetUserResult> {
  return withAttempts(async () => {
    const by = oneOf("getUser", args, ["id", "email", "fullName"] as const);
    if (by === "id") return toUser(await readById(userSpec, "user", args.id ?? ""));
    // The users list has no filters: read it all and match here.
    const all = await allUsers();
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
  }, opts);
}

/** What {@link getUsers} returns. */
export interface GetUsersResult {
  /** Ids of every user of the organization (as @pulumi/confluentcloud's `getUsers`). */
  ids: string[];
  /** Every user, with its fields. */
  users: GetUserResult[];
}

/** Lists every user of the organization. */
export async function getUsers(opts?: pulumi.InvokeOptions): Promise<GetUsersResult> {
  return withAttempts(async () => {
    const users = await allUsers();
    return { ids: users.map((u) => u.id), users };
  }, opts);
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

function toServiceAccount(sa: Seen): GetServiceAccountResult {
  return {
    id: sa.id,
    displayName: text(sa.displayName),
    description: text(sa.description),
    apiVersion: text(sa.apiVersion, "iam/v2"),
    kind: text(sa.kind, "ServiceAccount"),
  };
}

/**
 * Finds one service account by id or display name.
 * @example const ci = await getServiceAccount({ displayName: "ci" });
 */
export async function getServiceAccount(
  args: GetServiceAccountArgs,
  opts?: pulumi.InvokeOptions,
): Promise<GetServiceAccountResult> {
  return withAttempts(async () => {
    const by = oneOf("getServiceAccount", args, ["id", "displayName"] as const);
    if (by === "id")
      return toServiceAccount(await readById(serviceAccountSpec, "service account", args.id ?? ""));
    const name = args.displayName ?? "";
    const found = (await listAll(serviceAccountSpec, ORGANIZATION, { display_name: name })).map(
      toServiceAccount,
    );
    // The filter is the server's; match exactly here too (an older API ignores it).
    return single(
      found.filter((sa) => sa.displayName === name),
      `no service account named ${name}`,
      (n) => `${n} service accounts are named ${name}: use the id`,
    );
  }, opts);
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

function toRoleBinding(rb: Seen): RoleBindingInfo {
  return {
    id: rb.id,
    principal: text(rb.principal),
    roleName: text(rb.roleName),
    crnPattern: text(rb.crnPattern),
  };
}

/**
 * Lists the role bindings on a CRN pattern (the API's own matching), optionally of one principal and role.
 * @example const admins = await getRoleBindings({ crnPattern: orgCrn, roleName: "OrganizationAdmin" });
 */
export async function getRoleBindings(
  args: GetRoleBindingsArgs,
  opts?: pulumi.InvokeOptions,
): Promise<GetRoleBindingsResult> {
  return withAttempts(async () => {
    // The spec's list route carries the crn_pattern, and there is none without one.
    const found = await listAll(
      roleBindingSpec,
      { ...ORGANIZATION, crnPattern: args.crnPattern || undefined },
      { principal: args.principal || undefined, role_name: args.roleName || undefined },
      "getRoleBindings needs crnPattern (the API cannot list without one)",
    );
    return {
      crnPattern: args.crnPattern,
      ...(args.principal ? { principal: args.principal } : {}),
      ...(args.roleName ? { roleName: args.roleName } : {}),
      roleBindings: found.map(toRoleBinding),
    };
  }, opts);
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

function toIdentityProvider(p: Seen): GetIdentityProviderResult {
  return {
    id: p.id,
    displayName: text(p.displayName),
    description: text(p.description),
    issuer: text(p.issuer),
    jwksUri: text(p.jwksUri),
    identityClaim: text(p.identityClaim),
    state: text(p.state),
  };
}

/** Finds one identity provider by id or display name. */
export async function getIdentityProvider(
  args: GetIdentityProviderArgs,
  opts?: pulumi.InvokeOptions,
): Promise<GetIdentityProviderResult> {
  return withAttempts(async () => {
    const by = oneOf("getIdentityProvider", args, ["id", "displayName"] as const);
    if (by === "id") {
      return toIdentityProvider(await readById(identityProviderSpec, "identity provider", args.id ?? ""));
    }
    const name = args.displayName ?? "";
    const all = (await listAll(identityProviderSpec, ORGANIZATION)).map(toIdentityProvider);
    return single(
      all.filter((p) => p.displayName === name),
      `no identity provider named ${name}`,
      (n) => `${n} identity providers are named ${name}: use the id`,
    );
  }, opts);
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
  /**
   * @pulumi/confluentcloud's name for the Azure key: a list holding {@link azure}, empty for a key of
   * another cloud.
   */
  azures: { keyIdentifier: string; keyVaultId: string; tenantId: string; applicationId: string }[];
  /** @pulumi/confluentcloud's name for the GCP key: a list holding {@link gcp}, empty otherwise. */
  gcps: { keyId: string; securityGroup: string }[];
  /** `AWS`, `Azure` or `GCP`. */
  provider: string;
  /** `AVAILABLE` or `IN_USE`. */
  state: string;
}

function toByokKey(k: Seen): GetByokKeyResult {
  // The cloud blocks are the resource's outputs as they are.
  const clouds = k as Pick<GetByokKeyResult, "aws" | "azure" | "gcp">;
  const result: GetByokKeyResult = {
    id: k.id,
    displayName: text(k.displayName),
    provider: text(k.provider),
    state: text(k.state),
    azures: clouds.azure ? [clouds.azure] : [],
    gcps: clouds.gcp ? [clouds.gcp] : [],
  };
  if (clouds.aws) result.aws = clouds.aws;
  if (clouds.azure) result.azure = clouds.azure;
  if (clouds.gcp) result.gcp = clouds.gcp;
  return result;
}

/** Reads one BYOK key by id. */
export async function getByokKey(
  args: GetByokKeyArgs,
  opts?: pulumi.InvokeOptions,
): Promise<GetByokKeyResult> {
  return withAttempts(async () => {
    if (!args.id) throw new Error("getByokKey needs id");
    return toByokKey(await readById(byokKeySpec, "BYOK key", args.id));
  }, opts);
}

// ---------------------------------------------------------------------------------------------------------
// Organization

/**
 * The organization as org/v2 answers it (org_v2.yaml `org.v2.Organization`; `api_version`, `id` and `kind`
 * are required there). No resource of this package manages organizations, so this is the one place that
 * knows their routes and fields: the read spec below, in the shape the other lookups read from
 * provider/specs/*.
 */
const organizationResponse = z.object({
  api_version: z.string(),
  kind: z.string(),
  id: z.string().min(1),
  metadata: z.object({ self: z.string().optional(), resource_name: z.string().optional() }).optional(),
  display_name: z.string().optional(),
  jit_enabled: z.boolean().optional(),
});
type OrganizationBody = z.infer<typeof organizationResponse>;

/** `GET /org/v2/organizations` (page size at most 100) lists the organizations the credentials belong to. */
const organizationSpec: ReadSpec<OrganizationBody> = {
  itemRoute: (loc) => ({ path: `/org/v2/organizations/${encodeURIComponent(loc.id)}` }),
  listRoute: () => ({ path: "/org/v2/organizations" }),
  listRead: { pageSize: 100 },
  response: organizationResponse,
  idOf: (o) => o.id,
  toOutputs: (o) => ({ displayName: o.display_name, resourceName: o.metadata?.resource_name }),
  goneStatuses: [404],
};

/** Arguments of {@link getOrganization}; all optional. */
export interface GetOrganizationArgs {
  /**
   * The organization's id. Needed only when the credentials belong to more than one organization (a user's
   * Cloud API key can); then it picks one of them.
   */
  id?: string;
}

/** The organization, as @pulumi/confluentcloud's `getOrganization` returns it (plus its display name). */
export interface GetOrganizationResult {
  /** The organization's id (a UUID). */
  id: string;
  /** Its CRN, `crn://confluent.cloud/organization=<id>`: the root of every CRN pattern in it. */
  resourceName: string;
  /** Its display name; `""` when the API does not say. */
  displayName: string;
}

function toOrganization(o: Seen): GetOrganizationResult {
  return {
    id: o.id,
    resourceName: text(o.resourceName, `crn://confluent.cloud/organization=${o.id}`),
    displayName: text(o.displayName),
  };
}

/** What a 401 or 403 to the organizations list means, and what to do about it. */
function organizationDenied(e: ConfluentApiError): Error {
  const asked = "getOrganization: GET /org/v2/organizations answered";
  if (e.status === 401) {
    return new Error(
      `${asked} 401 Unauthorized: the API key or secret is wrong, or the key is not a Cloud API key (a ` +
        `Kafka or Schema Registry key cannot read the organization). Set confluentcloud:cloudApiKey and ` +
        `confluentcloud:cloudApiSecret (or CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET) to a ` +
        `Cloud API key and its secret.`,
      { cause: e },
    );
  }
  return new Error(
    `${asked} 403 Forbidden: the credentials' owner may not read the organization. Grant it a role on the ` +
      `organization that can (OrganizationAdmin, AccountAdmin or Operator), or use the Cloud API key of ` +
      `one that has it.`,
    { cause: e },
  );
}

/**
 * The organization the credentials belong to: one list of `GET /org/v2/organizations`. Use it to build CRNs
 * without pasting the organization id.
 * @example
 * const org = confluentcloud.getOrganizationOutput();
 * const envCrn = pulumi.interpolate`${org.resourceName}/environment=${env}`;
 */
export async function getOrganization(
  args: GetOrganizationArgs = {},
  opts?: pulumi.InvokeOptions,
): Promise<GetOrganizationResult> {
  return withAttempts(async () => {
    let all: GetOrganizationResult[];
    try {
      all = (await listAll(organizationSpec, ORGANIZATION)).map(toOrganization);
    } catch (e) {
      if (e instanceof ConfluentApiError && (e.status === 401 || e.status === 403)) {
        throw organizationDenied(e);
      }
      throw e;
    }
    if (all.length === 0) {
      throw new Error(
        "getOrganization: GET /org/v2/organizations answered no organization: the credentials belong to " +
          "none. Use a Cloud API key of a user or service account of the organization.",
      );
    }
    const ids = all.map((o) => o.id).join(", ");
    const wanted = args.id ?? "";
    if (wanted !== "") {
      const found = all.find((o) => o.id === wanted);
      if (found === undefined) {
        throw new Error(
          `getOrganization: no organization with id ${wanted} among those the credentials belong to ` +
            `(${ids}). Pass one of these as id, or use a Cloud API key of organization ${wanted}.`,
        );
      }
      return found;
    }
    if (all.length > 1) {
      throw new Error(
        `getOrganization: the credentials belong to ${all.length} organizations (${ids}); say which one ` +
          `with the id argument, e.g. getOrganization({ id: "${all[0]?.id ?? ""}" }).`,
      );
    }
    return all[0] as GetOrganizationResult;
  }, opts);
}

// ---------------------------------------------------------------------------------------------------------
// Output variants: the same lookups, taking Pulumi Inputs.

/** Inputs version of a lookup's arguments. */
export type LookupInputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** {@link getUser} with Inputs. */
export function getUserOutput(
  args: LookupInputs<GetUserArgs>,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetUserResult> {
  return pulumi.output(args).apply((a) => getUser(a, opts));
}

/** {@link getUsers} as an Output. */
export function getUsersOutput(opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetUsersResult> {
  return pulumi.output(getUsers(opts));
}

/** {@link getServiceAccount} with Inputs. */
export function getServiceAccountOutput(
  args: LookupInputs<GetServiceAccountArgs>,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetServiceAccountResult> {
  return pulumi.output(args).apply((a) => getServiceAccount(a, opts));
}

/** {@link getRoleBindings} with Inputs. */
export function getRoleBindingsOutput(
  args: LookupInputs<GetRoleBindingsArgs>,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetRoleBindingsResult> {
  return pulumi.output(args).apply((a) => getRoleBindings(a, opts));
}

/** {@link getIdentityProvider} with Inputs. */
export function getIdentityProviderOutput(
  args: LookupInputs<GetIdentityProviderArgs>,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetIdentityProviderResult> {
  return pulumi.output(args).apply((a) => getIdentityProvider(a, opts));
}

/** {@link getByokKey} with Inputs. */
export function getByokKeyOutput(
  args: LookupInputs<GetByokKeyArgs>,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetByokKeyResult> {
  return pulumi.output(args).apply((a) => getByokKey(a, opts));
}

/** {@link getOrganization} with Inputs. */
export function getOrganizationOutput(
  args: LookupInputs<GetOrganizationArgs> = {},
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetOrganizationResult> {
  return pulumi.output(args).apply((a) => getOrganization(a, opts));
}

// ---------------------------------------------------------------------------------------------------------
// Lookups as tables (issue 13): each lookup below is one entry of `LookupTable`, read by `lookup()`; the
// entry says which spec it reads, which arguments find the object, and what it returns.

/** An argument other than `id` that finds the object in its list: the result field the argument must equal. */
interface ListKey<R> {
  /** The result field compared with the argument, exactly (none of these lists has a server-side filter). */
  field: keyof R & string;
}

/**
 * One lookup. `id` is read with one GET at the spec's item route (waiting out the read lag, as the lookups
 * above do); each key of `list` is an argument that finds the object in the spec's list instead, read to
 * the end at the spec's page size. Exactly one of `id` and the `list` keys must be given.
 */
interface LookupTable<A, R extends { id: string }> {
  /** The function's name, which its errors start with: `getGroupMapping`. */
  name: string;
  /** `group mapping` (its plural adds an `s`). */
  noun: string;
  spec: ReadSpec<unknown>;
  /** The result, from the object as the spec reads it and the locator it was read at. */
  result(o: Seen, loc: Locator): R;
  list?: { [K in keyof A]?: ListKey<R> };
  /**
   * A required argument `{ id }` naming the parent the objects live under (an identity pool's identity
   * provider): the locator member it fills, the parent's noun and the form of its id.
   */
  parent?: { arg: keyof A & string; locator: string; noun: string; idFormat: string };
}

/** A lookup function made from its table. */
function lookup<A extends object, R extends { id: string }>(
  t: LookupTable<A, R>,
): (args: A, opts?: pulumi.InvokeOptions) => Promise<R> {
  return (args, opts) =>
    withAttempts(async () => {
      const values = (args ?? {}) as Record<string, unknown>;
      const parents: Omit<Locator, "id"> = {};
      let under = "";
      if (t.parent !== undefined) {
        const ref = values[t.parent.arg] as { id?: unknown } | undefined;
        const parentId = typeof ref?.id === "string" ? ref.id : "";
        if (parentId === "") {
          throw new Error(
            `${t.name} needs ${t.parent.arg}.id: the id (${t.parent.idFormat}) of the ${t.parent.noun} the ` +
              `${t.noun} belongs to`,
          );
        }
        parents[t.parent.locator] = parentId;
        under = ` under ${t.parent.noun} ${parentId}`;
      }
      const listKeys = Object.keys(t.list ?? {}) as (keyof A & string)[];
      const strings = values as Partial<Record<string, string>>;
      if (listKeys.length === 0 && !strings.id) throw new Error(`${t.name} needs id`);
      const by = listKeys.length === 0 ? "id" : oneOf(t.name, strings, ["id", ...listKeys]);
      if (by === "id") {
        const loc: Locator = { ...parents, id: strings.id ?? "" };
        return t.result(await readById(t.spec, t.noun, loc.id, parents), loc);
      }
      const key = t.list?.[by as keyof A] as ListKey<R>;
      const wanted = strings[by] ?? "";
      const loc: Locator = { ...parents, id: "" };
      const all = (await listAll(t.spec, loc)).map((o) => t.result(o, loc));
      const matches = all.filter((r) => r[key.field] === wanted);
      const plural = `${t.noun}s`;
      return single(
        matches,
        `${t.name}: no ${t.noun} has ${by} ${JSON.stringify(wanted)}${under} (the API listed ${all.length} ` +
          `${all.length === 1 ? t.noun : plural}). Check the ${by}, or look the ${t.noun} up by id.`,
        (n) =>
          `${t.name}: ${n} ${plural} have ${by} ${JSON.stringify(wanted)}${under} ` +
          `(${matches.map((m) => m.id).join(", ")}); pass id instead to choose one.`,
      );
    }, opts);
}

/** The `…Output` variant of a lookup: the same function, taking Pulumi Inputs. */
function lookupOutput<A, R>(
  get: (args: A, opts?: pulumi.InvokeOptions) => Promise<R>,
): (args: LookupInputs<A>, opts?: pulumi.InvokeOutputOptions) => pulumi.Output<R> {
  return (args, opts) => pulumi.output(args).apply((a) => get(a as unknown as A, opts));
}

/** A list of strings of an output, `[]` when the API left it out. */
const texts = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

/** `[{ id }]` references of an output, `[]` when the API left it out. */
const refs = (value: unknown): { id: string }[] =>
  Array.isArray(value) ? value.map((r) => ({ id: text((r as { id?: unknown } | null)?.id) })) : [];

// Group mappings ------------------------------------------------------------------------------------------

/** Arguments of {@link getGroupMapping}: exactly one of them. */
export interface GetGroupMappingArgs {
  /** The group mapping's id, `group-…`. */
  id?: string;
  /** Its display name (exact). */
  displayName?: string;
}

/** An SSO group mapping, as {@link getGroupMapping} returns it. */
export interface GetGroupMappingResult {
  /** `group-…` */
  id: string;
  displayName: string;
  /** `""` when none. */
  description: string;
  /** The CEL filter over the SSO login's claims, e.g. `"engineering" in groups`. */
  filter: string;
  /** The federated identity of the mapping (`group-…`; role bindings name it `User:group-…`); `""` when the API does not say. */
  principal: string;
  /** `""` when the API does not say. */
  state: string;
}

/**
 * Finds one SSO group mapping by id or display name (the list of every mapping, 100 per page).
 * @example const admins = await getGroupMapping({ displayName: "platform-admins" });
 */
export const getGroupMapping = lookup<GetGroupMappingArgs, GetGroupMappingResult>({
  name: "getGroupMapping",
  noun: "group mapping",
  spec: groupMappingSpec,
  list: { displayName: { field: "displayName" } },
  result: (g) => ({
    id: g.id,
    displayName: text(g.displayName),
    description: text(g.description),
    filter: text(g.filter),
    principal: text(g.principal),
    state: text(g.state),
  }),
});

/** {@link getGroupMapping} with Inputs. */
export const getGroupMappingOutput = lookupOutput(getGroupMapping);

// Identity pools ------------------------------------------------------------------------------------------

/** Arguments of {@link getIdentityPool}: `identityProvider`, and exactly one of `id` and `displayName`. */
export interface GetIdentityPoolArgs {
  /** The identity provider the pool belongs to. */
  identityProvider: { id: string };
  /** The pool's id, `pool-…`. */
  id?: string;
  /** Its display name (exact). */
  displayName?: string;
}

/** {@link GetIdentityPoolArgs} with Inputs, the provider's id too. */
export interface GetIdentityPoolOutputArgs {
  identityProvider: pulumi.Input<{ id: pulumi.Input<string> }>;
  id?: pulumi.Input<string>;
  displayName?: pulumi.Input<string>;
}

/** An identity pool, as {@link getIdentityPool} returns it. */
export interface GetIdentityPoolResult {
  /** `pool-…` */
  id: string;
  identityProvider: { id: string };
  displayName: string;
  description: string;
  identityClaim: string;
  filter: string;
  /** The principal for role bindings (the pool's id). */
  principal: string;
}

/**
 * Finds one identity pool of an identity provider, by id or display name.
 * @example const pool = await getIdentityPool({ identityProvider: { id: "op-abc123" }, displayName: "ci" });
 */
export const getIdentityPool = lookup<GetIdentityPoolArgs, GetIdentityPoolResult>({
  name: "getIdentityPool",
  noun: "identity pool",
  spec: identityPoolSpec,
  parent: {
    arg: "identityProvider",
    locator: "identityProvider",
    noun: "identity provider",
    idFormat: "op-…",
  },
  list: { displayName: { field: "displayName" } },
  result: (p, loc) => ({
    id: p.id,
    identityProvider: {
      id: text((p.identityProvider as { id?: unknown } | undefined)?.id, loc.identityProvider),
    },
    displayName: text(p.displayName),
    description: text(p.description),
    identityClaim: text(p.identityClaim),
    filter: text(p.filter),
    principal: text(p.principal, p.id),
  }),
});

/** {@link getIdentityPool} with Inputs. */
export const getIdentityPoolOutput = (
  args: GetIdentityPoolOutputArgs,
  opts?: pulumi.InvokeOptions,
): pulumi.Output<GetIdentityPoolResult> => pulumi.output(args).apply((a) => getIdentityPool(a, opts));

// Invitations ---------------------------------------------------------------------------------------------

/** Arguments of {@link getInvitation}. */
export interface GetInvitationArgs {
  /** The invitation's id, `i-…`. */
  id: string;
}

/** An invitation, with the same fields as the {@link Invitation} resource's outputs. */
export interface GetInvitationResult {
  id: string;
  email: string;
  /** `AUTH_TYPE_LOCAL` or `AUTH_TYPE_SSO`. */
  authType: string;
  /** `INVITE_STATUS_SENT`, `INVITE_STATUS_ACCEPTED`, … */
  status: string;
  /** `""` until accepted. */
  acceptedAt: string;
  expiresAt: string;
  /** The invited user, once there is one. */
  users: { id: string }[];
  /** Who sent the invitation. */
  creators: { id: string }[];
}

/** Reads one invitation by id. */
export const getInvitation = lookup<GetInvitationArgs, GetInvitationResult>({
  name: "getInvitation",
  noun: "invitation",
  spec: invitationSpec,
  result: (i) => ({
    id: i.id,
    email: text(i.email),
    authType: text(i.authType),
    status: text(i.status),
    acceptedAt: text(i.acceptedAt),
    expiresAt: text(i.expiresAt),
    users: refs(i.users),
    creators: refs(i.creators),
  }),
});

/** {@link getInvitation} with Inputs. */
export const getInvitationOutput = lookupOutput(getInvitation);

// IP groups and filters -----------------------------------------------------------------------------------

/** Arguments of {@link getIpGroup}. */
export interface GetIpGroupArgs {
  /** The IP group's id, `ipg-…`. */
  id: string;
}

/** An IP group, as {@link getIpGroup} returns it. */
export interface GetIpGroupResult {
  id: string;
  groupName: string;
  /** In the API's order. */
  cidrBlocks: string[];
}

/** Reads one IP group by id. */
export const getIpGroup = lookup<GetIpGroupArgs, GetIpGroupResult>({
  name: "getIpGroup",
  noun: "IP group",
  spec: ipGroupSpec,
  result: (g) => ({ id: g.id, groupName: text(g.groupName), cidrBlocks: texts(g.cidrBlocks) }),
});

/** {@link getIpGroup} with Inputs. */
export const getIpGroupOutput = lookupOutput(getIpGroup);

/** Arguments of {@link getIpFilter}. */
export interface GetIpFilterArgs {
  /** The IP filter's id, `ipf-…`. */
  id: string;
}

/** An IP filter, as {@link getIpFilter} returns it. */
export interface GetIpFilterResult {
  id: string;
  filterName: string;
  /** `management` or `multiple`. */
  resourceGroup: string;
  /** The CRN the filter applies to; `""` when the API does not say. */
  resourceScope: string;
  operationGroups: string[];
  /** Ids of its IP groups, `ipg-…`. */
  ipGroups: string[];
}

/** Reads one IP filter by id. */
export const getIpFilter = lookup<GetIpFilterArgs, GetIpFilterResult>({
  name: "getIpFilter",
  noun: "IP filter",
  spec: ipFilterSpec,
  result: (f) => ({
    id: f.id,
    filterName: text(f.filterName),
    resourceGroup: text(f.resourceGroup),
    resourceScope: text(f.resourceScope),
    operationGroups: texts(f.operationGroups),
    ipGroups: texts(f.ipGroups),
  }),
});

/** {@link getIpFilter} with Inputs. */
export const getIpFilterOutput = lookupOutput(getIpFilter);

// One role binding ----------------------------------------------------------------------------------------

/** Arguments of {@link getRoleBinding}. */
export interface GetRoleBindingArgs {
  /** The role binding's id, `rb-…`. */
  id: string;
}

/** A role binding, as {@link getRoleBinding} returns it. */
export type GetRoleBindingResult = RoleBindingInfo;

/**
 * Reads one role binding by id. The API answers a missing binding, and one the credentials may not see, with
 * the same 403, and lists bindings only under a CRN pattern: the error says so rather than guessing.
 */
export const getRoleBinding = lookup<GetRoleBindingArgs, GetRoleBindingResult>({
  name: "getRoleBinding",
  noun: "role binding",
  spec: roleBindingSpec,
  result: toRoleBinding,
});

/** {@link getRoleBinding} with Inputs. */
export const getRoleBindingOutput = lookupOutput(getRoleBinding);

// Environments --------------------------------------------------------------------------------------------

/**
 * An environment as org/v2 answers it (org_v2.yaml `org.v2.Environment`). No resource of this package
 * manages environments, so their read spec is here, as the organization's is.
 */
const environmentResponse = z.object({
  api_version: z.string().optional(),
  kind: z.string().optional(),
  id: z.string().min(1),
  metadata: z.object({ self: z.string().optional(), resource_name: z.string().optional() }).optional(),
  display_name: z.string().optional(),
  stream_governance_config: z.object({ package: z.string() }).nullable().optional(),
});
type EnvironmentBody = z.infer<typeof environmentResponse>;

/** `GET /org/v2/environments` (page size at most 100, no filters) and `GET /org/v2/environments/{id}`. */
const environmentSpec: ReadSpec<EnvironmentBody> = {
  itemRoute: (loc) => ({ path: `/org/v2/environments/${encodeURIComponent(loc.id)}` }),
  listRoute: () => ({ path: "/org/v2/environments" }),
  listRead: { pageSize: 100 },
  response: environmentResponse,
  idOf: (e) => e.id,
  toOutputs: (e) => ({
    displayName: e.display_name,
    resourceName: e.metadata?.resource_name,
    streamGovernance: e.stream_governance_config ?? undefined,
  }),
  goneStatuses: [404],
};

/** Arguments of {@link getEnvironment}: exactly one of `id` and `displayName`. */
export interface GetEnvironmentArgs {
  /** The environment's id, `env-…`. */
  id?: string;
  /** Its display name (exact). */
  displayName?: string;
  /** Accepted as @pulumi/confluentcloud accepts it; not used to choose the environment. */
  streamGovernance?: { package: string };
}

/** An environment, as {@link getEnvironment} and {@link getEnvironments} return it. */
export interface GetEnvironmentResult {
  /** `env-…` */
  id: string;
  displayName: string;
  /** Its CRN, `crn://confluent.cloud/organization=…/environment=env-…`: use it as a role binding's crnPattern. */
  resourceName: string;
  /** The Stream Governance package (`ESSENTIALS`, `ADVANCED`); `""` when the API does not say. */
  streamGovernance: { package: string };
}

function toEnvironment(e: Seen): GetEnvironmentResult {
  const governance = e.streamGovernance as { package?: unknown } | undefined;
  return {
    id: e.id,
    displayName: text(e.displayName),
    resourceName: text(e.resourceName),
    streamGovernance: { package: text(governance?.package) },
  };
}

/**
 * Finds one environment by id (one GET) or display name (the list of every environment the credentials
 * see, 100 per page; the API has no name filter).
 * @example
 * const prod = confluentcloud.getEnvironmentOutput({ displayName: "prod" });
 * new confluentcloud.RoleBinding("ops", { principal, roleName: "EnvironmentAdmin", crnPattern: prod.resourceName });
 */
export const getEnvironment = lookup<GetEnvironmentArgs, GetEnvironmentResult>({
  name: "getEnvironment",
  noun: "environment",
  spec: environmentSpec,
  list: { displayName: { field: "displayName" } },
  result: toEnvironment,
});

/** {@link getEnvironment} with Inputs. */
export const getEnvironmentOutput = lookupOutput(getEnvironment);

/** What {@link getEnvironments} returns. */
export interface GetEnvironmentsResult {
  /** Ids of every environment the credentials see (as @pulumi/confluentcloud's `getEnvironments`). */
  ids: string[];
  /** Every environment, with its fields. */
  environments: GetEnvironmentResult[];
}

/** Lists every environment the credentials see. */
export async function getEnvironments(opts?: pulumi.InvokeOptions): Promise<GetEnvironmentsResult> {
  return withAttempts(async () => {
    const environments = (await listAll(environmentSpec, ORGANIZATION)).map(toEnvironment);
    return { ids: environments.map((e) => e.id), environments };
  }, opts);
}

/** {@link getEnvironments} as an Output. */
export function getEnvironmentsOutput(
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetEnvironmentsResult> {
  return pulumi.output(getEnvironments(opts));
}

// Provider integrations (pim/v1, AWS) -----------------------------------------------------------------------

/** Arguments of {@link getProviderIntegration}: `environment`, and exactly one of `id` and `displayName`. */
export interface GetProviderIntegrationArgs {
  /** The environment the integration belongs to (the API reads integrations per environment). */
  environment: { id: string };
  /** The integration's id, `cspi-…`. */
  id?: string;
  /** Its display name (exact). */
  displayName?: string;
}

/** {@link GetProviderIntegrationArgs} with Inputs, the environment's id too. */
export interface GetProviderIntegrationOutputArgs {
  environment: pulumi.Input<{ id: pulumi.Input<string> }>;
  id?: pulumi.Input<string>;
  displayName?: pulumi.Input<string>;
}

/** A pim/v1 provider integration, in @pulumi/confluentcloud's shape (`aws` is a list of one). */
export interface GetProviderIntegrationResult {
  /** `cspi-…` */
  id: string;
  displayName: string;
  environment: { id: string };
  /** The AWS side: the customer's role, the role Confluent assumes and the external id it sends. */
  aws: { customerRoleArn: string; iamRoleArn: string; externalId: string }[];
  /** The resources that use the integration (connectors). */
  usages: string[];
}

/**
 * Finds one pim/v1 (AWS) provider integration of an environment, by id or display name.
 * @example const s3 = await getProviderIntegration({ environment: { id: "env-abc123" }, displayName: "s3-sink" });
 */
export const getProviderIntegration = lookup<GetProviderIntegrationArgs, GetProviderIntegrationResult>({
  name: "getProviderIntegration",
  noun: "provider integration",
  spec: providerIntegrationSpec,
  parent: {
    arg: "environment",
    locator: "environment",
    noun: "environment",
    idFormat: "env-…",
  },
  list: { displayName: { field: "displayName" } },
  result: (p, loc) => {
    const aws = p.aws as
      { customerRoleArn?: unknown; iamRoleArn?: unknown; externalId?: unknown } | undefined;
    return {
      id: p.id,
      displayName: text(p.displayName),
      environment: { id: text((p.environment as { id?: unknown } | undefined)?.id, loc.environment) },
      aws: aws
        ? [
            {
              customerRoleArn: text(aws.customerRoleArn),
              iamRoleArn: text(aws.iamRoleArn),
              externalId: text(aws.externalId),
            },
          ]
        : [],
      usages: texts(p.usages),
    };
  },
});

/** {@link getProviderIntegration} with Inputs. */
export const getProviderIntegrationOutput = (
  args: GetProviderIntegrationOutputArgs,
  opts?: pulumi.InvokeOptions,
): pulumi.Output<GetProviderIntegrationResult> =>
  pulumi.output(args).apply((a) => getProviderIntegration(a, opts));

// Provider integrations pim/v2 (Azure, GCP): setup and authorization -------------------------------------

const environmentParent = {
  arg: "environment",
  locator: "environment",
  noun: "environment",
  idFormat: "env-…",
} as const;

/** Arguments of {@link getProviderIntegrationSetup}: `environment`, and exactly one of `id` and `displayName`. */
export type GetProviderIntegrationSetupArgs = GetProviderIntegrationArgs;

/** A pim/v2 integration, as @pulumi/confluentcloud's `getProviderIntegrationSetup` answers it. */
export interface GetProviderIntegrationSetupResult {
  id: string;
  displayName: string;
  environment: { id: string };
  /** `AZURE` or `GCP`. */
  cloud: string;
  /** `DRAFT`, `CREATED` or `ACTIVE`. */
  status: string;
  usages: string[];
}

/** Finds one pim/v2 (Azure, GCP) provider integration by id or display name, in its environment. */
export const getProviderIntegrationSetup = lookup<
  GetProviderIntegrationSetupArgs,
  GetProviderIntegrationSetupResult
>({
  name: "getProviderIntegrationSetup",
  noun: "provider integration",
  spec: providerIntegrationSetupSpec,
  parent: environmentParent,
  list: { displayName: { field: "displayName" } },
  result: (p, loc) => ({
    id: p.id,
    displayName: text(p.displayName),
    environment: { id: text((p.environment as { id?: unknown } | undefined)?.id, loc.environment) },
    cloud: text(p.cloud),
    status: text(p.status),
    usages: texts(p.usages),
  }),
});

/** {@link getProviderIntegrationSetup} with Inputs. */
export const getProviderIntegrationSetupOutput = (
  args: GetProviderIntegrationOutputArgs,
  opts?: pulumi.InvokeOptions,
): pulumi.Output<GetProviderIntegrationSetupResult> =>
  pulumi.output(args).apply((a) => getProviderIntegrationSetup(a, opts));

/** Arguments of {@link getProviderIntegrationAuthorization}. */
export interface GetProviderIntegrationAuthorizationArgs {
  /** The integration's id, `cspi-…`. */
  id: string;
  /** Its environment. */
  environment: { id: string };
}

/**
 * A pim/v2 integration's cloud sides, as @pulumi/confluentcloud's `getProviderIntegrationAuthorization`
 * answers them: `azures` / `gcps` hold one element for an integration of that cloud (Confluent's side is
 * there from the setup on, the customer's once it is authorized), none otherwise.
 */
export interface GetProviderIntegrationAuthorizationResult {
  id: string;
  providerIntegrationId: string;
  environment: { id: string };
  azures: { customerAzureTenantId: string; confluentMultiTenantAppId: string }[];
  gcps: { customerGoogleServiceAccount: string; googleServiceAccount: string }[];
}

/**
 * Reads a pim/v2 integration's cloud sides by id. Confluent's side is there from the setup on, so a program
 * can make the Azure service principal (or the GCP grant) before the authorization validates.
 */
export const getProviderIntegrationAuthorization = lookup<
  GetProviderIntegrationAuthorizationArgs,
  GetProviderIntegrationAuthorizationResult
>({
  name: "getProviderIntegrationAuthorization",
  noun: "provider integration",
  spec: providerIntegrationAuthorizationSpec,
  parent: environmentParent,
  result: (p, loc) => {
    const azure = p.azure as
      { customerAzureTenantId?: unknown; confluentMultiTenantAppId?: unknown } | undefined;
    const gcp = p.gcp as
      { customerGoogleServiceAccount?: unknown; googleServiceAccount?: unknown } | undefined;
    return {
      id: p.id,
      providerIntegrationId: text(p.providerIntegrationId, p.id),
      environment: { id: text((p.environment as { id?: unknown } | undefined)?.id, loc.environment) },
      azures: azure
        ? [
            {
              customerAzureTenantId: text(azure.customerAzureTenantId),
              confluentMultiTenantAppId: text(azure.confluentMultiTenantAppId),
            },
          ]
        : [],
      gcps: gcp
        ? [
            {
              customerGoogleServiceAccount: text(gcp.customerGoogleServiceAccount),
              googleServiceAccount: text(gcp.googleServiceAccount),
            },
          ]
        : [],
    };
  },
});

/** {@link getProviderIntegrationAuthorization} with Inputs. */
export const getProviderIntegrationAuthorizationOutput = lookupOutput(getProviderIntegrationAuthorization);

// ---------------------------------------------------------------------------------------------------------
// Certificate authorities and certificate pools (mutual TLS)

/** Arguments of {@link getCertificateAuthority}. */
export interface GetCertificateAuthorityArgs {
  /** The certificate authority's id, `op-…`. */
  id: string;
}

/** A certificate authority, as {@link getCertificateAuthority} returns it (its chain is never answered). */
export interface GetCertificateAuthorityResult {
  /** `op-…` */
  id: string;
  displayName: string;
  description: string;
  certificateChainFilename: string;
  /** SHA-1 fingerprints of the chain's certificates. */
  fingerprints: string[];
  expirationDates: string[];
  serialNumbers: string[];
  /** `LOCAL`, `URL` or `""` (no CRL). */
  crlSource: string;
  /** The CRL's URL; `""` without one, and after a CRL file upload (the API's `Local file uploaded`). */
  crlUrl: string;
  crlUpdatedAt: string;
  /** Whether client certificates are refused unless a CRL is configured and checked. */
  requireCrlOnClientCertificate: boolean;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map((v) => String(v)) : []);

function toCertificateAuthority(ca: Seen): GetCertificateAuthorityResult {
  return {
    id: ca.id,
    displayName: text(ca.displayName),
    description: text(ca.description),
    certificateChainFilename: text(ca.certificateChainFilename),
    fingerprints: strings(ca.fingerprints),
    expirationDates: strings(ca.expirationDates),
    serialNumbers: strings(ca.serialNumbers),
    crlSource: text(ca.crlSource),
    crlUrl: text(ca.crlUrl),
    crlUpdatedAt: text(ca.crlUpdatedAt),
    requireCrlOnClientCertificate: ca.requireCrlOnClientCertificate === true,
  };
}

/** Reads one certificate authority by id. */
export const getCertificateAuthority = lookup<GetCertificateAuthorityArgs, GetCertificateAuthorityResult>({
  name: "getCertificateAuthority",
  noun: "certificate authority",
  spec: certificateAuthoritySpec,
  result: toCertificateAuthority,
});

/** Arguments of {@link getCertificatePool}: the authority, and one of the pool's id or display name. */
export interface GetCertificatePoolArgs {
  /** The pool's certificate authority. */
  certificateAuthority: { id: string };
  /** The pool's id, `pool-…`. */
  id?: string;
  /** Its display name (unique under its authority, or the lookup fails naming the ids). */
  displayName?: string;
}

/** A certificate pool, as {@link getCertificatePool} returns it. */
export interface GetCertificatePoolResult {
  /** `pool-…`; bind `User:<id>` in role bindings. */
  id: string;
  certificateAuthority: { id: string };
  displayName: string;
  description: string;
  externalIdentifier: string;
  filter: string;
}

/** Finds one certificate pool of a certificate authority by id or display name. */
export const getCertificatePool = lookup<GetCertificatePoolArgs, GetCertificatePoolResult>({
  name: "getCertificatePool",
  noun: "certificate pool",
  spec: certificatePoolSpec,
  parent: {
    arg: "certificateAuthority",
    locator: "certificateAuthority",
    noun: "certificate authority",
    idFormat: "op-…",
  },
  list: { displayName: { field: "displayName" } },
  result: (p, loc) => ({
    id: p.id,
    certificateAuthority: { id: loc.certificateAuthority ?? "" },
    displayName: text(p.displayName),
    description: text(p.description),
    externalIdentifier: text(p.externalIdentifier),
    filter: text(p.filter),
  }),
});

/** {@link getCertificateAuthority} with Inputs. */
export const getCertificateAuthorityOutput = lookupOutput(getCertificateAuthority);

/** {@link getCertificatePool} with Inputs. */
export const getCertificatePoolOutput = lookupOutput(getCertificatePool);
