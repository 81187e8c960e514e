/**
 * Credentials by OAuth: Confluent's token exchange (sts_v1.yaml; ADDENDA.md "all Cloud APIs").
 *
 * The settings are @pulumi/confluentcloud's provider `oauth` block, flattened (its members are
 * terraform-provider-confluent's `oauth_external_token_url`, `oauth_external_client_id`,
 * `oauth_external_client_secret`, `oauth_external_token_scope`, `oauth_identity_pool_id`,
 * `oauth_sts_token_expired_in_seconds` and `oauth_external_access_token`: internal/provider/oauth.go and
 * provider.go `providerOAuthSchema` of confluentinc/terraform-provider-confluent, and the ConfluentProviderOauth
 * type of the bridged packages). Stack config: `confluentcloud:<name>`. terraform-provider-confluent reads
 * no environment variables for them; ours are `CONFLUENT_OAUTH_<NAME IN CAPITALS>`. Ours beyond the anchor:
 * `oauthExternalAccessTokenFile` (a ready token in a file, read again at every exchange: Kubernetes'
 * projected tokens, a token the caller refreshes) and `oauthExternalTokenAudience` (the `audience` asked of
 * GitHub Actions' OIDC token request, and of a client-credentials request).
 *
 * Sources of the external JWT, exactly one: client credentials at `oauthExternalTokenUrl`; a ready token
 * (`oauthExternalAccessToken`: secret config or env, never a `Provider` argument, since those are stored
 * with every resource); a file; or, when none is set, GitHub Actions' OIDC token request
 * (`ACTIONS_ID_TOKEN_REQUEST_URL` + `ACTIONS_ID_TOKEN_REQUEST_TOKEN`, `&audience=`).
 *
 * Tokens live only in memory, in one {@link OAuthTokenSource} per credentials set: fetched when the first
 * call needs one, refreshed before expiry (a minute before, or at half the lifetime when shorter, as
 * terraform-provider-confluent does; three minutes for the external token), and once more when the API
 * answers 401 to a bearer call. They are never in state, outputs, logs or messages.
 */
import { readFileSync } from "node:fs";
import { redact } from "./client";

/** One OAuth setting: its environment variable and whether its value is secret. */
interface SettingInfo {
  env: string;
  secret?: boolean;
  /** What it is, for messages. */
  what: string;
}

export const OAUTH_SETTINGS = {
  oauthExternalTokenUrl: {
    env: "CONFLUENT_OAUTH_EXTERNAL_TOKEN_URL",
    what: "the identity provider's token URL (client credentials)",
  },
  oauthExternalClientId: {
    env: "CONFLUENT_OAUTH_EXTERNAL_CLIENT_ID",
    what: "the client id at the token URL",
  },
  oauthExternalClientSecret: {
    env: "CONFLUENT_OAUTH_EXTERNAL_CLIENT_SECRET",
    secret: true,
    what: "the client secret at the token URL",
  },
  oauthExternalTokenScope: { env: "CONFLUENT_OAUTH_EXTERNAL_TOKEN_SCOPE", what: "the scope asked for" },
  oauthIdentityPoolId: {
    env: "CONFLUENT_OAUTH_IDENTITY_POOL_ID",
    what: "the identity pool (pool-…) whose role bindings the token acts with",
  },
  oauthStsTokenExpiredInSeconds: {
    env: "CONFLUENT_OAUTH_STS_TOKEN_EXPIRED_IN_SECONDS",
    what: "the Confluent token's lifetime in seconds (at most 900)",
  },
  oauthExternalAccessToken: {
    env: "CONFLUENT_OAUTH_EXTERNAL_ACCESS_TOKEN",
    secret: true,
    what: "a ready external token",
  },
  oauthExternalAccessTokenFile: {
    env: "CONFLUENT_OAUTH_EXTERNAL_ACCESS_TOKEN_FILE",
    what: "a file holding a ready external token (read again at every exchange)",
  },
  oauthExternalTokenAudience: {
    env: "CONFLUENT_OAUTH_EXTERNAL_TOKEN_AUDIENCE",
    what: "the audience asked for",
  },
} as const satisfies Record<string, SettingInfo>;

