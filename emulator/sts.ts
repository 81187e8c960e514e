/**
 * The Security Token Service (sts_v1.yaml, ADDENDA.md "all Cloud APIs"): `POST /sts/v1/oauth2/token`
 * exchanges a JWT of the organization's identity provider for a short-lived Confluent token, and Cloud API
 * calls with `Authorization: Bearer <that token>` act as the identity pool (`User:pool-…`) with its role
 * bindings (emulator/rbac.ts).
 *
 * The exchange verifies the subject token with jose: its signature against the JWKS of the identity provider
 * whose `issuer` equals the token's `iss` (fetched from the provider's `jwks_uri`, loopback only, or given
 * with the `jwks` option), `aud` against the accepted audiences, `exp`/`nbf` on the emulator clock, then
 * the pool's filter (emulator/cel.ts). The issued token is a JWT signed with a key made at start (HS256), so
 * it never needs storing and dies with the process.
 */
import { randomBytes, randomUUID } from "node:crypto";
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
  type JSONWebKeySet,
  type JWTPayload,
} from "jose";
import { CelSyntaxError, filterMatches } from "./cel";
import type { Env, Reply } from "./context";
import { apiError, type ApiError } from "./errors";
import { identityPoolsTable, identityProvidersTable } from "./objects/identity-providers";

export const STS_PATH = "/sts/v1/oauth2/token";
export const GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
export const SUBJECT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";
export const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
/** The spec's `expires_in` default and maximum. */
export const MAX_EXPIRES_IN = 900;
/** Audience the emulator accepts unless `stsAudiences` says otherwise. */
export const DEFAULT_STS_AUDIENCE = "confluent-cloud";

const ISSUER = "confluent-emulator-sts";

/** Why a bearer token was refused. */
export type BearerRefusal = "expired" | "invalid";

function invalidRequest(parameter: string, detail: string): ApiError {
  return apiError(400, "invalid_request", detail, { parameter });
}

/** The exchange's 401: the API's standard 401 envelope, with the cause in `detail`. */
function unauthenticated(detail: string): ApiError {
  return apiError(
    401,
    "user_unauthenticated",
    detail,
    {},
    { "WWW-Authenticate": 'Bearer error="invalid_grant"' },
  );
}

