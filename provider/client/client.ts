import * as fs from "node:fs";
import * as path from "node:path";
import { Pool, errors, type Dispatcher } from "undici";
import { z } from "zod";
import {
  ConfluentApiError,
  type HttpMethod,
  NetworkError,
  OutcomeUnknownError,
  parseApiError,
  RedirectError,
  type ResponseHeaders,
  ResponseValidationError,
  type TimeoutSettings,
  toNetworkError,
  type ValidationIssue,
} from "./errors";
import { DEFAULT_MAX_IN_FLIGHT, limiterFor, type OriginLimiter, type Release, sleep } from "./limiter";
import { paginate as paginatePages, type PaginateOptions } from "./paginate";
import { collectSecrets, credentialForms, redact } from "./redact";
import { type Decision, type Failure, type RetryOptions, RetryPolicy, parseSeconds } from "./retry";
import { ServerClock } from "./server-clock";

/** Query parameters; `undefined` values are left out, arrays repeat the parameter. */
export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

/** How the client authenticates. */
export type ClientAuth =
  | {
      /** HTTP Basic with a Confluent Cloud API key (a Cloud key, not a cluster key). */
      kind: "basic";
      /** The API key id. */
      apiKey: string;
      /** The API key secret. Never appears in an error, event or log line. */
      apiSecret: string;
    }
  | {
      /** `Authorization: Bearer`, for the Azure Resource Manager route. */
      kind: "bearer";
      /** The bearer token. Never appears in an error, event or log line. */
      token: string;
    }
  | {
      /**
       * `Authorization: Bearer` with a token from Confluent's token exchange (provider/oauth.ts), asked for
       * at each attempt. A 401 answer makes the client report the token refused and try once more with a
       * new one (the request was not acted on, so a POST too).
       */
      kind: "oauth";
      tokens: BearerTokenSource;
    };

/** Where an `oauth` client gets its bearer tokens. */
export interface BearerTokenSource {
  /** A token valid now (exchanged or refreshed when needed). */
  token(): Promise<string>;
  /** The API answered 401 to this token: the next `token()` must not answer it. */
  refused(token: string): void;
  /** Every token and secret it holds or held, removed from every error the client throws. */
  secrets(): string[];
}

/** Something the client waited for or retried, for the caller to show (e.g. with `pulumi.log`). */
export interface ClientEvent {
  /** `wait`: held back by the origin's limiter (a 429 elsewhere, an exhausted window); `retry`: about to try again. */
  type: "retry" | "wait";
  /** HTTP method of the request concerned. */
  method: string;
  /** Its path, relative to the endpoint. */
  path: string;
  /** Why, e.g. `429 Too Many Requests, Retry-After 2` or `connection reset by the server (UND_ERR_SOCKET)`. */
  reason: string;
  /** How long the wait is, in ms. */
  delayMs: number;
  /** For `retry`, the attempt about to be made (2 for the first retry); for `wait`, the attempt waiting. */
  attempt: number;
  /** Attempts allowed in all. */
  maxAttempts: number;
}

/** Per-request timeouts in ms. */
export interface ClientTimeouts {
  /** Establishing the TCP/TLS connection (applies to the default pool only). @default 10000 */
  connectMs?: number;
  /** From sending the request to receiving the response headers. @default 30000 */
  headersMs?: number;
  /** Longest silence while receiving the body. @default 30000 */
  bodyMs?: number;
}

/** Options of {@link ConfluentClient}. */
export interface ClientOptions {
  /** Origin of the API plus an optional base path, e.g. `https://api.confluent.cloud`. */
  endpoint: string;
  /** Credentials. */
  auth: ClientAuth;
  /**
   * undici dispatcher to send through (an Agent, a Pool for the endpoint's origin, a MockAgent in a test).
   * @default a keep-alive Pool per origin, shared by the clients of the process; never the global dispatcher
   */
  dispatcher?: Dispatcher;
  /** Per-request timeouts. */
  timeouts?: ClientTimeouts;
  /** Retry policy knobs. */
  retry?: RetryOptions;
  /** Cap on requests in flight to the endpoint's origin, across every client of the process. @default 8 */
  maxInFlight?: number;
  /** Told about waits and retries. Exceptions it throws are ignored. */
  onEvent?: (event: ClientEvent) => void;
  /** User-Agent header. @default `pulumi-confluent-iam/<package version>` */
  userAgent?: string;
  /**
   * The local clock the client measures the server's against ({@link ConfluentClient.clock}); tests inject
   * a skewed one. @default Date.now
   */
  now?: () => number;
}