export type OAuthSettingName = keyof typeof OAUTH_SETTINGS;
export const OAUTH_SETTING_NAMES = Object.keys(OAUTH_SETTINGS) as OAuthSettingName[];
/** Raw OAuth setting values (strings, as config and env give them). */
export type OAuthValues = Partial<Record<OAuthSettingName, string>>;

/** GitHub Actions' variables for its OIDC token request (set when the job has `id-token: write`). */
export const GITHUB_ENV = {
  url: "ACTIONS_ID_TOKEN_REQUEST_URL",
  token: "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
} as const;

/** The audience asked of GitHub when `oauthExternalTokenAudience` is not set (the emulator's default). */
export const DEFAULT_EXTERNAL_AUDIENCE = "confluent-cloud";
export const STS_TOKEN_PATH = "/sts/v1/oauth2/token";
export const MAX_STS_EXPIRES_IN = 900;

/** Where the external JWT comes from. */
export type ExternalSource =
  | {
      kind: "client-credentials";
      url: string;
      clientId: string;
      clientSecret: string;
      scope?: string;
      audience?: string;
    }
  | { kind: "token"; value: string }
  | { kind: "file"; path: string }
  | { kind: "github"; requestUrl: string; requestToken: string; audience: string };

/** Complete OAuth credentials. */
export interface OAuthSettings {
  identityPoolId: string;
  /** `expires_in` asked of the exchange; undefined: the API's default (900). */
  expiresIn?: number;
  source: ExternalSource;
}

/** One problem with the settings: the setting it names, and why (never a value). */
export interface OAuthProblem {
  property: string;
  reason: string;
}

const SOURCES_HELP =
  "set oauthExternalTokenUrl with oauthExternalClientId and oauthExternalClientSecret (client credentials), " +
  "oauthExternalAccessToken (a ready token) or oauthExternalAccessTokenFile (a file holding one), or run in " +
  `GitHub Actions with the permission id-token: write (${GITHUB_ENV.url} and ${GITHUB_ENV.token})`;

/** True when any OAuth setting is given. */
export function anyOAuth(v: OAuthValues): boolean {
  return OAUTH_SETTING_NAMES.some((k) => v[k] !== undefined && v[k] !== "");
}

/** What is missing or contradictory in the settings (empty: complete). `env` gives GitHub's variables. */
export function oauthProblems(v: OAuthValues, env: NodeJS.ProcessEnv = process.env): OAuthProblem[] {
  const given = (k: OAuthSettingName): boolean => v[k] !== undefined && v[k] !== "";
  const out: OAuthProblem[] = [];
  if (!anyOAuth(v)) return out;
  const firstGiven = OAUTH_SETTING_NAMES.find((k) => given(k) && k !== "oauthIdentityPoolId");
  if (!given("oauthIdentityPoolId")) {
    out.push({
      property: "oauthIdentityPoolId",
      reason:
        `is required when ${firstGiven} is set: OAuth needs the identity pool (pool-…) whose filter the ` +
        `external token must match and whose role bindings it acts with`,
    });
  }
  const clientParts = [
    "oauthExternalTokenUrl",
    "oauthExternalClientId",
    "oauthExternalClientSecret",
  ] as const;
  const clientGiven = clientParts.filter(given);
  if (clientGiven.length > 0 && clientGiven.length < 3) {
    for (const missing of clientParts.filter((k) => !given(k))) {
      out.push({
        property: missing,
        reason:
          `is required when ${clientGiven.join(" and ")} ${clientGiven.length > 1 ? "are" : "is"} set: ` +
          `client credentials need oauthExternalTokenUrl, oauthExternalClientId and oauthExternalClientSecret`,
      });
    }
  }
  const sources = [
    ...(clientGiven.length > 0 ? ["oauthExternalTokenUrl"] : []),
    ...(given("oauthExternalAccessToken") ? ["oauthExternalAccessToken"] : []),
    ...(given("oauthExternalAccessTokenFile") ? ["oauthExternalAccessTokenFile"] : []),
  ];
  if (sources.length > 1) {
    out.push({
      property: sources[1] as string,
      reason: `cannot be set together with ${sources[0]}: OAuth takes exactly one source of the external token; remove one`,
    });
  }
  if (
    sources.length === 0 &&
    given("oauthIdentityPoolId") &&
    !(env[GITHUB_ENV.url] && env[GITHUB_ENV.token])
  ) {
    out.push({
      property: "oauthIdentityPoolId",
      reason: `is set but no external token source is: ${SOURCES_HELP}`,
    });
  }
  const exp = v.oauthStsTokenExpiredInSeconds;
  if (
    exp !== undefined &&
    exp !== "" &&
    !(/^\d+$/.test(exp) && Number(exp) >= 1 && Number(exp) <= MAX_STS_EXPIRES_IN)
  ) {
    out.push({
      property: "oauthStsTokenExpiredInSeconds",
      reason: `must be a whole number of seconds from 1 to ${MAX_STS_EXPIRES_IN} (the token exchange's limit)`,
    });
  }
  for (const k of ["oauthExternalTokenUrl"] as const) {
    const u = v[k];
    if (u === undefined || u === "") continue;
    let ok = false;
    try {
      ok = /^https?:$/.test(new URL(u).protocol);
    } catch {
      ok = false;
    }
    if (!ok)
      out.push({ property: k, reason: "must be an http(s) URL of the identity provider's token endpoint" });
  }
  return out;
}

