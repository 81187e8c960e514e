/**
 * Process-wide state of the provider inside the dynamic-provider host: the stack config handed to
 * `configure`, the API clients (built lazily, one per endpoint and key), and the log sink. Nothing here is
 * ever captured by a serialized provider: the SDK's provider text `require`s this package at call time.
 */
import { ConfluentClient, type ClientAuth, type ClientEvent } from "./client";
import {
  anyOAuth,
  OAUTH_SETTING_NAMES,
  OAUTH_SETTINGS,
  oauthSettings,
  settingsKey,
  tokenSourceFor,
  type OAuthSettings,
  type OAuthValues,
} from "./oauth";

/** Where the Confluent Cloud API lives unless config or env says otherwise. */
export const DEFAULT_ENDPOINT = "https://api.confluent.cloud";

/** Stack config keys, the same as @pulumi/confluentcloud's. */
export const CONFIG_KEYS = {
  cloudApiKey: "confluentcloud:cloudApiKey",
  cloudApiSecret: "confluentcloud:cloudApiSecret",
  endpoint: "confluentcloud:endpoint",
} as const;

/** Environment variables, the same as @pulumi/confluentcloud's. */
export const ENV_KEYS = {
  cloudApiKey: "CONFLUENT_CLOUD_API_KEY",
  cloudApiSecret: "CONFLUENT_CLOUD_API_SECRET",
  endpoint: "CONFLUENT_CLOUD_ENDPOINT",
} as const;

/**
 * Test and tuning knobs (all optional, read at call time):
 * - `CONFLUENT_IAM_RETRY_BASE_MS`, `CONFLUENT_IAM_RETRY_MAX_MS`: the client's back-off base and cap.
 * - `CONFLUENT_IAM_RECONCILE_WAIT_MS`: how long a create whose outcome is unknown keeps looking for the
 *   object before it sends the POST again (default 5000).
 * - `CONFLUENT_IAM_KEY_READY_TIMEOUT_MS`: bound of an API key's readiness wait (default 300000).
 * - `CONFLUENT_IAM_COALESCE_IDLE_MS`: the coalesced reads' idle window (provider/coalesce.ts, default 10000).
 */
export const TUNING_ENV = {
  retryBaseMs: "CONFLUENT_IAM_RETRY_BASE_MS",
  retryMaxMs: "CONFLUENT_IAM_RETRY_MAX_MS",
  reconcileWaitMs: "CONFLUENT_IAM_RECONCILE_WAIT_MS",
  keyReadyTimeoutMs: "CONFLUENT_IAM_KEY_READY_TIMEOUT_MS",
  coalesceIdleMs: "CONFLUENT_IAM_COALESCE_IDLE_MS",
} as const;

/** Reads a positive integer from the environment, or the fallback. */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

/** Subset of Pulumi's dynamic `Config` that `configure` receives. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

let configured: { apiKey?: string; apiSecret?: string; endpoint?: string; oauth?: OAuthValues } = {};

/** Called by every provider's `configure`: remembers the stack config for this host process. */
export function configureFromStack(config: ConfigSource): void {
  const str = (key: string): string | undefined => {
    const v: unknown = config.get(key);
    return typeof v === "string" && v !== "" ? v : undefined;
  };
  configured = {
    apiKey: str(CONFIG_KEYS.cloudApiKey),
    apiSecret: str(CONFIG_KEYS.cloudApiSecret),
    endpoint: str(CONFIG_KEYS.endpoint),
    oauth: Object.fromEntries(
      OAUTH_SETTING_NAMES.map((k) => [k, str(`confluentcloud:${k}`)]).filter(([, v]) => v !== undefined),
    ) as OAuthValues,
  };
}

/** An OAuth setting of the stack config handed to `configure` (a ready token a Provider leaves to config). */
export function configuredOAuth(k: (typeof OAUTH_SETTING_NAMES)[number]): string | undefined {
  return configured.oauth?.[k];
}

/** Forgets the stack config (tests of OAuth settings read from it). */
export function resetConfiguration(): void {
  configured = {};
}

/** Credentials and endpoint in effect: stack config first, then the environment. */
export interface Credentials {
  endpoint: string;
  /** `""` with OAuth. */
  apiKey: string;
  /** `""` with OAuth. */
  apiSecret: string;
  /** Set when the credentials are OAuth (provider/oauth.ts); then there is no key and secret. */
  oauth?: OAuthSettings;
}

