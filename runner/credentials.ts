/**
 * The credential check at the start of `preview` and `up` of a program that uses this package: credentials
 * must be configured (stack config or environment, as the provider resolves them) before anything is
 * planned, and `preview` makes one cheap authenticated call so that wrong credentials fail the
 * pull-request check rather than the deploy. Messages name where each credential came from, never a value.
 */
import * as fs from "fs";
import * as path from "path";
import {
  anyOAuth,
  describeSource,
  OAUTH_SETTING_NAMES,
  OAUTH_SETTINGS,
  OAuthTokenSource,
  oauthSettings,
  type OAuthSettings,
  type OAuthValues,
} from "../provider/oauth";
import { readProject, readStackConfig } from "./project";

const CONFIG = {
  key: "confluentcloud:cloudApiKey",
  secret: "confluentcloud:cloudApiSecret",
  endpoint: "confluentcloud:endpoint",
} as const;
const ENV = {
  key: "CONFLUENT_CLOUD_API_KEY",
  secret: "CONFLUENT_CLOUD_API_SECRET",
  endpoint: "CONFLUENT_CLOUD_ENDPOINT",
} as const;
const DEFAULT_ENDPOINT = "https://api.confluent.cloud";

/** The call `preview` makes to check the credentials (the readiness probe's). */
const CREDENTIAL_PROBE_PATH = "/org/v2/environments?page_size=1";

/** The error when neither way of setting credentials is used. */
export const NO_CREDENTIALS_MESSAGE =
  `Confluent Cloud credentials are not set, so nothing was planned. Set the stack config ` +
  `(confluent-iam config set ${CONFIG.key} <key> and confluent-iam config set --secret ${CONFIG.secret} ` +
  `<secret>, or the same with pulumi config set) or the environment variables ${ENV.key} and ${ENV.secret}.`;

/** Credentials in effect and where each came from ("stack config confluentcloud:…" or "environment …"). */
export interface ResolvedCredentials {
  apiKey: string;
  apiSecret: string;
  endpoint: string;
  keyFrom: string;
  secretFrom: string;
  endpointFrom: string;
}

/** Stack config first, then the environment (the provider's order); undefined when key or secret is missing. */
export function resolveCredentials(
  config: Record<string, string>,
  env: NodeJS.ProcessEnv,
): ResolvedCredentials | undefined {
  const pick = (configKey: string, envKey: string): [string, string] | undefined => {
    const c = config[configKey];
    if (c !== undefined && c !== "") return [c, `stack config ${configKey}`];
    const e = env[envKey];
    if (e !== undefined && e !== "") return [e, `environment variable ${envKey}`];
    return undefined;
  };
  const key = pick(CONFIG.key, ENV.key);
  const secret = pick(CONFIG.secret, ENV.secret);
  if (!key || !secret) return undefined;
  const endpoint = pick(CONFIG.endpoint, ENV.endpoint) ?? [DEFAULT_ENDPOINT, "the default"];
  return {
    apiKey: key[0],
    apiSecret: secret[0],
    endpoint: endpoint[0].replace(/\/+$/, ""),
    keyFrom: key[1],
    secretFrom: secret[1],
    endpointFrom: endpoint[1],
  };
}

/** OAuth credentials in effect (provider/oauth.ts) and where the endpoint came from. */
export interface ResolvedOAuth {
  oauth: OAuthSettings;
  endpoint: string;
  endpointFrom: string;
}

/**
 * OAuth settings from the stack config (`confluentcloud:oauth…`), then the environment (`CONFLUENT_OAUTH_…`),
 * as the provider reads them; undefined when none is set. Throws naming what is missing, or when a key or
 * secret is set too.
 */
export function resolveOAuth(
  config: Record<string, string>,
  env: NodeJS.ProcessEnv,
): ResolvedOAuth | undefined {
  const values: OAuthValues = {};
  const from: Record<string, string> = {};
  for (const k of OAUTH_SETTING_NAMES) {
    const c = config[`confluentcloud:${k}`];
    const e = env[OAUTH_SETTINGS[k].env];
    if (c !== undefined && c !== "") {
      values[k] = c;
      from[k] = `stack config confluentcloud:${k}`;
    } else if (e !== undefined && e !== "") {
      values[k] = e;
      from[k] = `environment variable ${OAUTH_SETTINGS[k].env}`;
    }
  }
  if (!anyOAuth(values)) return undefined;
  const key = [CONFIG.key, CONFIG.secret].find((k) => config[k]) ?? [ENV.key, ENV.secret].find((k) => env[k]);
  if (key !== undefined) {
    throw new Error(
      `Both a Cloud API key (${key}) and OAuth (${Object.values(from).join(", ")}) are set: use one kind of ` +
        `credentials; remove the key and secret to sign in by OAuth, or the OAuth settings to use the key.`,
    );
  }
  const oauth = oauthSettings(values, env, (k) => {
    const name = k as keyof typeof OAUTH_SETTINGS;
    return `confluentcloud:${k} (or ${OAUTH_SETTINGS[name].env})`;
  });
  const endpoint =
    config[CONFIG.endpoint] || env[ENV.endpoint]
      ? [
          config[CONFIG.endpoint] || (env[ENV.endpoint] as string),
          config[CONFIG.endpoint]
            ? `stack config ${CONFIG.endpoint}`
            : `environment variable ${ENV.endpoint}`,
        ]
      : [DEFAULT_ENDPOINT, "the default"];
  return {
    oauth,
    endpoint: (endpoint[0] as string).replace(/\/+$/, ""),
    endpointFrom: endpoint[1] as string,
  };
}