/** Complete settings from values, or throws naming every problem (`where` prefixes the setting names). */
export function oauthSettings(
  v: OAuthValues,
  env: NodeJS.ProcessEnv = process.env,
  describe: (k: string) => string = (k) => k,
): OAuthSettings {
  const problems = oauthProblems(v, env);
  if (problems.length > 0) {
    throw new Error(
      `OAuth credentials are incomplete: ${problems.map((p) => `${describe(p.property)} ${p.reason}`).join("; ")}`,
    );
  }
  const exp = v.oauthStsTokenExpiredInSeconds;
  const expiresIn = exp ? Number(exp) : undefined;
  let source: ExternalSource;
  if (v.oauthExternalTokenUrl) {
    source = {
      kind: "client-credentials",
      url: v.oauthExternalTokenUrl,
      clientId: v.oauthExternalClientId ?? "",
      clientSecret: v.oauthExternalClientSecret ?? "",
      scope: v.oauthExternalTokenScope || undefined,
      audience: v.oauthExternalTokenAudience || undefined,
    };
  } else if (v.oauthExternalAccessToken) {
    source = { kind: "token", value: v.oauthExternalAccessToken };
  } else if (v.oauthExternalAccessTokenFile) {
    source = { kind: "file", path: v.oauthExternalAccessTokenFile };
  } else {
    source = {
      kind: "github",
      requestUrl: env[GITHUB_ENV.url] ?? "",
      requestToken: env[GITHUB_ENV.token] ?? "",
      audience: v.oauthExternalTokenAudience || DEFAULT_EXTERNAL_AUDIENCE,
    };
  }
  return { identityPoolId: v.oauthIdentityPoolId ?? "", expiresIn, source };
}

/** Where the external token comes from, for messages (never a value). */
export function describeSource(s: ExternalSource): string {
  switch (s.kind) {
    case "client-credentials":
      return `client credentials of ${s.clientId} at ${s.url}`;
    case "token":
      return "the ready token oauthExternalAccessToken";
    case "file":
      return `the file ${s.path} (oauthExternalAccessTokenFile)`;
    case "github":
      return `GitHub Actions' OIDC token request (${GITHUB_ENV.url}, audience ${s.audience})`;
  }
}

/** A key identifying a credentials set (the token cache's key); holds secrets, so it is never shown. */
export function settingsKey(endpoint: string, s: OAuthSettings): string {
  return JSON.stringify([endpoint, s.identityPoolId, s.expiresIn ?? null, s.source]);
}