/** Options of a single request. */
export interface RequestOptions<T> {
  /** Query parameters. */
  query?: Query;
  /** JSON request body. */
  body?: unknown;
  /** Schema the response body must match; without it the body is returned as parsed JSON (`unknown`). */
  schema?: z.ZodType<T, z.ZodTypeDef, unknown>;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

/** A response with its status and headers, for calls whose status matters (202 on API key create). */
export interface FullResponse<T> {
  /** HTTP status (2xx). */
  status: number;
  /** Response headers, lower-case names. */
  headers: ResponseHeaders;
  /** The parsed, validated body. */
  body: T;
}

/**
 * Another retry and pacing policy than the client's own, for benchmarks only: bench/anchor.ts models another
 * tool's HTTP client with it to run the same workload side by side. Nothing in this package sets one; the
 * shipped client always uses {@link RetryPolicy} with the origin's shared limiter.
 */
export interface ClientStrategy {
  /** Attempts in all, the first one included (for events). */
  readonly maxAttempts: number;
  /**
   * Whether requests go through the origin's shared limiter: its cap on requests in flight, pacing from
   * `X-RateLimit-*`, and the origin-wide pause after a 429. When false, each request waits on its own.
   */
  readonly sharedLimiter: boolean;
  /** After failed attempt number `attempt` (1-based) of a call that has run for `elapsedMs`. */
  decide(method: HttpMethod, failure: Failure, attempt: number, elapsedMs: number): Decision;
  /** After a 2xx answer, before it is returned: a promise delays the return (a fixed post-create sleep). */
  afterSuccess?(method: HttpMethod, path: string, status: number): Promise<void> | undefined;
}

let strategyFactory: ((options: ClientOptions) => ClientStrategy) | undefined;

/**
 * Benchmark seam: clients constructed after this call use the strategy `factory` builds instead of the
 * client's own policy (`undefined` restores it). Returns the factory it replaces. Only bench/ calls it.
 */
export function setClientStrategyForBenchmark(
  factory: ((options: ClientOptions) => ClientStrategy) | undefined,
): ((options: ClientOptions) => ClientStrategy) | undefined {
  const previous = strategyFactory;
  strategyFactory = factory;
  return previous;
}

/** A ticket for a request that bypasses the shared limiter (see {@link ClientStrategy.sharedLimiter}). */
const UNLIMITED: Release = Object.assign(() => undefined, { seq: 0 });

/** Slack given to undici's coarse timers, so that the client's exact ones fire first. */
const BACKSTOP_MS = 2_000;

const DEFAULT_TIMEOUTS: TimeoutSettings = { connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000 };

/** The default pools, one per origin and connect timeout; created on first use. */
const pools = new Map<string, Pool>();

interface RawResponse {
  status: number;
  headers: ResponseHeaders;
  body: Buffer;
}

/** One client for every Confluent Cloud (and Azure Resource Manager) call. */
export class ConfluentClient {
  private readonly origin: string;
  private readonly basePath: string;
  private readonly authorization: string;
  private readonly secrets: string[];
  private readonly timeouts: TimeoutSettings;
  private readonly policy: RetryPolicy;
  /** A benchmark's strategy ({@link setClientStrategyForBenchmark}); undefined in every shipped use. */
  private readonly strategy: ClientStrategy | undefined;
  private readonly limiter: OriginLimiter;
  private readonly userAgent: string;
  private readonly poolKey: string;
  /**
   * The server's clock as this client's answers show it (their `Date` headers): create reconciliation asks
   * whether an object was made since a request on the clock that stamped it (provider/create.ts).
   */
  readonly clock: ServerClock;

