import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Ctx, Env, Reply, Settings } from "./context";
import { controlRoutes } from "./control";
import { Db } from "./db";
import { ApiError, apiError, armError, envelope } from "./errors";
import { Prng, RateLimiter } from "./faults";
import { objects as registeredObjects } from "./objects";
import { apiKeysTable, authenticateKey } from "./objects/api-keys";
import { dataPlaneResource } from "./objects/clusters";
import type { EmulatorObject } from "./objects/types";
import {
  DEFAULT_API_KEY,
  DEFAULT_API_SECRET,
  DEFAULT_AZURE_TOKEN,
  DEFAULT_FILTER_MAX_LENGTH,
  DEFAULT_NEXT_LINK_ORIGIN,
  type EmulatorOptions,
} from "./options";
import { readDataFile, writeDataFile } from "./persistence";
import { forbidden, heldBindings, permits, seesEnvironment, type RevokedBinding } from "./rbac";
import { Router } from "./router";
import { apiRoutes, isArmPath, type ApiRoute } from "./routes";
import { defaultSeed, parseSeed, type Seed } from "./seed";
import { DEFAULT_STS_AUDIENCE, STS_PATH, TokenService } from "./sts";

/** One API call in the request log (`GET /_emulator/requests`). */
export interface LogEntry {
  method: string;
  path: string;
  /** Query parameters (last value wins when repeated). */
  query: Record<string, string>;
  /** Status answered; 0 when the connection was reset by a fault. */
  status: number;
  /** ISO time the request arrived. */
  time: string;
  duration_ms: number;
  /** Latency the emulator chose to add (`--latency` plus the jitter drawn), in ms. */
  delay_ms: number;
  /** The API key id of the request's Basic credentials (never the secret); `""` for none or a bearer token. */
  api_key: string;
}

/** The key id (the user part) of a Basic authorization header, or `""`. */
function basicKeyId(header: string | undefined): string {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? "");
  if (m === null) return "";
  const decoded = Buffer.from(m[1] ?? "", "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? "" : decoded.slice(0, colon);
}

/** Oldest entries are dropped past this many, so a long-running emulator does not grow without bound. */
const LOG_CAP = 100_000;
const BODY_LIMIT = 1024 * 1024;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function loadSeed(seed: EmulatorOptions["seed"]): Seed {
  if (seed === undefined) return structuredClone(defaultSeed);
  if (typeof seed === "string") return parseSeed(JSON.parse(readFileSync(seed, "utf8")));
  return parseSeed(seed);
}

function settingsFrom(o: EmulatorOptions): Settings {
  return {
    rateLimit: o.rateLimit ?? 0,
    latencyMs: o.latencyMs ?? 0,
    latencyJitterMs: o.latencyJitterMs ?? 0,
    fault5xx: o.faults?.["5xx"] ?? 0,
    faultReset: o.faults?.reset ?? 0,
    fault429: o.faults?.["429"] ?? 0,
    faultSeed: o.faultSeed ?? 1,
    readLagMs: o.readLagMs ?? 0,
    keyPropagationMs: o.keyPropagationMs ?? 0,
  };
}

/**
 * The emulator: state, request pipeline and HTTP server. `objects` is what it serves: the registry
 * (emulator/objects/index.ts) unless a test passes its own list.
 */
export class Emulator implements Env {
  readonly db: Db;
  seed: Seed;
  readonly settings: Settings;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly azureToken: string;
  readonly dataFile: string | undefined;
  readonly nextLinkOrigin: string;
  readonly filterMaxLength: number;
  readonly now: () => number;
  /** The request log; control-API calls are never in it. */
  log: LogEntry[] = [];
  /** Whether role bindings are enforced (`--no-rbac` turns it off). */
  readonly rbac: boolean;
  readonly revokedBindings: RevokedBinding[] = [];
  /** The token exchange and bearer-token checks (emulator/sts.ts). */
  readonly sts: TokenService;

  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly objects: readonly EmulatorObject[];
  private readonly api: Router<ApiRoute>;
  private readonly control: Router;
  private readonly adminHeader: string;
  private limiter: RateLimiter | undefined;
  private faultPrng: Prng;
  private jitterPrng: Prng;