function isLoopback(url: URL): boolean {
  return ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

/** The token exchange and the verification of issued tokens. */
export class TokenService {
  private readonly key = randomBytes(32);
  private readonly remote = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

  constructor(
    private readonly env: Env,
    private readonly audiences: readonly string[],
    private readonly givenJwks: Readonly<Record<string, JSONWebKeySet>>,
  ) {}

  /** `POST /sts/v1/oauth2/token` (form-encoded body). Throws {@link ApiError}. */
  async exchange(raw: string, contentType: string | undefined): Promise<Reply> {
    if (!/^application\/x-www-form-urlencoded\b/i.test(contentType ?? "")) {
      throw apiError(
        400,
        "invalid_request",
        "the body must be application/x-www-form-urlencoded (sts_v1.yaml exchangeStsV1OauthToken)",
      );
    }
    const form = new URLSearchParams(raw);
    const field = (name: string): string => {
      const v = form.get(name);
      if (v === null || v === "") throw invalidRequest(name, `${name} is required`);
      return v;
    };
    const fixed = (name: string, value: string): void => {
      if (field(name) !== value) throw invalidRequest(name, `${name} must be ${value}`);
    };
    fixed("grant_type", GRANT_TYPE);
    fixed("subject_token_type", SUBJECT_TOKEN_TYPE);
    fixed("requested_token_type", ACCESS_TOKEN_TYPE);
    const poolId = field("identity_pool_id");
    const subjectToken = field("subject_token");
    let expiresIn = MAX_EXPIRES_IN;
    const rawExpires = form.get("expires_in");
    if (rawExpires !== null && rawExpires !== "") {
      if (!/^\d+$/.test(rawExpires) || Number(rawExpires) < 1 || Number(rawExpires) > MAX_EXPIRES_IN) {
        throw invalidRequest("expires_in", `expires_in must be a whole number from 1 to ${MAX_EXPIRES_IN}`);
      }
      expiresIn = Number(rawExpires);
    }

    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(subjectToken);
    } catch {
      throw unauthenticated("subject_token is not a JWT");
    }
    const pool = this.env.db.rows(identityPoolsTable).get(poolId);
    if (pool === undefined) throw unauthenticated(`identity pool ${poolId} does not exist`);
    const provider = this.env.db.rows(identityProvidersTable).get(pool.provider_id);
    if (provider === undefined) throw unauthenticated(`identity pool ${poolId} does not exist`);
    if (unverified.iss !== provider.issuer) {
      throw unauthenticated(
        `the subject token's issuer (iss) ${JSON.stringify(unverified.iss ?? null)} is not ${provider.issuer}, ` +
          `the issuer of identity provider ${provider.id} that identity pool ${poolId} belongs to`,
      );
    }

    const claims = await this.verifySubject(subjectToken, provider.id, provider.issuer, provider.jwks_uri);
    let matches: boolean;
    try {
      matches = filterMatches(pool.filter, claims);
    } catch (e) {
      if (!(e instanceof CelSyntaxError)) throw e;
      throw unauthenticated(
        `the filter of identity pool ${poolId} cannot be evaluated by the emulator: ${e.message}`,
      );
    }
    if (!matches) {
      throw unauthenticated(`the subject token's claims do not match the filter of identity pool ${poolId}`);
    }

    const nowS = Math.floor(this.env.now() / 1000);
    const accessToken = await new SignJWT({
      pool: poolId,
      org: this.env.seed.organization_id,
      provider: provider.id,
    })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuer(ISSUER)
      .setSubject(poolId)
      .setJti(randomUUID())
      .setIssuedAt(nowS)
      .setExpirationTime(nowS + expiresIn)
      .sign(this.key);
    return {
      status: 200,
      body: {
        access_token: accessToken,
        issued_token_type: ACCESS_TOKEN_TYPE,
        token_type: "Bearer",
        expires_in: expiresIn,
      },
      headers: { "Cache-Control": "no-store" },
    };
  }

  private async verifySubject(
    token: string,
    providerId: string,
    issuer: string,
    jwksUri: string,
  ): Promise<Record<string, unknown>> {
    const given = this.givenJwks[jwksUri];
    let keys: Parameters<typeof jwtVerify>[1];
    if (given !== undefined) {
      keys = createLocalJWKSet(given);
    } else {
      let url: URL;
      try {
        url = new URL(jwksUri);
      } catch {
        throw unauthenticated(`identity provider ${providerId} has no valid jwks_uri`);
      }
      if (!isLoopback(url)) {
        throw unauthenticated(
          `the emulator fetches JWKS only from loopback addresses, and identity provider ${providerId}'s ` +
            `jwks_uri is ${jwksUri}: point it at a local issuer (the emulator's test identity provider) or give ` +
            `the keys with the emulator's jwks option`,
        );
      }
      let set = this.remote.get(jwksUri);
      if (set === undefined) {
        set = createRemoteJWKSet(url, { timeoutDuration: 5000, cooldownDuration: 0 });
        this.remote.set(jwksUri, set);
      }
      keys = set;
    }
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer,
        audience: [...this.audiences],
        currentDate: new Date(this.env.now()),
      });
      return payload as Record<string, unknown>;
    } catch (e) {
      throw unauthenticated(this.reason(e, providerId, jwksUri));
    }
  }

  private reason(e: unknown, providerId: string, jwksUri: string): string {
    if (e instanceof joseErrors.JWTExpired) return "the subject token has expired (exp is in the past)";
    if (e instanceof joseErrors.JWTClaimValidationFailed && e.claim === "aud") {
      return `the subject token's audience (aud) is not one the emulator accepts (${this.audiences.join(", ")})`;
    }
    if (e instanceof joseErrors.JWTClaimValidationFailed) {
      return `the subject token's ${e.claim} claim is not valid: ${e.reason}`;
    }
    if (
      e instanceof joseErrors.JWSSignatureVerificationFailed ||
      e instanceof joseErrors.JWKSNoMatchingKey ||
      e instanceof joseErrors.JWKSMultipleMatchingKeys
    ) {
      return `the subject token's signature does not verify against the JWKS of identity provider ${providerId} (${jwksUri})`;
    }
    if (e instanceof joseErrors.JWKSTimeout || e instanceof joseErrors.JWKSInvalid) {
      return `the JWKS of identity provider ${providerId} could not be fetched from ${jwksUri}`;
    }
    if (e instanceof Error && /fetch|ECONNREFUSED|socket|Expected 200/i.test(e.message)) {
      return `the JWKS of identity provider ${providerId} could not be fetched from ${jwksUri}`;
    }
    return "the subject token could not be verified";
  }

  /** The pool a bearer token acts as, or why it is refused. */
  async verifyAccessToken(token: string): Promise<{ poolId: string } | { refused: BearerRefusal }> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        currentDate: new Date(this.env.now()),
      });
      const poolId = typeof payload.sub === "string" ? payload.sub : "";
      // A deleted pool's tokens stop working at once.
      if (!this.env.db.rows(identityPoolsTable).has(poolId)) return { refused: "invalid" };
      return { poolId };
    } catch (e) {
      return { refused: e instanceof joseErrors.JWTExpired ? "expired" : "invalid" };
    }
  }
}
