/**
 * The Security Token Service: `POST /sts/v1/oauth2/token` against the shipped test identity provider, and
 * Cloud API calls with the exchanged bearer token, authorized by the pool's role bindings.
 */
import { generateKeyPair, SignJWT } from "jose";
import { startTestIdentityProvider, type RunningTestIdp } from "../../emulator";
import { pick, startTestEmulator, str, type TestEmulator } from "./helpers";

let clock = Date.parse("2026-12-07T12:00:00Z");
const now = (): number => clock;
let emu: TestEmulator;
let idp: RunningTestIdp;
let other: RunningTestIdp;

const ORG = "b0b0cafe-0000-4000-8000-000000000001";
const FILTER = 'claims.repository == "acme/iam" && claims.ref == "refs/heads/main"';

beforeAll(async () => {
  idp = await startTestIdentityProvider({
    now,
    clients: {
      ci: { secret: "ci-secret-not-real", claims: { repository: "acme/iam", ref: "refs/heads/main" } },
    },
  });
  other = await startTestIdentityProvider({ now });
  emu = await startTestEmulator({ now });
});
afterAll(async () => {
  await emu.close();
  await idp.close();
  await other.close();
});

let poolId = "";
let providerId = "";
beforeEach(async () => {
  await emu.reset();
  const p = await emu.call("POST", "/iam/v2/identity-providers", {
    display_name: "ci",
    description: "",
    issuer: idp.issuer,
    jwks_uri: idp.jwksUri,
  });
  providerId = str(p.body, "id");
  const pool = await emu.call("POST", `/iam/v2/identity-providers/${providerId}/identity-pools`, {
    display_name: "deploy",
    description: "",
    identity_claim: "claims.sub",
    filter: FILTER,
  });
  poolId = str(pool.body, "id");
});