  constructor(options: EmulatorOptions = {}, objects: readonly EmulatorObject[] = registeredObjects) {
    this.objects = objects;
    this.db = new Db(objects.flatMap((o) => o.tables));
    this.api = new Router(apiRoutes(objects));
    this.apiKey = options.apiKey ?? DEFAULT_API_KEY;
    this.apiSecret = options.apiSecret ?? DEFAULT_API_SECRET;
    this.azureToken = options.azureToken ?? DEFAULT_AZURE_TOKEN;
    this.dataFile = options.dataFile;
    this.nextLinkOrigin = options.nextLinkOrigin ?? DEFAULT_NEXT_LINK_ORIGIN;
    this.filterMaxLength = options.filterMaxLength ?? DEFAULT_FILTER_MAX_LENGTH;
    this.now = options.now ?? Date.now;
    this.rbac = options.rbac ?? true;
    this.settings = settingsFrom(options);
    this.seed = loadSeed(options.seed);
    this.adminHeader = "Basic " + Buffer.from(`${this.apiKey}:${this.apiSecret}`).toString("base64");
    this.faultPrng = new Prng(this.settings.faultSeed);
    this.jitterPrng = new Prng(this.settings.faultSeed ^ 0x5eed);
    this.limiter = this.settings.rateLimit > 0 ? new RateLimiter(this.settings.rateLimit) : undefined;
    this.control = new Router(controlRoutes(this, objects));
    this.sts = new TokenService(this, options.stsAudiences ?? [DEFAULT_STS_AUDIENCE], options.jwks ?? {});

    const tableNames = this.db.tableList.map((t) => t.name);
    const saved = this.dataFile ? readDataFile(this.dataFile, tableNames) : undefined;
    if (saved) {
      this.seed = saved.seed;
      this.db.restore(saved.db);
    } else {
      this.applySeed();
      this.persist();
    }

    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 30_000;
    this.server.on("connection", (s: Socket) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
  }

  /** Starts listening; resolves with the bound port. */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  /** Stops listening and drops open connections. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }

  /** Empties every store, re-applies the seed, clears the request log. */
  reset(): void {
    this.db.clear();
    this.revokedBindings.length = 0;
    this.applySeed();
    this.log = [];
    this.persist();
  }

  /** Replaces the seed, then resets. */
  replaceSeed(seed: Seed): void {
    this.seed = seed;
    this.reset();
  }

  /** Applies changed settings (the control API's `PUT /_emulator/faults`). */
  updateSettings(patch: Partial<Settings>): void {
    Object.assign(this.settings, patch);
    if (patch.faultSeed !== undefined) {
      this.faultPrng = new Prng(this.settings.faultSeed);
      this.jitterPrng = new Prng(this.settings.faultSeed ^ 0x5eed);
    }
    if (patch.rateLimit !== undefined) {
      this.limiter = this.settings.rateLimit > 0 ? new RateLimiter(this.settings.rateLimit) : undefined;
    }
  }

  /** Every object by table, without the fields a table hides (secret hashes). */
  dump(): Record<string, unknown> {
    const out: Record<string, unknown> = { seed: this.seed };
    for (const table of this.db.tableList) {
      out[table.name] = [...this.db.rows(table).values()].map((r) => {
        const copy: Record<string, unknown> = { ...r };
        for (const field of table.hiddenInDump) delete copy[field];
        return copy;
      });
    }
    return out;
  }

  /** Writes the data file, when there is one. Synchronous: the answer waits until the write is durable. */
  persist(): void {
    if (this.dataFile) writeDataFile(this.dataFile, { seed: this.seed, db: this.db.snapshot() });
  }

  private applySeed(): void {
    for (const o of this.objects) o.applySeed?.(this.db, this.seed, this.now());
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = this.now();
    const requestId = randomUUID();
    res.setHeader("X-Request-Id", requestId);
    // The emulator's clock (the one that stamps created_at), not the machine's: Node would send its own.
    res.setHeader("Date", new Date(started).toUTCString());
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    const query = new URLSearchParams(q < 0 ? "" : url.slice(q + 1));
    const method = req.method ?? "GET";
    const control = path === "/_emulator" || path.startsWith("/_emulator/");
    const chosen = { delayMs: 0 };
    try {
      if (control) {
        await this.handleControl(req, res, method, path, query);
        return;
      }
      const status = await this.handleApi(req, res, method, path, query, chosen);
      this.record(
        method,
        path,
        query,
        status,
        started,
        chosen.delayMs,
        basicKeyId(req.headers.authorization),
      );
    } catch (e) {
      // Only a bug (or a failed data-file write) gets here: answer 500 rather than hang the client.
      console.error("emulator: internal error:", e instanceof Error ? e.message : String(e));
      if (!res.headersSent) send(res, 500, envelope(500, "internal_error", "Internal Server Error"));
      if (!control) {
        this.record(method, path, query, 500, started, chosen.delayMs, basicKeyId(req.headers.authorization));
      }
    }
  }

  private record(
    method: string,
    path: string,
    query: URLSearchParams,
    status: number,
    started: number,
    delayMs: number,
    apiKey: string,
  ): void {
    // Drop the oldest tenth at once: cheap amortised, unlike shifting one entry per request.
    if (this.log.length >= LOG_CAP) this.log.splice(0, LOG_CAP / 10);
    this.log.push({
      method,
      path,
      query: Object.fromEntries(query),
      status,
      time: new Date(started).toISOString(),
      duration_ms: this.now() - started,
      delay_ms: delayMs,
      api_key: apiKey,
    });
  }

  private async handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
    query: URLSearchParams,
    chosen: { delayMs: number },
  ): Promise<number> {
    const arm = isArmPath(path);
    const raw = await readBody(req);
    if (raw === undefined)
      return sendError(res, apiError(413, "payload_too_large", "Request body too large"));

    const s = this.settings;
    if (s.latencyMs > 0 || s.latencyJitterMs > 0) {
      chosen.delayMs = s.latencyMs + Math.floor(this.jitterPrng.next() * (s.latencyJitterMs + 1));
      await sleep(chosen.delayMs);
    }

    if (s.fault5xx > 0 || s.faultReset > 0 || s.fault429 > 0) {
      // Two draws per request whatever happens, so a seed always yields the same sequence.
      const r = this.faultPrng.next();
      const pick = this.faultPrng.next();
      if (r < s.faultReset) {
        req.socket.destroy();
        return 0;
      }
      if (r < s.faultReset + s.fault5xx) {
        const status = [500, 502, 503, 504][Math.floor(pick * 4)] as number;
        const detail = status === 500 ? "Internal Server Error" : "Service Unavailable";
        return sendError(
          res,
          arm ? armError(status, "InternalServerError", detail) : apiError(status, "server_error", detail),
        );
      }
      if (r < s.faultReset + s.fault5xx + s.fault429) {
        // The window headers describe the configured limit; with none configured there is no window, and a
        // made-up limit would teach a pacing client a false one.
        if (s.rateLimit > 0) {
          res.setHeader("X-RateLimit-Limit", String(s.rateLimit));
          res.setHeader("X-RateLimit-Remaining", "0");
          res.setHeader("X-RateLimit-Reset", "1");
        }
        res.setHeader("Retry-After", "1");
        return sendError(res, tooMany(arm));
      }
    }

    if (!arm && method === "POST" && path === STS_PATH) {
      // The exchange authenticates by its subject token, not by a Cloud credential.
      try {
        const reply = await this.sts.exchange(raw, req.headers["content-type"]);
        for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
        send(res, reply.status, reply.body);
        return reply.status;
      } catch (e) {
        if (e instanceof ApiError) return sendError(res, e);
        throw e;
      }
    }

    const bearer = !arm && /^Bearer\s/i.test(req.headers.authorization ?? "");
    const credential = arm
      ? this.authBearer(req)
      : bearer
        ? await this.authSts(req, dataPlaneResource(path) ?? null)
        : this.authBasic(req, dataPlaneResource(path) ?? null);
    if (typeof credential === "object") {
      // RFC 6750: an expired token says so, so that a client knows to exchange a new one.
      res.setHeader(
        "WWW-Authenticate",
        credential.refused === "expired"
          ? 'Bearer error="invalid_token", error_description="The access token expired"'
          : 'Bearer error="invalid_token", error_description="The access token is invalid"',
      );
      return sendError(res, apiError(401, "unauthorized", "Unauthorized"));
    }
    if (credential === undefined) {
      if (arm) {
        res.setHeader("WWW-Authenticate", 'Bearer error="invalid_token"');
        return sendError(
          res,
          armError(401, "AuthenticationFailed", "Authentication failed: the bearer token is invalid"),
        );
      }
      res.setHeader(
        "WWW-Authenticate",
        'Basic error="invalid_key", error_description="The API Key is invalid"',
      );
      return sendError(res, apiError(401, "unauthorized", "Unauthorized"));
    }

    if (this.limiter) {
      const d = this.limiter.take(credential, this.now());
      res.setHeader("X-RateLimit-Limit", String(d.limit));
      res.setHeader("X-RateLimit-Remaining", String(d.remaining));
      res.setHeader("X-RateLimit-Reset", String(d.resetSeconds));
      if (!d.allowed) {
        res.setHeader("Retry-After", String(d.retryAfterSeconds));
        return sendError(res, tooMany(arm));
      }
    }

    const match = this.api.match(method, path);
    if (match.kind === "none") {
      return sendError(
        res,
        arm ? armError(404, "NotFound", `No route for ${path}`) : apiError(404, "not_found", "Not Found"),
      );
    }
    if (match.kind === "method") {
      res.setHeader("Allow", match.allow.join(", "));
      return sendError(
        res,
        arm
          ? armError(405, "MethodNotAllowed", `${method} is not allowed on ${path}`)
          : apiError(405, "method_not_allowed", `Method ${method} is not allowed on ${path}`),
      );
    }

    let body: unknown;
    try {
      body = parseJsonBody(method, raw);
    } catch (e) {
      const detail = e instanceof Error ? e.message : "malformed JSON";
      return sendError(
        res,
        arm ? armError(400, "InvalidRequestContent", detail) : apiError(400, "bad_request", detail),
      );
    }

    let sees: ((id: string) => boolean) | undefined;
    const principal = arm ? undefined : this.principalOf(credential);
    if (this.rbac && principal !== undefined) {
      const need = match.route.access?.({
        env: this,
        method,
        read: method === "GET" || method === "HEAD",
        pattern: match.pattern,
        params: match.params,
        query,
        body,
      });
      if (need) {
        const held = heldBindings(this, principal);
        if (!permits(held, need, principal)) return sendError(res, forbidden(need));
        sees = (id) => seesEnvironment(held, id);
      }
    }

    const ctx: Ctx = {
      method,
      path,
      params: match.params,
      query,
      body,
      base: `http://${req.headers.host ?? "127.0.0.1"}`,
      env: this,
      seesEnvironment: sees,
    };
    let reply: Reply;
    try {
      reply = match.handler(ctx);
    } catch (e) {
      if (e instanceof ApiError) return sendError(res, e);
      throw e;
    }
    if (method !== "GET" && method !== "HEAD" && reply.status < 400) this.persist();
    for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
    send(res, reply.status, reply.body);
    return reply.status;
  }