let clock: () => number = Date.now;
/** Replaces the clock the token cache reads (tests); returns the previous one. */
export function setOAuthClock(now: () => number): () => number {
  const prev = clock;
  clock = now;
  return prev;
}

/** How long before expiry a token is replaced: `buffer`, or half the lifetime when that is shorter. */
function validUntil(now: number, lifetimeS: number, bufferMs: number): number {
  const lifetimeMs = lifetimeS * 1000;
  return now + lifetimeMs - (lifetimeMs <= bufferMs ? lifetimeMs / 2 : bufferMs);
}

const STS_BUFFER_MS = 60_000;
const EXTERNAL_BUFFER_MS = 180_000;
const TIMEOUT_MS = 30_000;

interface Cached {
  token: string;
  validUntil: number;
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function field(body: unknown, name: string): unknown {
  return body !== null && typeof body === "object" ? (body as Record<string, unknown>)[name] : undefined;
}

/** The API's error detail from a standard or flat envelope, for messages. */
function apiDetail(body: unknown): string {
  const errors = field(body, "errors");
  if (Array.isArray(errors) && errors.length > 0) {
    const e = errors[0] as Record<string, unknown>;
    return String(e.detail ?? e.title ?? e.code ?? "");
  }
  const m = field(body, "message") ?? field(body, "error_description") ?? field(body, "error");
  return typeof m === "string" ? m : "";
}

/**
 * The tokens of one credentials set, in memory only. `token()` answers a Confluent token valid for at
 * least the buffer; `refused(token)` forgets one the API answered 401 to, so the next `token()` exchanges
 * again.
 */
export class OAuthTokenSource {
  private sts: Cached | undefined;
  private external: Cached | undefined;
  private pending: Promise<string> | undefined;
  private readonly known = new Set<string>();
  /** Exchanges made (tests and progress). */
  exchanges = 0;

  constructor(
    readonly settings: OAuthSettings,
    private readonly endpoint: string,
  ) {
    if (settings.source.kind === "client-credentials") this.known.add(settings.source.clientSecret);
    if (settings.source.kind === "token") this.known.add(settings.source.value);
    if (settings.source.kind === "github") this.known.add(settings.source.requestToken);
  }

  /** Every token and secret this source holds or held (for redaction). */
  secrets(): string[] {
    return [...this.known].filter((s) => s.length >= 4);
  }