/** The error when both kinds of credentials are set in one place. */
export function bothKindsMessage(where: string): string {
  return (
    `${where}: both a Cloud API key (cloudApiKey, cloudApiSecret) and OAuth (oauth… settings) are set; use ` +
    `one kind of credentials: remove the key and secret to sign in by OAuth, or the oauth… settings to use the key`
  );
}

/** The error every operation gives when no credentials are set. */
export const MISSING_CREDENTIALS_MESSAGE =
  `Confluent Cloud credentials are not set. Either set the stack config ` +
  `(pulumi config set ${CONFIG_KEYS.cloudApiKey} <key> and ` +
  `pulumi config set --secret ${CONFIG_KEYS.cloudApiSecret} <secret>) ` +
  `or the environment variables ${ENV_KEYS.cloudApiKey} and ${ENV_KEYS.cloudApiSecret}.`;

/**
 * Credentials and endpoint a resource carries itself, from a `Provider` (the provider-only inputs
 * `cloudApiKey`, `cloudApiSecret`, `endpoint`). The key and secret come together or not at all (check
 * refuses one without the other); each part given wins over the stack config and the environment.
 */
export interface ResourceCredentials {
  apiKey?: string;
  apiSecret?: string;
  endpoint?: string;
  /** A Provider's OAuth settings (never a ready token value: those are not stored). */
  oauth?: OAuthValues;
}

/** Resolves credentials, or throws the one error that names both ways to set them. */
export function resolveCredentials(source?: ConfigSource, own?: ResourceCredentials): Credentials {
  const fromSource = (key: string): string | undefined => {
    const v: unknown = source?.get(key);
    return typeof v === "string" && v !== "" ? v : undefined;
  };
  const env = (key: string): string | undefined => {
    const v = process.env[key];
    return v !== undefined && v !== "" ? v : undefined;
  };
  const ownPair = own?.apiKey && own.apiSecret ? own : undefined;
  const endpointOf = (): string =>
    (
      (own?.endpoint || undefined) ??
      fromSource(CONFIG_KEYS.endpoint) ??
      configured.endpoint ??
      env(ENV_KEYS.endpoint) ??
      DEFAULT_ENDPOINT
    ).replace(/\/+$/, "");
  // OAuth (provider/oauth.ts): a Provider's settings, else config and env, setting by setting as for the key.
  if (!ownPair) {
    const layered = (k: (typeof OAUTH_SETTING_NAMES)[number]): string | undefined =>
      fromSource(`confluentcloud:${k}`) ?? configured.oauth?.[k] ?? env(OAUTH_SETTINGS[k].env);
    const ownOAuth = own?.oauth && anyOAuth(own.oauth) ? own.oauth : undefined;
    const values: OAuthValues = {};
    for (const k of OAUTH_SETTING_NAMES) {
      const v = ownOAuth ? ownOAuth[k] : layered(k);
      if (v !== undefined) values[k] = v;
    }
    // A Provider cannot carry a ready token (it would be stored): it may come from config or env.
    if (ownOAuth && !ownOAuth.oauthExternalTokenUrl && !ownOAuth.oauthExternalAccessTokenFile) {
      const ready = layered("oauthExternalAccessToken");
      if (ready !== undefined) values.oauthExternalAccessToken = ready;
    }
    if (anyOAuth(values)) {
      const keyToo =
        !ownOAuth &&
        (fromSource(CONFIG_KEYS.cloudApiKey) ??
          configured.apiKey ??
          env(ENV_KEYS.cloudApiKey) ??
          fromSource(CONFIG_KEYS.cloudApiSecret) ??
          configured.apiSecret ??
          env(ENV_KEYS.cloudApiSecret));
      if (keyToo) throw new Error(bothKindsMessage("The stack config and environment"));
      return { endpoint: endpointOf(), apiKey: "", apiSecret: "", oauth: oauthSettings(values) };
    }
  }
  const apiKey =
    ownPair?.apiKey ?? fromSource(CONFIG_KEYS.cloudApiKey) ?? configured.apiKey ?? env(ENV_KEYS.cloudApiKey);
  const apiSecret =
    ownPair?.apiSecret ??
    fromSource(CONFIG_KEYS.cloudApiSecret) ??
    configured.apiSecret ??
    env(ENV_KEYS.cloudApiSecret);
  const endpoint =
    (own?.endpoint || undefined) ??
    fromSource(CONFIG_KEYS.endpoint) ??
    configured.endpoint ??
    env(ENV_KEYS.endpoint) ??
    DEFAULT_ENDPOINT;
  if (apiKey === undefined || apiSecret === undefined) throw new Error(MISSING_CREDENTIALS_MESSAGE);
  return { endpoint: endpoint.replace(/\/+$/, ""), apiKey, apiSecret };
}