  private async handleControl(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
    query: URLSearchParams,
  ): Promise<void> {
    if (req.headers.authorization !== this.adminHeader) {
      res.setHeader("WWW-Authenticate", 'Basic realm="confluent-emulator"');
      sendError(res, apiError(401, "unauthorized", "Unauthorized"));
      return;
    }
    const raw = await readBody(req);
    if (raw === undefined) {
      return void sendError(
        res,
        apiError(413, "payload_too_large", `Request body too large (the limit is ${BODY_LIMIT} bytes)`),
      );
    }
    const match = this.control.match(method, path);
    if (match.kind === "none") return void sendError(res, apiError(404, "not_found", "Not Found"));
    if (match.kind === "method") {
      res.setHeader("Allow", match.allow.join(", "));
      return void sendError(
        res,
        apiError(405, "method_not_allowed", `Method ${method} is not allowed on ${path}`),
      );
    }
    let body: unknown;
    try {
      body = parseJsonBody(method, raw);
    } catch (e) {
      return void sendError(
        res,
        apiError(400, "bad_request", e instanceof Error ? e.message : "malformed JSON"),
      );
    }
    const ctx: Ctx = {
      method,
      path,
      params: match.params,
      query,
      body,
      base: `http://${req.headers.host ?? "127.0.0.1"}`,
      env: this,
    };
    try {
      const reply = match.handler(ctx);
      send(res, reply.status, reply.body);
    } catch (e) {
      if (e instanceof ApiError) return void sendError(res, e);
      throw e;
    }
  }

