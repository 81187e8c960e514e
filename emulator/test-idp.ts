/**
 * A tiny OpenID identity provider for local runs and tests, shipped with the emulator so that the README's
 * OAuth example runs without an account anywhere: an RS256 key pair made at start, its JWKS, a
 * client-credentials token endpoint, and a stand-in for GitHub Actions' OIDC token request. Loopback only.
 *
 *   GET  /.well-known/openid-configuration   issuer, jwks_uri, token_endpoint
 *   GET  /jwks                               the public key
 *   POST /token                              grant_type=client_credentials (client_id/client_secret in the
 *                                            form or Basic auth; optional scope, audience) → access_token
 *   GET  /github/token?audience=…            Authorization: Bearer <githubRequestToken> → { "value": <JWT> }
 *                                            (the shape of ACTIONS_ID_TOKEN_REQUEST_URL's answer)
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from "jose";
import { DEFAULT_STS_AUDIENCE } from "./sts";

/** A client of the client-credentials grant, and the claims its tokens carry besides the standard ones. */
export interface TestIdpClient {
  secret: string;
  claims?: Record<string, unknown>;
}

export interface TestIdpOptions {
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  /** `aud` of the tokens (a token request's `audience` overrides it). @default "confluent-cloud" */
  audience?: string;
  /** Clients by id. @default one client, {@link DEFAULT_IDP_CLIENT_ID}, with claims repository acme/iam, ref refs/heads/main */
  clients?: Record<string, TestIdpClient>;
  /** Lifetime of issued tokens in seconds. @default 3600 */
  tokenLifetimeSeconds?: number;
  /** The bearer token `/github/token` requires. @default {@link DEFAULT_GITHUB_REQUEST_TOKEN} */
  githubRequestToken?: string;
  /** Claims of `/github/token`'s tokens (GitHub's names). @default a run of acme/iam on refs/heads/main */
  githubClaims?: Record<string, unknown>;
  /** Clock (epoch ms). @default Date.now */
  now?: () => number;
}

/** Obviously fake defaults, printed at start. */
export const DEFAULT_IDP_CLIENT_ID = "emulator-ci";
export const DEFAULT_IDP_CLIENT_SECRET = "emulator-idp-secret-not-a-real-secret";
export const DEFAULT_GITHUB_REQUEST_TOKEN = "emulator-github-request-token-not-a-real-token";
export const DEFAULT_GITHUB_CLAIMS: Readonly<Record<string, unknown>> = {
  sub: "repo:acme/iam:ref:refs/heads/main",
  repository: "acme/iam",
  repository_owner: "acme",
  ref: "refs/heads/main",
  workflow: "deploy",
  event_name: "push",
};

export interface RunningTestIdp {
  /** `http://127.0.0.1:<port>`: the `iss` of its tokens. */
  issuer: string;
  jwksUri: string;
  tokenUrl: string;
  /** `ACTIONS_ID_TOKEN_REQUEST_URL` for a stand-in GitHub Actions run (`audience` is appended). */
  githubRequestUrl: string;
  githubRequestToken: string;
  clientId: string;
  clientSecret: string;
  /** Signs a token with the provider's key (tests: any claims, a past `exp`, another audience). */
  mint(
    claims: Record<string, unknown>,
    opts?: { expiresInSeconds?: number; audience?: string },
  ): Promise<string>;
  close(): Promise<void>;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
    ...headers,
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= 64 * 1024) chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Starts the test identity provider on 127.0.0.1. */
export async function startTestIdentityProvider(options: TestIdpOptions = {}): Promise<RunningTestIdp> {
  const now = options.now ?? Date.now;
  const audience = options.audience ?? DEFAULT_STS_AUDIENCE;
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  // The default client stands in for a CI job: its tokens carry GitHub's repository and ref claims, so they
  // pass examples/oauth-ci's pool filter (acme/iam on main).
  const clients = options.clients ?? {
    [DEFAULT_IDP_CLIENT_ID]: {
      secret: DEFAULT_IDP_CLIENT_SECRET,
      claims: { repository: DEFAULT_GITHUB_CLAIMS.repository, ref: DEFAULT_GITHUB_CLAIMS.ref },
    },
  };
  const githubRequestToken = options.githubRequestToken ?? DEFAULT_GITHUB_REQUEST_TOKEN;
  const githubClaims = options.githubClaims ?? DEFAULT_GITHUB_CLAIMS;
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const kid = `test-idp-${Date.now().toString(36)}`;
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  let issuer = "";

  const mint = async (
    claims: Record<string, unknown>,
    opts: { expiresInSeconds?: number; audience?: string } = {},
  ): Promise<string> => {
    const iat = Math.floor(now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
      .setIssuer(issuer)
      .setAudience(opts.audience ?? audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + (opts.expiresInSeconds ?? lifetime))
      .sign(privateKey as KeyLike);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", issuer);
    const method = req.method ?? "GET";
    if (method === "GET" && url.pathname === "/.well-known/openid-configuration") {
      return send(res, 200, {
        issuer,
        jwks_uri: `${issuer}/jwks`,
        token_endpoint: `${issuer}/token`,
        grant_types_supported: ["client_credentials"],
        id_token_signing_alg_values_supported: ["RS256"],
      });
    }
    if (method === "GET" && url.pathname === "/jwks") return send(res, 200, { keys: [jwk] });
    if (method === "POST" && url.pathname === "/token") {
      const form = new URLSearchParams(await readBody(req));
      let id = form.get("client_id") ?? "";
      let secret = form.get("client_secret") ?? "";
      const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "");
      if (basic) {
        const decoded = Buffer.from(basic[1] ?? "", "base64").toString("utf8");
        const colon = decoded.indexOf(":");
        id = decodeURIComponent(decoded.slice(0, colon));
        secret = decodeURIComponent(decoded.slice(colon + 1));
      }
      if (form.get("grant_type") !== "client_credentials") {
        return send(res, 400, { error: "unsupported_grant_type" });
      }
      const client = clients[id];
      if (client === undefined || client.secret !== secret) {
        return send(res, 401, { error: "invalid_client" }, { "WWW-Authenticate": 'Basic realm="test-idp"' });
      }
      const scope = form.get("scope");
      const token = await mint(
        { sub: id, client_id: id, ...(scope ? { scope } : {}), ...(client.claims ?? {}) },
        { audience: form.get("audience") ?? undefined },
      );
      return send(res, 200, { access_token: token, token_type: "Bearer", expires_in: lifetime });
    }
    if (method === "GET" && url.pathname === "/github/token") {
      if (req.headers.authorization !== `Bearer ${githubRequestToken}`) {
        return send(res, 401, { message: "Bad credentials" });
      }
      const aud = url.searchParams.get("audience") ?? undefined;
      const token = await mint({ ...githubClaims }, { audience: aud });
      return send(res, 200, { count: 1, value: token });
    }
    send(res, 404, { error: "not_found" });
  };

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { error: "server_error" });
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const [clientId, client] = Object.entries(clients)[0] ?? ["", { secret: "" }];
  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    tokenUrl: `${issuer}/token`,
    githubRequestUrl: `${issuer}/github/token?api-version=2.0`,
    githubRequestToken,
    clientId,
    clientSecret: client.secret,
    mint,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