async function exchange(
  fields: Record<string, string>,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(`${emu.url}/sts/v1/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined, headers: res.headers };
}

function form(subjectToken: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    subject_token: subjectToken,
    identity_pool_id: poolId,
    subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
    requested_token_type: "urn:ietf:params:oauth:token-type:access_token",
    ...extra,
  };
}

async function clientCredentialsToken(): Promise<string> {
  const res = await fetch(idp.tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials&client_id=ci&client_secret=ci-secret-not-real",
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
  expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
  return body.access_token;
}

const detail = (body: unknown): unknown => pick(body, "errors.0.detail");

describe("token exchange", () => {
  test("a client-credentials JWT of the pool's issuer, matching its filter, is exchanged: the spec's reply shape, expires_in 900 by default", async () => {
    const r = await exchange(form(await clientCredentialsToken()));
    expect(r.status).toBe(200);
    expect(Object.keys(r.body as object).sort()).toEqual([
      "access_token",
      "expires_in",
      "issued_token_type",
      "token_type",
    ]);
    expect(r.body).toMatchObject({
      issued_token_type: "urn:ietf:params:oauth:token-type:access_token",
      token_type: "Bearer",
      expires_in: 900,
    });
    expect(r.headers.get("cache-control")).toBe("no-store");
  });

  test("expires_in is honoured up to 900; more is 400 naming the parameter", async () => {
    const token = await clientCredentialsToken();
    expect((await exchange(form(token, { expires_in: "60" }))).body).toMatchObject({ expires_in: 60 });
    const r = await exchange(form(token, { expires_in: "901" }));
    expect(r.status).toBe(400);
    expect(pick(r.body, "errors.0")).toMatchObject({
      code: "invalid_request",
      detail: "expires_in must be a whole number from 1 to 900",
      source: { parameter: "expires_in" },
    });
  });

  test.each([
    [
      "grant_type",
      "client_credentials",
      "grant_type must be urn:ietf:params:oauth:grant-type:token-exchange",
    ],
    ["subject_token_type", "jwt", "subject_token_type must be urn:ietf:params:oauth:token-type:jwt"],
    [
      "requested_token_type",
      "id_token",
      "requested_token_type must be urn:ietf:params:oauth:token-type:access_token",
    ],
    ["identity_pool_id", "", "identity_pool_id is required"],
  ])("a request with %s=%s is 400: %s", async (name, value, message) => {
    const r = await exchange(form(await clientCredentialsToken(), { [name]: value }));
    expect(r.status).toBe(400);
    expect(pick(r.body, "errors.0.source.parameter")).toBe(name);
    expect(detail(r.body)).toBe(message);
  });

  test("refusals are the API's 401, each naming its cause", async () => {
    const good = { repository: "acme/iam", ref: "refs/heads/main" };
    const cases: [string, string][] = [
      [await idp.mint(good, { expiresInSeconds: -10 }), "the subject token has expired (exp is in the past)"],
      [
        await idp.mint(good, { audience: "someone-else" }),
        "the subject token's audience (aud) is not one the emulator accepts (confluent-cloud)",
      ],
      [
        await idp.mint({ repository: "acme/iam", ref: "refs/heads/feature" }),
        `the subject token's claims do not match the filter of identity pool ${poolId}`,
      ],
      ["not-a-jwt", "subject_token is not a JWT"],
    ];
    for (const [token, message] of cases) {
      const r = await exchange(form(token));
      expect({ status: r.status, detail: detail(r.body), code: pick(r.body, "errors.0.code") }).toEqual({
        status: 401,
        detail: message,
        code: "user_unauthenticated",
      });
    }
  });

  test("a token signed by another key with the right iss (forged) does not verify against the provider's JWKS", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const forged = await new SignJWT({ repository: "acme/iam", ref: "refs/heads/main" })
      .setProtectedHeader({ alg: "RS256" })
      .setIssuer(idp.issuer)
      .setAudience("confluent-cloud")
      .setIssuedAt(Math.floor(clock / 1000))
      .setExpirationTime(Math.floor(clock / 1000) + 600)
      .sign(privateKey);
    const r = await exchange(form(forged));
    expect(r.status).toBe(401);
    expect(detail(r.body)).toBe(
      `the subject token's signature does not verify against the JWKS of identity provider ${providerId} (${idp.jwksUri})`,
    );
  });

  test("a token of another issuer than the pool's provider is 401 naming both", async () => {
    const r = await exchange(form(await other.mint({ repository: "acme/iam", ref: "refs/heads/main" })));
    expect(r.status).toBe(401);
    expect(detail(r.body)).toBe(
      `the subject token's issuer (iss) "${other.issuer}" is not ${idp.issuer}, the issuer of identity provider ${providerId} that identity pool ${poolId} belongs to`,
    );
  });

  test("an unknown pool is 401", async () => {
    const r = await exchange(form(await clientCredentialsToken(), { identity_pool_id: "pool-nope" }));
    expect(r.status).toBe(401);
    expect(detail(r.body)).toBe("identity pool pool-nope does not exist");
  });

  test("the exchange body must be form-encoded", async () => {
    const r = await emu.call("POST", "/sts/v1/oauth2/token", {}, { auth: null });
    expect(r.status).toBe(400);
    expect(detail(r.body)).toBe(
      "the body must be application/x-www-form-urlencoded (sts_v1.yaml exchangeStsV1OauthToken)",
    );
  });

  test("GitHub Actions' token request stand-in answers { value } for the requested audience, and that token exchanges", async () => {
    const res = await fetch(`${idp.githubRequestUrl}&audience=confluent-cloud`, {
      headers: { authorization: `Bearer ${idp.githubRequestToken}` },
    });
    const body = (await res.json()) as { value: string };
    expect(res.status).toBe(200);
    expect((await exchange(form(body.value))).status).toBe(200);
    const refused = await fetch(`${idp.githubRequestUrl}&audience=x`, {
      headers: { authorization: "Bearer no" },
    });
    expect(refused.status).toBe(401);
  });
});