/**
 * Writes a progress line the user should see (waits, retries, reconciliation). Inside the dynamic-provider
 * host there is no engine connection (`PULUMI_NODEJS_ENGINE` is unset there), so `pulumi.log.info` would
 * go to stdout as `info: [runtime] …`; stderr is what the engine and our runner show, so write there.
 * When an engine is reachable (the program process), use `pulumi.log` itself.
 */
export function logProgress(message: string): void {
  if (process.env.PULUMI_NODEJS_ENGINE) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when an engine exists
    const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
    void pulumi.log.info(message);
    return;
  }
  process.stderr.write(`confluent-iam: ${message}\n`);
}

/** Turns a client event (a retry or a wait) into a user-visible line. */
export function describeClientEvent(e: ClientEvent): string {
  const attempt = e.maxAttempts ? ` (attempt ${e.attempt} of ${e.maxAttempts})` : "";
  const verb = e.type === "retry" ? "retrying" : "waiting";
  return `${e.method} ${e.path}: ${e.reason}; ${verb} in ${e.delayMs} ms${attempt}`;
}

const clients = new Map<string, ConfluentClient>();

/** Options every client gets (back-off from the environment, progress logging). */
export function clientOptions(): Pick<ConstructorParameters<typeof ConfluentClient>[0], "retry" | "onEvent"> {
  const retry: { baseDelayMs?: number; maxDelayMs?: number } = {};
  if (process.env[TUNING_ENV.retryBaseMs]) retry.baseDelayMs = envNumber(TUNING_ENV.retryBaseMs, 500);
  if (process.env[TUNING_ENV.retryMaxMs]) retry.maxDelayMs = envNumber(TUNING_ENV.retryMaxMs, 30000);
  return { retry, onEvent: (e: ClientEvent) => logProgress(describeClientEvent(e)) };
}

/**
 * How a client authenticates with these credentials: Basic with the key, or bearer tokens from the token
 * source of the OAuth settings (one per process and credentials set, so clients share its tokens).
 */
export function clientAuth(creds: Credentials): ClientAuth {
  return creds.oauth
    ? { kind: "oauth", tokens: tokenSourceFor(creds.endpoint, creds.oauth) }
    : { kind: "basic", apiKey: creds.apiKey, apiSecret: creds.apiSecret };
}

/** A cache key for clients of these credentials (holds secrets: never shown). */
export function credentialsKey(creds: Credentials): string {
  return creds.oauth
    ? `oauth\u0000${settingsKey(creds.endpoint, creds.oauth)}`
    : `${creds.endpoint}\u0000${creds.apiKey}\u0000${creds.apiSecret}`;
}

/**
 * The client for the credentials in effect (a resource's own, else config, else env), built on first use
 * and cached per credentials set (endpoint, key, secret; or the OAuth settings).
 */
export function getClient(source?: ConfigSource, own?: ResourceCredentials): ConfluentClient {
  const creds = resolveCredentials(source, own);
  const cacheKey = credentialsKey(creds);
  let client = clients.get(cacheKey);
  if (!client) {
    client = new ConfluentClient({
      endpoint: creds.endpoint,
      auth: clientAuth(creds),
      userAgent: "pulumi-confluent-iam",
      ...clientOptions(),
    });
    clients.set(cacheKey, client);
  }
  return client;
}

/** Closes and forgets every cached client (tests). */
export async function closeClients(): Promise<void> {
  const all = [...clients.values()];
  clients.clear();
  await Promise.all(all.map((c) => c.close()));
}

/** Sleeps `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