  /**
   * The credential's rate-limit identity, or undefined when the Basic credentials are not valid here: the
   * Cloud API takes Cloud keys (the admin key among them), a cluster's or registry's data plane
   * (`resource`) only that resource's keys, as Confluent Cloud does.
   */
  private authBasic(req: IncomingMessage, resource: string | null): string | undefined {
    const h = req.headers.authorization;
    if (h === undefined) return undefined;
    if (h === this.adminHeader) return resource === null ? this.apiKey : undefined;
    if (!h.startsWith("Basic ")) return undefined;
    const decoded = Buffer.from(h.slice(6), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return undefined;
    const id = decoded.slice(0, colon);
    return authenticateKey(this, id, decoded.slice(colon + 1), resource) ? id : undefined;
  }

  /**
   * The RBAC principal of a Cloud API credential: `User:<owner>` for a Cloud or Global key created through the API, undefined
   * for the admin credentials (they act as OrganizationAdmin) and for resource keys on a data plane.
   */
  private principalOf(credential: string): string | undefined {
    // A token from the exchange acts as its identity pool, with the pool's role bindings.
    if (credential.startsWith("sts:")) return `User:${credential.slice(4)}`;
    const key = this.db.rows(apiKeysTable).get(credential);
    // A Global key works on the Cloud API too, as its owner (never as the admin).
    if (key === undefined || (key.resource !== null && key.resource.kind !== "Global")) return undefined;
    return `User:${key.owner_id}`;
  }

  /**
   * A bearer token from the exchange, on the Cloud API only (not a data plane): `sts:<pool id>`, or why it
   * is refused.
   */
  private async authSts(
    req: IncomingMessage,
    resource: string | null,
  ): Promise<string | { refused: "expired" | "invalid" }> {
    const token = (req.headers.authorization ?? "").replace(/^Bearer\s+/i, "").trim();
    const verdict = await this.sts.verifyAccessToken(token);
    if ("refused" in verdict) return verdict;
    return resource === null ? `sts:${verdict.poolId}` : { refused: "invalid" };
  }

  private authBearer(req: IncomingMessage): string | undefined {
    const h = req.headers.authorization;
    return h === `Bearer ${this.azureToken}` ? "azure-bearer" : undefined;
  }
}

function tooMany(arm: boolean): ApiError {
  return arm
    ? armError(429, "TooManyRequests", "Too many requests")
    : apiError(429, "too_many_requests", "Too Many Requests");
}

/** Reads the body; undefined when it exceeds the limit. GETs without a body skip the stream entirely. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  if (req.headers["content-length"] === undefined && req.headers["transfer-encoding"] === undefined) {
    return Promise.resolve("");
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > BODY_LIMIT) over = true;
      else chunks.push(c);
    });
    req.on("end", () => resolve(over ? undefined : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** JSON bodies of writes must be objects; an empty body is `{}`. GET/DELETE bodies are ignored. */
function parseJsonBody(method: string, raw: string): unknown {
  if (method === "GET" || method === "DELETE" || method === "HEAD") return undefined;
  if (raw.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error("Malformed JSON in request body");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error("Request body must be a JSON object");
  }
  return parsed;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (body === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, e: ApiError): number {
  for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
  send(res, e.status, e.body);
  return e.status;
}
