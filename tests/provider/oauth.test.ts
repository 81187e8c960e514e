/**
 * Signing in by OAuth (provider/oauth.ts): the token source and the client against the emulator's token
 * exchange and the shipped test identity provider, with the clock injected on both sides (no sleeps).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  startEmulator,
  startTestIdentityProvider,
  type RunningEmulator,
  type RunningTestIdp,
} from "../../emulator";
import { ConfluentClient } from "../../provider/client";
import {
  OAuthTokenSource,
  oauthProblems,
  oauthSettings,
  resetTokenSources,
  setOAuthClock,
  type OAuthSettings,
  type OAuthValues,
} from "../../provider/oauth";
import { getClient, resolveCredentials, resetConfiguration } from "../../provider/runtime";

const ORG = "b0b0cafe-0000-4000-8000-000000000001";
const CLIENT_SECRET = "oauth-test-client-secret-not-real";
let serverClock = Date.parse("2026-12-07T12:00:00Z");
let clientClock = serverClock;
let emu: RunningEmulator;
let idp: RunningTestIdp;
let poolId = "";
let providerId = "";
let restoreClock: () => number;
const dir = mkdtempSync(join(tmpdir(), "oauth-test-"));

const admin = (): string => `Basic ${Buffer.from(`${emu.apiKey}:${emu.apiSecret}`).toString("base64")}`;
async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(emu.url + path, {
    method,
    headers: { authorization: admin(), "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}
async function log(): Promise<string[]> {
  const r = await api("GET", "/_emulator/requests");
  return (r.body as { data: { method: string; path: string; status: number }[] }).data.map(
    (e) => `${e.method} ${e.path} ${e.status}`,
  );
}

beforeAll(async () => {
  restoreClock = setOAuthClock(() => clientClock);
  emu = await startEmulator({ port: 0, now: () => serverClock });
  idp = await startTestIdentityProvider({
    now: () => serverClock,
    clients: {
      deployer: { secret: CLIENT_SECRET, claims: { repository: "acme/iam", ref: "refs/heads/main" } },
    },
  });
});
afterAll(async () => {
  setOAuthClock(restoreClock);
  await emu.close();
  await idp.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  resetTokenSources();
  await api("POST", "/_emulator/reset");
  const p = await api("POST", "/iam/v2/identity-providers", {
    display_name: "ci",
    description: "",
    issuer: idp.issuer,
    jwks_uri: idp.jwksUri,
  });
  providerId = (p.body as { id: string }).id;
  const pool = await api("POST", `/iam/v2/identity-providers/${providerId}/identity-pools`, {
    display_name: "deploy",
    description: "",
    identity_claim: "claims.sub",
    filter: 'claims.repository == "acme/iam" && claims.ref == "refs/heads/main"',
  });
  poolId = (pool.body as { id: string }).id;
  await api("POST", "/iam/v2/role-bindings", {
    principal: `User:${poolId}`,
    role_name: "OrganizationAdmin",
    crn_pattern: `crn://confluent.cloud/organization=${ORG}`,
  });
  await api("DELETE", "/_emulator/requests");
});

function clientCredentials(extra: Partial<OAuthSettings> = {}): OAuthSettings {
  return {
    identityPoolId: poolId,
    source: {
      kind: "client-credentials",
      url: idp.tokenUrl,
      clientId: "deployer",
      clientSecret: CLIENT_SECRET,
    },
    ...extra,
  };
}

function client(tokens: OAuthTokenSource): ConfluentClient {
  return new ConfluentClient({
    endpoint: emu.url,
    auth: { kind: "oauth", tokens },
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
  });
}

describe("OAuth token source and client", () => {
  test("the first call exchanges once; later calls reuse the token; the exchange asks the configured lifetime", async () => {
    const tokens = new OAuthTokenSource(clientCredentials({ expiresIn: 300 }), emu.url);
    const c = client(tokens);
    expect((await c.requestWithResponse("GET", "/org/v2/environments")).status).toBe(200);
    await c.request("GET", "/iam/v2/service-accounts");
    expect(await log()).toEqual([
      "POST /sts/v1/oauth2/token 200",
      "GET /org/v2/environments 200",
      "GET /iam/v2/service-accounts 200",
    ]);
    expect(tokens.exchanges).toBe(1);
  });

  test("a long run: the token is replaced a minute before it expires (expires_in 300), never after", async () => {
    const tokens = new OAuthTokenSource(clientCredentials({ expiresIn: 300 }), emu.url);
    const c = client(tokens);
    const start = clientClock;
    const seen: number[] = [];
    // Ten calls, one every 50 s of injected time (both clocks move together): 450 s in all.
    for (let i = 0; i < 10; i++) {
      clientClock = start + i * 50_000;
      serverClock = clientClock;
      await c.request("GET", "/org/v2/environments");
      seen.push(tokens.exchanges);
    }
    // Valid until 240 s after each exchange: exchanges at 0 s, 250 s.
    expect(seen).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    expect((await log()).filter((l) => l.startsWith("GET")).every((l) => l.endsWith(" 200"))).toBe(true);
  });

  test("a short lifetime (expires_in 40, under the one-minute buffer) is replaced at half its life", async () => {
    const tokens = new OAuthTokenSource(clientCredentials({ expiresIn: 40 }), emu.url);
    const c = client(tokens);
    await c.request("GET", "/org/v2/environments");
    clientClock += 19_000;
    serverClock = clientClock;
    await c.request("GET", "/org/v2/environments");
    expect(tokens.exchanges).toBe(1);
    clientClock += 2_000;
    serverClock = clientClock;
    await c.request("GET", "/org/v2/environments");
    expect(tokens.exchanges).toBe(2);
  });

  test("a 401 to an expired token (the server's clock ahead of ours) exchanges once more and repeats the call, a POST too", async () => {
    const tokens = new OAuthTokenSource(clientCredentials({ expiresIn: 120 }), emu.url);
    const c = client(tokens);
    await c.request("GET", "/org/v2/environments");
    serverClock += 130_000; // the server sees the token expired; our clock thinks it is fresh
    await api("DELETE", "/_emulator/requests");
    const created = await c.requestWithResponse("POST", "/iam/v2/service-accounts", {
      body: { display_name: "after-refresh", description: "" },
    });
    expect(created.status).toBe(201);
    expect(await log()).toEqual([
      "POST /iam/v2/service-accounts 401",
      "POST /sts/v1/oauth2/token 200",
      "POST /iam/v2/service-accounts 201",
    ]);
    clientClock = serverClock;
  });

  test("a 401 that a fresh token does not cure fails with the exchange's reason, naming pool and source, and no secret", async () => {
    const tokens = new OAuthTokenSource(clientCredentials(), emu.url);
    const c = client(tokens);
    await c.request("GET", "/org/v2/environments");
    await api("DELETE", `/iam/v2/identity-providers/${providerId}/identity-pools/${poolId}`);
    const err = await c.request("GET", "/org/v2/environments").then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toBe(
      `OAuth: the token exchange (POST ${emu.url}/sts/v1/oauth2/token) answered 401: identity pool ${poolId} does not exist. ` +
        `Identity pool ${poolId}; external token from client credentials of deployer at ${idp.tokenUrl}. ` +
        `Check that the pool exists, that its identity provider's issuer and JWKS are the token's, and that the ` +
        `token's claims match the pool's filter.`,
    );
    expect(JSON.stringify(err) + String(err?.stack)).not.toContain(CLIENT_SECRET);
    for (const s of tokens.secrets()) expect(String(err?.stack)).not.toContain(s);
  });

  test("wrong client credentials fail naming the settings to check", async () => {
    const tokens = new OAuthTokenSource(
      {
        identityPoolId: poolId,
        source: {
          kind: "client-credentials",
          url: idp.tokenUrl,
          clientId: "deployer",
          clientSecret: "wrong-secret",
        },
      },
      emu.url,
    );
    await expect(tokens.token()).rejects.toThrow(
      `OAuth: the identity provider's token URL ${idp.tokenUrl} answered 401 (invalid_client) to the client ` +
        `credentials of deployer; check oauthExternalTokenUrl, oauthExternalClientId and oauthExternalClientSecret`,
    );
  });

  test("a token file is read again at each exchange, so a token the caller refreshed is used", async () => {
    const file = join(dir, "token");
    writeFileSync(file, `${await idp.mint({ repository: "acme/iam", ref: "refs/heads/main" })}\n`);
    const tokens = new OAuthTokenSource(
      { identityPoolId: poolId, expiresIn: 60, source: { kind: "file", path: file } },
      emu.url,
    );
    await tokens.token();
    // The caller replaces the file with a token of another branch: the next exchange reads it (and is refused).
    writeFileSync(file, await idp.mint({ repository: "acme/iam", ref: "refs/heads/feature" }));
    clientClock += 31_000;
    serverClock = clientClock;
    await expect(tokens.token()).rejects.toThrow(
      `answered 401: the subject token's claims do not match the filter of identity pool ${poolId}.`,
    );
    writeFileSync(file, "");
    await expect(tokens.token()).rejects.toThrow(
      `OAuth: the external token file ${file} (oauthExternalAccessTokenFile) is empty`,
    );
    rmSync(file);
    await expect(tokens.token()).rejects.toThrow(
      `OAuth: could not read the external token file ${file} (oauthExternalAccessTokenFile): ENOENT`,
    );
  });

  test("an expired ready token fails the exchange with the reason", async () => {
    const value = await idp.mint(
      { repository: "acme/iam", ref: "refs/heads/main" },
      { expiresInSeconds: -5 },
    );
    const tokens = new OAuthTokenSource(
      { identityPoolId: poolId, source: { kind: "token", value } },
      emu.url,
    );
    const err = await tokens.token().then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toContain("answered 401: the subject token has expired (exp is in the past).");
    expect(err?.message).not.toContain(value);
  });

  test("GitHub Actions: the OIDC token request with &audience= gives the external token", async () => {
    const settings = oauthSettings(
      { oauthIdentityPoolId: poolId },
      {
        ACTIONS_ID_TOKEN_REQUEST_URL: idp.githubRequestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: idp.githubRequestToken,
      },
    );
    expect(settings.source).toEqual({
      kind: "github",
      requestUrl: idp.githubRequestUrl,
      requestToken: idp.githubRequestToken,
      audience: "confluent-cloud",
    });
    const c = client(new OAuthTokenSource(settings, emu.url));
    expect((await c.requestWithResponse("GET", "/org/v2/environments")).status).toBe(200);
    const bad = new OAuthTokenSource(
      { ...settings, source: { ...settings.source, requestToken: "wrong" } as typeof settings.source },
      emu.url,
    );
    await expect(bad.token()).rejects.toThrow(
      "OAuth: GitHub Actions' OIDC token request (ACTIONS_ID_TOKEN_REQUEST_URL) answered 401: Bad credentials; " +
        "the job needs the permission id-token: write",
    );
  });
});

describe("settings and refusals", () => {
  const noGithub = {};
  test.each<[string, OAuthValues, string[]]>([
    [
      "client credentials without the pool",
      {
        oauthExternalTokenUrl: "https://idp.example/token",
        oauthExternalClientId: "a",
        oauthExternalClientSecret: "b",
      },
      [
        "oauthIdentityPoolId: is required when oauthExternalTokenUrl is set: OAuth needs the identity pool (pool-…) whose filter the external token must match and whose role bindings it acts with",
      ],
    ],
    [
      "half the client credentials",
      {
        oauthIdentityPoolId: "pool-1",
        oauthExternalTokenUrl: "https://idp.example/token",
        oauthExternalClientId: "a",
      },
      [
        "oauthExternalClientSecret: is required when oauthExternalTokenUrl and oauthExternalClientId are set: client credentials need oauthExternalTokenUrl, oauthExternalClientId and oauthExternalClientSecret",
      ],
    ],
    [
      "two sources",
      {
        oauthIdentityPoolId: "pool-1",
        oauthExternalAccessToken: "x.y.z",
        oauthExternalAccessTokenFile: "/var/run/token",
      },
      [
        "oauthExternalAccessTokenFile: cannot be set together with oauthExternalAccessToken: OAuth takes exactly one source of the external token; remove one",
      ],
    ],
    [
      "no source outside GitHub Actions",
      { oauthIdentityPoolId: "pool-1" },
      [
        "oauthIdentityPoolId: is set but no external token source is: set oauthExternalTokenUrl with oauthExternalClientId and oauthExternalClientSecret (client credentials), oauthExternalAccessToken (a ready token) or oauthExternalAccessTokenFile (a file holding one), or run in GitHub Actions with the permission id-token: write (ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN)",
      ],
    ],
    [
      "a lifetime over 900",
      {
        oauthIdentityPoolId: "pool-1",
        oauthExternalAccessToken: "x.y.z",
        oauthStsTokenExpiredInSeconds: "3600",
      },
      [
        "oauthStsTokenExpiredInSeconds: must be a whole number of seconds from 1 to 900 (the token exchange's limit)",
      ],
    ],
  ])("%s", (_name, values, expected) => {
    expect(oauthProblems(values, noGithub).map((p) => `${p.property}: ${p.reason}`)).toEqual(expected);
  });

  describe("resolution from the environment", () => {
    const saved = { ...process.env };
    afterEach(() => {
      process.env = { ...saved };
      resetConfiguration();
    });
    const clear = (): void => {
      for (const k of Object.keys(process.env)) {
        if (k.startsWith("CONFLUENT_") || k.startsWith("ACTIONS_ID_TOKEN")) delete process.env[k];
      }
    };

    test("CONFLUENT_OAUTH_* variables give OAuth credentials, with no key and secret", () => {
      clear();
      process.env.CONFLUENT_CLOUD_ENDPOINT = emu.url;
      process.env.CONFLUENT_OAUTH_IDENTITY_POOL_ID = "pool-1";
      process.env.CONFLUENT_OAUTH_EXTERNAL_TOKEN_URL = idp.tokenUrl;
      process.env.CONFLUENT_OAUTH_EXTERNAL_CLIENT_ID = "deployer";
      process.env.CONFLUENT_OAUTH_EXTERNAL_CLIENT_SECRET = CLIENT_SECRET;
      process.env.CONFLUENT_OAUTH_STS_TOKEN_EXPIRED_IN_SECONDS = "600";
      expect(resolveCredentials()).toEqual({
        endpoint: emu.url,
        apiKey: "",
        apiSecret: "",
        oauth: {
          identityPoolId: "pool-1",
          expiresIn: 600,
          source: {
            kind: "client-credentials",
            url: idp.tokenUrl,
            clientId: "deployer",
            clientSecret: CLIENT_SECRET,
          },
        },
      });
    });

    test("a key and OAuth together is refused, naming both kinds", () => {
      clear();
      process.env.CONFLUENT_CLOUD_API_KEY = "KEY";
      process.env.CONFLUENT_CLOUD_API_SECRET = "secret-not-real";
      process.env.CONFLUENT_OAUTH_IDENTITY_POOL_ID = "pool-1";
      expect(() => resolveCredentials()).toThrow(
        "The stack config and environment: both a Cloud API key (cloudApiKey, cloudApiSecret) and OAuth " +
          "(oauth… settings) are set; use one kind of credentials: remove the key and secret to sign in by " +
          "OAuth, or the oauth… settings to use the key",
      );
    });

    test("getClient with the pool from the environment calls the API with a bearer token", async () => {
      clear();
      process.env.CONFLUENT_CLOUD_ENDPOINT = emu.url;
      process.env.CONFLUENT_OAUTH_IDENTITY_POOL_ID = poolId;
      process.env.CONFLUENT_OAUTH_EXTERNAL_ACCESS_TOKEN = await idp.mint({
        repository: "acme/iam",
        ref: "refs/heads/main",
      });
      const r = await getClient().requestWithResponse("GET", "/org/v2/environments");
      expect(r.status).toBe(200);
      expect((await log()).slice(0, 2)).toEqual([
        "POST /sts/v1/oauth2/token 200",
        "GET /org/v2/environments 200",
      ]);
    });
  });
});