describe("bearer calls", () => {
  async function bearer(expiresIn = "900"): Promise<string> {
    const r = await exchange(form(await clientCredentialsToken(), { expires_in: expiresIn }));
    return str(r.body, "access_token");
  }

  test("a pool without role bindings gets 403 on every Cloud API route; with OrganizationAdmin it lists service accounts; the log has no key id for it", async () => {
    const token = await bearer();
    const auth = `Bearer ${token}`;
    expect((await emu.call("GET", "/iam/v2/service-accounts", undefined, { auth })).status).toBe(403);
    await emu.call("POST", "/iam/v2/role-bindings", {
      principal: `User:${poolId}`,
      role_name: "OrganizationAdmin",
      crn_pattern: `crn://confluent.cloud/organization=${ORG}`,
    });
    const r = await emu.call("GET", "/iam/v2/service-accounts", undefined, { auth });
    expect(r.status).toBe(200);
    const log = (await emu.requests()) as { path: string; api_key: string; status: number }[];
    expect(
      log.filter((e) => e.path === "/iam/v2/service-accounts").map((e) => [e.status, e.api_key]),
    ).toEqual([
      [403, ""],
      [200, ""],
    ]);
    expect(JSON.stringify(log)).not.toContain(token);
  });

  test("an EnvironmentAdmin pool sees only its environment", async () => {
    await emu.call("POST", "/iam/v2/role-bindings", {
      principal: `User:${poolId}`,
      role_name: "EnvironmentAdmin",
      crn_pattern: `crn://confluent.cloud/organization=${ORG}/environment=env-demo01`,
    });
    const r = await emu.call("GET", "/org/v2/environments", undefined, { auth: `Bearer ${await bearer()}` });
    expect(r.status).toBe(200);
    expect((pick(r.body, "data") as { id: string }[]).map((e) => e.id)).toEqual(["env-demo01"]);
  });

  test("an expired token is 401 and says it expired (WWW-Authenticate); a tampered one is 401 invalid", async () => {
    const token = await bearer("60");
    clock += 61_000;
    const r = await emu.call("GET", "/org/v2/environments", undefined, { auth: `Bearer ${token}` });
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toBe(
      'Bearer error="invalid_token", error_description="The access token expired"',
    );
    const fresh = await bearer();
    const tampered = fresh.slice(0, -4) + (fresh.endsWith("AAAA") ? "BBBB" : "AAAA");
    const t = await emu.call("GET", "/org/v2/environments", undefined, { auth: `Bearer ${tampered}` });
    expect(t.status).toBe(401);
    expect(t.headers.get("www-authenticate")).toBe(
      'Bearer error="invalid_token", error_description="The access token is invalid"',
    );
  });

  test("deleting the pool revokes its tokens at once", async () => {
    const token = await bearer();
    await emu.call("DELETE", `/iam/v2/identity-providers/${providerId}/identity-pools/${poolId}`);
    const r = await emu.call("GET", "/org/v2/environments", undefined, { auth: `Bearer ${token}` });
    expect(r.status).toBe(401);
  });
});

describe("where the keys come from", () => {
  async function poolOn(e: TestEmulator, jwksUri: string): Promise<string> {
    const p = await e.call("POST", "/iam/v2/identity-providers", {
      display_name: "remote",
      description: "",
      issuer: idp.issuer,
      jwks_uri: jwksUri,
    });
    const pool = await e.call("POST", `/iam/v2/identity-providers/${str(p.body, "id")}/identity-pools`, {
      display_name: "p",
      description: "",
      identity_claim: "claims.sub",
      filter: "has(claims.sub)",
    });
    return str(pool.body, "id");
  }
  async function exchangeOn(e: TestEmulator, pool: string): Promise<{ status: number; body: unknown }> {
    const token = await idp.mint({ sub: "x" });
    const res = await fetch(`${e.url}/sts/v1/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...form(token), identity_pool_id: pool }).toString(),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  }

  test("a jwks_uri that is not a loopback address is never fetched: 401 saying how to give the keys", async () => {
    const pool = await poolOn(emu, "https://idp.example.com/jwks");
    const r = await exchangeOn(emu, pool);
    expect(r.status).toBe(401);
    expect(detail(r.body)).toMatch(
      /^the emulator fetches JWKS only from loopback addresses, and identity provider op-\w+'s jwks_uri is https:\/\/idp\.example\.com\/jwks: point it at a local issuer \(the emulator's test identity provider\) or give the keys with the emulator's jwks option$/,
    );
  });

  test("keys given with the jwks option verify tokens for that jwks_uri without a fetch", async () => {
    const jwks = (await (await fetch(idp.jwksUri)).json()) as { keys: Record<string, unknown>[] };
    const given = await startTestEmulator({ now, jwks: { "https://idp.example.com/jwks": jwks as never } });
    try {
      const pool = await poolOn(given, "https://idp.example.com/jwks");
      expect((await exchangeOn(given, pool)).status).toBe(200);
    } finally {
      await given.close();
    }
  });
});