/** The message for a 401 to an OAuth token. */
export function oauthUnauthorizedMessage(o: ResolvedOAuth): string {
  return (
    `Confluent Cloud rejected the OAuth token (401 Unauthorized at ${o.endpoint}) of identity pool ` +
    `${o.oauth.identityPoolId}, exchanged from ${describeSource(o.oauth.source)}. Check that the pool still ` +
    `exists and that its role bindings allow the call.`
  );
}

const SOURCE_EXTENSIONS = new Set([".ts", ".js", ".mts", ".cts", ".mjs", ".cjs"]);

/**
 * Whether the program in `dir` uses this package: one of its source files (node_modules and dot folders
 * aside, three levels deep) imports `pulumi-confluent-iam`. Programs of other providers are not checked.
 */
export function programUsesPackage(dir: string, depth = 3): boolean {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isFile() && SOURCE_EXTENSIONS.has(path.extname(e.name)) && !e.name.endsWith(".d.ts")) {
      if (/["']pulumi-confluent-iam(\/[^"']*)?["']/.test(fs.readFileSync(p, "utf8"))) return true;
    } else if (e.isDirectory() && depth > 0 && e.name !== "node_modules" && !e.name.startsWith(".")) {
      if (programUsesPackage(p, depth - 1)) return true;
    }
  }
  return false;
}

/** What {@link checkCredentials} needs of the command. */
export interface CredentialCheckOptions {
  command: string;
  cwd: string;
  stack?: string;
  config?: string[];
  env?: NodeJS.ProcessEnv;
}

/**
 * For `preview` and `up` of a program that uses this package: throws {@link NO_CREDENTIALS_MESSAGE} when no
 * credentials are configured; at `preview`, also sends `GET /org/v2/environments?page_size=1` and throws a
 * message naming the credentials' sources when it answers 401, or when the endpoint cannot be reached.
 */
export async function checkCredentials(opts: CredentialCheckOptions): Promise<void> {
  if (opts.command !== "preview" && opts.command !== "up") return;
  const project = readProject(path.resolve(opts.cwd));
  if (!programUsesPackage(project.dir)) return;
  const env = opts.env ?? process.env;
  const stack = opts.stack ?? "dev";
  const config = readStackConfig(project, stack, opts.config ?? [], env).values;
  const oauth = resolveOAuth(config, env);
  if (oauth) {
    if (opts.command !== "preview") return;
    // The exchange's own errors name the pool and the token's source (never a token).
    const token = await new OAuthTokenSource(oauth.oauth, oauth.endpoint).token();
    const status = await probe(oauth.endpoint, oauth.endpointFrom, `Bearer ${token}`);
    if (status === 401) throw new Error(oauthUnauthorizedMessage(oauth));
    return;
  }
  const creds = resolveCredentials(config, env);
  if (!creds) throw new Error(NO_CREDENTIALS_MESSAGE);
  if (opts.command !== "preview") return;
  const status = await probe(
    creds.endpoint,
    creds.endpointFrom,
    `Basic ${Buffer.from(`${creds.apiKey}:${creds.apiSecret}`).toString("base64")}`,
  );
  if (status === 401) throw new Error(unauthorizedMessage(creds));
}

/** `GET /org/v2/environments?page_size=1`: its status, or an error naming the endpoint's source. */
async function probe(endpoint: string, endpointFrom: string, authorization: string): Promise<number> {
  const creds = { endpoint, endpointFrom };
  const url = `${creds.endpoint}${CREDENTIAL_PROBE_PATH}`;
  let status: number;
  try {
    const res = await fetch(url, {
      headers: { Authorization: authorization, Accept: "application/json" },
      signal: AbortSignal.timeout(30_000),
    });
    status = res.status;
    await res.arrayBuffer().catch(() => undefined);
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (e as Error).message;
    throw new Error(
      `could not reach ${creds.endpoint} (from ${creds.endpointFrom}) to check the credentials: ${why}; ` +
        `check ${CONFIG.endpoint} or ${ENV.endpoint} and the network`,
    );
  }
  return status;
}

/** The message for a 401: where the key and the secret came from, and what to check. */
function unauthorizedMessage(creds: ResolvedCredentials): string {
  return (
    `Confluent Cloud rejected the credentials (401 Unauthorized at ${creds.endpoint}): the API key came from ` +
    `${creds.keyFrom} and the secret from ${creds.secretFrom}. Check that they are a Cloud API key and its ` +
    `secret (not a Kafka cluster key), that the key still exists, and that the secret belongs to that key.`
  );
}

/**
 * After a command: when an API call of it failed with 401, the message naming the credentials' sources
 * (the provider's own error says only which call failed); otherwise undefined.
 */
export function explainUnauthorized(
  opts: CredentialCheckOptions,
  errors: readonly string[],
): string | undefined {
  if (!errors.some((e) => / failed with 401\b/.test(e))) return undefined;
  try {
    const project = readProject(path.resolve(opts.cwd));
    const env = opts.env ?? process.env;
    const config = readStackConfig(project, opts.stack ?? "dev", opts.config ?? [], env).values;
    const oauth = resolveOAuth(config, env);
    if (oauth) return oauthUnauthorizedMessage(oauth);
    const creds = resolveCredentials(config, env);
    return creds ? unauthorizedMessage(creds) : undefined;
  } catch {
    return undefined;
  }
}