  constructor(private readonly options: ClientOptions) {
    const url = new URL(options.endpoint);
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new TypeError(`endpoint must be an http(s) URL, got ${url.protocol}`);
    }
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, "");
    const { auth } = options;
    this.authorization =
      auth.kind === "basic"
        ? `Basic ${Buffer.from(`${auth.apiKey}:${auth.apiSecret}`).toString("base64")}`
        : auth.kind === "bearer"
          ? `Bearer ${auth.token}`
          : "";
    this.secrets =
      auth.kind === "oauth" ? [] : credentialForms(auth.kind === "basic" ? auth : { token: auth.token });
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...definedOnly(options.timeouts ?? {}) };
    this.policy = new RetryPolicy(options.retry);
    this.strategy = strategyFactory?.(options);
    this.limiter = limiterFor(this.origin, options.maxInFlight);
    this.userAgent = options.userAgent ?? `pulumi-confluent-iam/${packageVersion()}`;
    this.poolKey = `${this.origin}|${this.timeouts.connectMs}`;
    this.clock = new ServerClock(options.now ?? Date.now);
  }

  /** The local time, by the client's clock (see {@link ClientOptions.now}). */
  now(): number {
    return this.clock.now();
  }

  /** Send a request and return its body, validated by `schema` when given. */
  async request<T = unknown>(method: HttpMethod, path: string, options: RequestOptions<T> = {}): Promise<T> {
    return (await this.requestWithResponse(method, path, options)).body;
  }

  /** Like {@link request}, with the status and headers too. */
  async requestWithResponse<T = unknown>(
    method: HttpMethod,
    path: string,
    options: RequestOptions<T> = {},
  ): Promise<FullResponse<T>> {
    if (!path.startsWith("/")) throw new TypeError(`path must start with "/", got ${JSON.stringify(path)}`);
    return this.send(method, `${this.basePath}${path}`, path, options);
  }

  /** Iterate over every item of a list endpoint, following `metadata.next`. */
  paginate<T>(path: string, options: PaginateOptions<T>): AsyncIterable<T> {
    const fetchPage = async <P>(
      pathFromOrigin: string,
      displayPath: string,
      query: Query | undefined,
      schema: z.ZodType<P, z.ZodTypeDef, unknown>,
    ): Promise<P> => (await this.send("GET", pathFromOrigin, displayPath, { query, schema })).body;
    return paginatePages(fetchPage, { origin: this.origin, basePath: this.basePath }, path, options);
  }

  /** Close the default pool of this client's origin (an injected dispatcher is left to its owner). */
  async close(): Promise<void> {
    if (this.options.dispatcher !== undefined) return;
    const pool = pools.get(this.poolKey);
    if (pool === undefined) return;
    // Later requests, from this or another client, open a fresh pool.
    pools.delete(this.poolKey);
    await pool.close();
  }

  private async send<T>(
    method: HttpMethod,
    pathFromOrigin: string,
    displayPath: string,
    options: RequestOptions<T>,
  ): Promise<FullResponse<T>> {
    const started = Date.now();
    let body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = {
      ...options.headers,
      accept: "application/json",
      authorization: this.authorization,
      "user-agent": this.userAgent,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    };
    let target = `${pathFromOrigin}${queryString(options.query)}`;
    const maxAttempts = this.strategy?.maxAttempts ?? this.policy.maxAttempts;
    const shared = this.strategy?.sharedLimiter ?? true;
    let quietWait = false;
    let hops = 0;
    const tokens = this.options.auth.kind === "oauth" ? this.options.auth.tokens : undefined;
    let bearer = "";
    let reauthorized = false;
    const secrets = (): string[] => [...this.secrets, ...(tokens?.secrets() ?? [])];

    for (let attempt = 1; ; attempt++) {
      if (tokens) {
        bearer = await tokens.token();
        headers.authorization = `Bearer ${bearer}`;
      }
      const release = !shared
        ? UNLIMITED
        : await this.limiter.acquire(
            quietWait
              ? undefined
              : (delayMs, reason) =>
                  this.emit({
                    type: "wait",
                    method,
                    path: displayPath,
                    reason,
                    delayMs,
                    attempt,
                    maxAttempts,
                  }),
          );
      const sentAt = this.clock.now();
      const outcome = await this.attempt(method, target, headers, body)
        .catch((e: unknown) => toNetworkError(e, method, displayPath, this.timeouts))
        .finally(release);

      let failure: Failure;
      let error: ConfluentApiError | NetworkError;
      let raw: RawResponse | undefined;
      if (outcome instanceof NetworkError) {
        failure = { kind: "network", error: outcome };
        error = outcome;
      } else {
        raw = outcome;
        this.clock.observe(raw.status, raw.headers.date, sentAt, this.clock.now());
        if (shared) this.pace(raw.headers, release.seq);
        if (REDIRECTS.has(raw.status)) {
          const next = this.redirectTarget(method, displayPath, raw, target, ++hops);
          if (next.method !== method) {
            // 303 (and 301/302 after a POST) turn the request into a GET without a body, as fetch does.
            method = next.method;
            body = undefined;
            delete headers["content-type"];
          }
          target = next.target;
          // A redirect is an answer, not a failure: it spends no retry attempt.
          attempt--;
          continue;
        }
        if (raw.status >= 200 && raw.status < 300) {
          await this.strategy?.afterSuccess?.(method, displayPath, raw.status);
          return {
            status: raw.status,
            headers: raw.headers,
            body: this.parseBody(method, displayPath, raw, options.schema),
          };
        }
        if (tokens && raw.status === 401 && !reauthorized) {
          // Refused (expired early, revoked): once per request, exchange a new token and send again.
          reauthorized = true;
          tokens.refused(bearer);
          attempt--;
          continue;
        }
        error = parseApiError({
          method,
          path: displayPath,
          status: raw.status,
          headers: raw.headers,
          body: raw.body,
        });
        failure = { kind: "status", status: raw.status, headers: raw.headers };
      }

      const decision = (this.strategy ?? this.policy).decide(method, failure, attempt, Date.now() - started);
      if (decision.action === "fail") {
        const extra = raw === undefined ? [] : secretsIn(raw.body);
        const final = decision.outcomeUnknown ? new OutcomeUnknownError(method, displayPath, error) : error;
        throw redact(final, [...secrets(), ...extra]);
      }
      // A 429 holds the whole origin, before anyone (an event handler included) can send again; this
      // request then waits in the limiter with everyone else.
      const pauseOrigin = decision.pauseOrigin && shared;
      if (pauseOrigin) this.limiter.pause(Date.now() + decision.delayMs, decision.reason);
      this.emit({
        type: "retry",
        method,
        path: displayPath,
        reason: decision.reason,
        delayMs: decision.delayMs,
        attempt: attempt + 1,
        maxAttempts,
      });
      quietWait = pauseOrigin;
      if (!pauseOrigin) await sleep(decision.delayMs);
    }
  }

  /**
   * Where a redirect leads: the same origin only (our credentials go nowhere else), at most
   * {@link MAX_REDIRECTS} hops. 307/308 repeat the method and body (the server did not act on the request,
   * so even a POST may be sent again); 303, and 301/302 after a POST, continue with a GET.
   */
  private redirectTarget(
    method: HttpMethod,
    displayPath: string,
    raw: RawResponse,
    current: string,
    hop: number,
  ): { method: HttpMethod; target: string } {
    const location = raw.headers.location;
    const fail = (reason: string): never => {
      throw redact(new RedirectError(method, displayPath, raw.status, location, reason), [
        ...this.secrets,
        ...(this.options.auth.kind === "oauth" ? this.options.auth.tokens.secrets() : []),
      ]);
    };
    if (location === undefined || location.trim() === "") return fail("without a Location header");
    if (hop > MAX_REDIRECTS) return fail(`more than ${MAX_REDIRECTS} times; last to ${location}`);
    let url: URL;
    try {
      url = new URL(location, `${this.origin}${current}`);
    } catch {
      return fail(`to ${JSON.stringify(location)}, which is not a URL`);
    }
    if (url.origin !== this.origin) {
      const configured = new URL(this.origin).host;
      return fail(
        `to another host, ${url.host}, than the configured endpoint's ${configured}; credentials are sent ` +
          `only to ${configured}, so the redirect was not followed. Set the endpoint to ${url.origin} if ` +
          `that is where the API lives.`,
      );
    }
    const toGet = raw.status === 303 || ((raw.status === 301 || raw.status === 302) && method === "POST");
    return { method: toGet ? "GET" : method, target: `${url.pathname}${url.search}` };
  }

  private async attempt(
    method: HttpMethod,
    target: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<RawResponse> {
    // undici's own header/body timers tick at about one second; these are exact, and undici's stay as a
    // backstop. The headers timer runs from dispatch, so it also covers waiting for a pooled connection.
    const controller = new AbortController();
    let expired: Error | undefined;
    const arm = (ms: number, make: () => Error): NodeJS.Timeout =>
      setTimeout(() => {
        expired = make();
        controller.abort(expired);
      }, ms);
    let timer = arm(this.timeouts.headersMs, () => new errors.HeadersTimeoutError());
    try {
      const res = await this.dispatcher().request({
        origin: this.origin,
        path: target,
        method,
        headers,
        body,
        signal: controller.signal,
        headersTimeout: this.timeouts.headersMs + BACKSTOP_MS,
        bodyTimeout: this.timeouts.bodyMs + BACKSTOP_MS,
      });
      clearTimeout(timer);
      timer = arm(this.timeouts.bodyMs, () => new errors.BodyTimeoutError());
      const chunks: Buffer[] = [];
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        chunks.push(chunk);
        timer.refresh();
      }
      return { status: res.statusCode, headers: flattenHeaders(res.headers), body: Buffer.concat(chunks) };
    } catch (e) {
      throw expired ?? e;
    } finally {
      clearTimeout(timer);
    }
  }

  private dispatcher(): Dispatcher {
    if (this.options.dispatcher !== undefined) return this.options.dispatcher;
    let pool = pools.get(this.poolKey);
    if (pool === undefined) {
      pool = new Pool(this.origin, {
        connect: { timeout: this.timeouts.connectMs },
        keepAliveTimeout: 10_000,
      });
      pools.set(this.poolKey, pool);
    }
    return pool;
  }

  /**
   * Tell the origin's limiter what the server said of its rate-limit window, so that requests wait for
   * room instead of walking into a 429. Without `X-RateLimit-Remaining` and `-Reset` nothing is learned.
   */
  private pace(headers: ResponseHeaders, seq: number): void {
    const remainingText = headers["x-ratelimit-remaining"]?.trim();
    const resetText = headers["x-ratelimit-reset"]?.trim();
    if (remainingText === undefined || !/^\d+$/.test(remainingText)) return;
    const reset = parseSeconds(resetText);
    if (reset === undefined) return;
    const limitText = headers["x-ratelimit-limit"]?.trim();
    const limit = limitText !== undefined && /^\d+$/.test(limitText) ? Number(limitText) : undefined;
    this.limiter.report(seq, {
      limit,
      remaining: Number(remainingText),
      // The server knows its window; the budget only guards against a nonsense value.
      resetMs: Math.min(reset, this.policy.budgetMs),
      headers: `X-RateLimit-Remaining ${remainingText}, X-RateLimit-Reset ${resetText ?? ""}`,
    });
  }

  private parseBody<T>(
    method: string,
    displayPath: string,
    raw: RawResponse,
    schema: z.ZodType<T, z.ZodTypeDef, unknown> | undefined,
  ): T {
    const text = raw.body.toString("utf8");
    let json: unknown = undefined;
    if (text.trim() !== "") {
      try {
        json = JSON.parse(text);
      } catch {
        if (schema === undefined) return text as unknown as T;
        throw redact(
          new ResponseValidationError(method, displayPath, raw.status, [
            { path: "(root)", message: "body is not JSON" },
          ]),
          this.secrets,
        );
      }
    }
    if (schema === undefined) return json as T;
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    const issues: ValidationIssue[] = parsed.error.issues.map((i) => ({
      path: jsonPath(i.path),
      message: i.message,
    }));
    throw redact(new ResponseValidationError(method, displayPath, raw.status, issues), [
      ...this.secrets,
      ...collectSecrets(json),
    ]);
  }

  private emit(event: ClientEvent): void {
    if (this.options.onEvent === undefined) return;
    try {
      this.options.onEvent(redact(event, this.secrets));
    } catch {
      // A logging hook must not change the outcome of a request.
    }
  }
}