  async token(): Promise<string> {
    if (this.sts && this.sts.validUntil > clock()) return this.sts.token;
    this.pending ??= this.exchange().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  refused(token: string): void {
    if (this.sts?.token === token) this.sts = undefined;
  }

  private fail(message: string): never {
    throw redact(new Error(message), this.secrets());
  }

  private async exchange(): Promise<string> {
    const { settings } = this;
    let fromCache = this.external !== undefined && this.external.validUntil > clock();
    for (let round = 0; ; round++) {
      const subject = await this.externalToken();
      const form = new URLSearchParams({
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: subject,
        identity_pool_id: settings.identityPoolId,
        subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
        requested_token_type: "urn:ietf:params:oauth:token-type:access_token",
      });
      if (settings.expiresIn !== undefined) form.set("expires_in", String(settings.expiresIn));
      const url = `${this.endpoint}${STS_TOKEN_PATH}`;
      const started = clock();
      let res: Response;
      try {
        res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
          body: form.toString(),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (e) {
        const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
        return this.fail(`OAuth: could not reach the token exchange at ${url}: ${cause}`);
      }
      const body = await readJson(res);
      this.exchanges++;
      if (res.status === 401 && fromCache && round === 0) {
        // The external token may have expired early: get a fresh one and exchange once more.
        this.external = undefined;
        fromCache = false;
        continue;
      }
      if (res.status !== 200) {
        const detail = apiDetail(body);
        return this.fail(
          `OAuth: the token exchange (POST ${url}) answered ${res.status}${detail ? `: ${detail}` : ""}. ` +
            `Identity pool ${settings.identityPoolId}; external token from ${describeSource(settings.source)}. ` +
            `Check that the pool exists, that its identity provider's issuer and JWKS are the token's, and ` +
            `that the token's claims match the pool's filter.`,
        );
      }
      const token = field(body, "access_token");
      const expiresIn = field(body, "expires_in");
      if (typeof token !== "string" || token === "" || typeof expiresIn !== "number" || expiresIn <= 0) {
        return this.fail(
          `OAuth: the token exchange (POST ${url}) answered 200 without access_token and expires_in`,
        );
      }
      this.known.add(token);
      this.sts = { token, validUntil: validUntil(started, expiresIn, STS_BUFFER_MS) };
      return token;
    }
  }

  private async externalToken(): Promise<string> {
    const s = this.settings.source;
    if (s.kind === "token") return s.value;
    if (s.kind === "file") {
      let text: string;
      try {
        text = readFileSync(s.path, "utf8").trim();
      } catch (e) {
        return this.fail(
          `OAuth: could not read the external token file ${s.path} (oauthExternalAccessTokenFile): ` +
            `${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        );
      }
      if (text === "")
        return this.fail(`OAuth: the external token file ${s.path} (oauthExternalAccessTokenFile) is empty`);
      this.known.add(text);
      return text;
    }
    if (this.external && this.external.validUntil > clock()) return this.external.token;
    const started = clock();
    if (s.kind === "github") {
      let url: URL;
      try {
        url = new URL(s.requestUrl);
      } catch {
        return this.fail(`OAuth: ${GITHUB_ENV.url} is not a URL`);
      }
      url.searchParams.set("audience", s.audience);
      const res = await this.call(url.toString(), "GitHub Actions' OIDC token request", {
        headers: { authorization: `Bearer ${s.requestToken}`, accept: "application/json" },
      });
      const body = await readJson(res);
      const value = field(body, "value");
      if (res.status !== 200 || typeof value !== "string" || value === "") {
        return this.fail(
          `OAuth: GitHub Actions' OIDC token request (${GITHUB_ENV.url}) answered ${res.status}` +
            `${apiDetail(body) ? `: ${apiDetail(body)}` : ""}; the job needs the permission id-token: write`,
        );
      }
      this.known.add(value);
      // GitHub's tokens last minutes; ask again at each exchange.
      return value;
    }
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: s.clientId,
      client_secret: s.clientSecret,
    });
    if (s.scope) form.set("scope", s.scope);
    if (s.audience) form.set("audience", s.audience);
    const res = await this.call(s.url, "the identity provider's token URL", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: form.toString(),
    });
    const body = await readJson(res);
    const token = field(body, "access_token");
    if (res.status !== 200 || typeof token !== "string" || token === "") {
      const detail = apiDetail(body);
      return this.fail(
        `OAuth: the identity provider's token URL ${s.url} answered ${res.status}${detail ? ` (${detail})` : ""} ` +
          `to the client credentials of ${s.clientId}; check oauthExternalTokenUrl, oauthExternalClientId and ` +
          `oauthExternalClientSecret${s.scope ? " and oauthExternalTokenScope" : ""}`,
      );
    }
    this.known.add(token);
    const expiresIn = Number(field(body, "expires_in"));
    this.external = {
      token,
      validUntil:
        Number.isFinite(expiresIn) && expiresIn > 0 ? validUntil(started, expiresIn, EXTERNAL_BUFFER_MS) : 0,
    };
    return token;
  }

  private async call(url: string, what: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
      return this.fail(`OAuth: could not reach ${what} at ${new URL(url).origin}: ${cause}`);
    }
  }
}

const sources = new Map<string, OAuthTokenSource>();

/** The token source of a credentials set: one per process, so every client of those credentials shares it. */
export function tokenSourceFor(endpoint: string, settings: OAuthSettings): OAuthTokenSource {
  const key = settingsKey(endpoint, settings);
  let s = sources.get(key);
  if (s === undefined) {
    s = new OAuthTokenSource(settings, endpoint);
    sources.set(key, s);
  }
  return s;
}

/** Forgets every cached token (tests). */
export function resetTokenSources(): void {
  sources.clear();
}