/** `spec.owner.id`, `data[2].id`; `(root)` for the body itself. */
export function jsonPath(segments: ReadonlyArray<string | number>): string {
  if (segments.length === 0) return "(root)";
  return segments.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

/** Redirect statuses the client follows. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Hops a request may be redirected. */
const MAX_REDIRECTS = 5;

function secretsIn(body: Buffer): string[] {
  try {
    return [...collectSecrets(JSON.parse(body.toString("utf8")))];
  } catch {
    return [];
  }
}

function queryString(query: Query | undefined): string {
  if (query === undefined) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (typeof value === "object") for (const v of value) params.append(key, v);
    else params.append(key, String(value));
  }
  const s = params.toString();
  return s === "" ? "" : `?${s}`;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): ResponseHeaders {
  const out: ResponseHeaders = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

let cachedVersion: string | undefined;

/** This package's version, from the nearest package.json named `pulumi-confluent-iam` above this file. */
export function packageVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  const manifest = z.object({ name: z.string(), version: z.string() });
  // From source this file is two levels below the package root, compiled (dist/provider/client) three.
  for (let dir = __dirname, i = 0; i < 5; i++, dir = path.dirname(dir)) {
    try {
      const parsed = manifest.safeParse(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")));
      if (parsed.success && parsed.data.name === "pulumi-confluent-iam")
        return (cachedVersion = parsed.data.version);
    } catch {
      // Not here; look one level up.
    }
  }
  return (cachedVersion = "0.0.0");
}

export { DEFAULT_MAX_IN_FLIGHT };
