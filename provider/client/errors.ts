import { STATUS_CODES } from "node:http";
import { inspect } from "node:util";
import { OWN_ERROR } from "./redact";

/** The HTTP methods the Confluent Cloud API uses. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Response headers as the client exposes them: lower-case names, repeated values joined with ", ". */
export type ResponseHeaders = Record<string, string>;

/**
 * Base of every error the client throws. Its `toJSON` and `util.inspect` output list only its own data
 * fields (already redacted), so logging an error with either cannot print a credential.
 */
export abstract class ConfluentClientError extends Error {
  /** HTTP method of the failed request. */
  readonly method: string;
  /** Request path, relative to the configured endpoint, without the query string. */
  readonly path: string;

  protected constructor(name: string, message: string, method: string, path: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = name;
    this.method = method;
    this.path = path;
  }

  /** Plain data for `JSON.stringify`: name, message, the error's own fields and a summary of its cause. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [k, v] of Object.entries(this)) if (k !== "cause" && v !== undefined) out[k] = v;
    if (this.cause !== undefined) out.cause = summarizeCause(this.cause);
    return out;
  }

  /** `util.inspect` (and so `console.log`) shows the stack and the same fields as `toJSON`. */
  [inspect.custom](
    depth: number,
    options: { stylize?: unknown },
    inspectFn: typeof inspect = inspect,
  ): string {
    const { name: _name, message: _message, ...fields } = this.toJSON();
    return `${this.stack ?? `${this.name}: ${this.message}`} ${inspectFn(fields, { depth: 4 })}`;
  }
}
(ConfluentClientError.prototype as unknown as Record<symbol, boolean>)[OWN_ERROR] = true;

function summarizeCause(cause: unknown): unknown {
  if (cause instanceof ConfluentClientError) return cause.toJSON();
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return { name: cause.name, message: cause.message, ...(code === undefined ? {} : { code }) };
  }
  return typeof cause === "string" ? cause : "[cause]";
}

/** Where in the request the API found the problem (a 422's `source`). */
export interface ErrorSource {
  /** JSON pointer into the request body, e.g. `/spec/display_name`. */
  pointer?: string;
  /** Name of the query parameter at fault. */
  parameter?: string;
}

/** What the API said about a failed request, taken from its error envelope. */
export interface ApiErrorFields {
  /** HTTP status code. */
  status: number;
  /** Confluent error code: `errors[0].code`, the flat envelope's `error_code` as a string, or Azure's `error.code`. */
  code?: string;
  /** `errors[0].title`. */
  title?: string;
  /** Human-readable explanation: the `detail`s of every error joined with "; ", or the flat/Azure `message`. */
  detail?: string;
  /** `errors[0].source`. */
  source?: ErrorSource;
  /** The `X-Request-Id` response header, to quote to Confluent support. */
  requestId?: string;
  /** The `Location` header of a 409: where the conflicting object lives. */
  location?: string;
}

/** Statuses on which trying again later can succeed. */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/** The API answered with a non-2xx status. */
export class ConfluentApiError extends ConfluentClientError {
  /** HTTP status code. */
  readonly status: number;
  /** HTTP reason phrase for the status (`Conflict`), when the status has one. */
  readonly statusText?: string;
  /** Confluent error code (`service_account_not_found`; `"40301"` from the flat envelope). */
  readonly code?: string;
  /** Title of the first error. */
  readonly title?: string;
  /** Detail of the error(s), see {@link ApiErrorFields.detail}. */
  readonly detail?: string;
  /** Which input the API blames. */
  readonly source?: ErrorSource;
  /** `X-Request-Id`. */
  readonly requestId?: string;
  /** `Location` header (set on a 409 that points at the existing object). */
  readonly location?: string;
  /** True for 429, 502, 503 and 504: the same request may succeed later. */
  readonly retryable: boolean;

  constructor(method: string, path: string, fields: ApiErrorFields) {
    const statusText = STATUS_CODES[fields.status];
    const text = fields.detail ?? fields.title ?? statusText ?? String(fields.status);
    const suffix = fields.requestId === undefined ? "" : ` (request id ${fields.requestId})`;
    const status = statusText === undefined ? `${fields.status}` : `${fields.status} ${statusText}`;
    super("ConfluentApiError", `${method} ${path} failed with ${status}: ${text}${suffix}`, method, path);
    this.status = fields.status;
    this.statusText = statusText;
    this.code = fields.code;
    this.title = fields.title;
    this.detail = fields.detail;
    this.source = fields.source;
    this.requestId = fields.requestId;
    this.location = fields.location;
    this.retryable = RETRYABLE_STATUS.has(fields.status);
  }
}

/** One way in which a response body differs from its schema. */
export interface ValidationIssue {
  /** JSON path of the offending value, e.g. `spec.owner.id` or `data[2].id`; `(root)` for the body itself. */
  path: string;
  /** What is wrong there. Never the value itself. */
  message: string;
}

/** The API answered 2xx, but with a body the client cannot trust (schema mismatch, bad pagination link). */
export class ResponseValidationError extends ConfluentClientError {
  /** HTTP status of the response. */
  readonly status: number;
  /** JSON path of the first issue. */
  readonly jsonPath: string;
  /** Every issue found. */
  readonly issues: ValidationIssue[];

  constructor(method: string, path: string, status: number, issues: ValidationIssue[]) {
    const list = issues.map((i) => `${i.path}: ${i.message}`).join("; ");
    super(
      "ResponseValidationError",
      `${method} ${path} answered ${status} with an unexpected body: ${list}`,
      method,
      path,
    );
    this.status = status;
    this.jsonPath = issues[0]?.path ?? "(root)";
    this.issues = issues;
  }
}

/**
 * A redirect the client will not follow: to another origin (credentials are sent only to the configured
 * endpoint), without a `Location`, or one hop too many.
 */
export class RedirectError extends ConfluentClientError {
  /** Status of the redirect answer (301, 302, 303, 307, 308). */
  readonly status: number;
  /** Where it pointed, when it said. */
  readonly location: string | undefined;

  constructor(method: string, path: string, status: number, location: string | undefined, reason: string) {
    super("RedirectError", `${method} ${path} was redirected (${status}) ${reason}`, method, path);
    this.status = status;
    this.location = location;
  }
}

/** The request failed below HTTP: no connection, a reset, a timeout. */
export class NetworkError extends ConfluentClientError {
  /** undici's or Node's error code (`UND_ERR_SOCKET`, `ECONNREFUSED`, ...); `UNKNOWN` when there was none. */
  readonly code: string;
  /** False when the request cannot have reached the server (refused, connect timeout, DNS failure). */
  readonly requestSent: boolean;
  /** True when the same request may succeed later. */
  readonly retryable: boolean;

  constructor(
    method: string,
    path: string,
    code: string,
    description: string,
    cause?: unknown,
    name?: string,
  ) {
    super(name ?? "NetworkError", `${method} ${path} failed: ${description} (${code})`, method, path, cause);
    this.code = code;
    this.requestSent = !NOT_SENT.has(code);
    this.retryable = TRANSIENT.has(code);
  }
}

/** A {@link NetworkError} caused by a connect, headers or body timeout. */
export class TimeoutError extends NetworkError {
  /** The timeout that expired, in milliseconds, when known. */
  readonly timeoutMs?: number;

  constructor(
    method: string,
    path: string,
    code: string,
    description: string,
    timeoutMs?: number,
    cause?: unknown,
  ) {
    super(method, path, code, description, cause, "TimeoutError");
    this.timeoutMs = timeoutMs;
  }
}

/**
 * A non-idempotent request (POST) failed in a way that leaves open whether the server acted on it: a 5xx, a
 * timeout or a reset after the request was sent. It is not retried, because a second create can mint a
 * second API key; the caller should look the object up by its unique attributes first.
 */
export class OutcomeUnknownError extends ConfluentClientError {
  /** HTTP status when the server answered (a 5xx); absent for network failures. */
  readonly status?: number;

  constructor(method: string, path: string, cause: ConfluentApiError | NetworkError) {
    const prefix = `${method} ${path} `;
    const what = cause.message.startsWith(prefix) ? cause.message.slice(prefix.length) : cause.message;
    super(
      "OutcomeUnknownError",
      `${method} ${path} may have been applied by the server (look the object up before sending it again): ${what}`,
      method,
      path,
      cause,
    );
    this.status = cause instanceof ConfluentApiError ? cause.status : undefined;
  }
}

/** Codes meaning the request never left this machine, so even a POST may be sent again. */
const NOT_SENT = new Set([
  "ECONNREFUSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "EADDRNOTAVAIL",
]);

/** Codes of failures that are worth another attempt. */
const TRANSIENT = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_RES_CONTENT_LENGTH_MISMATCH",
]);

/** The per-request timeouts, to name the one that expired. */
export interface TimeoutSettings {
  connectMs: number;
  headersMs: number;
  bodyMs: number;
}

/** Turn whatever undici or Node threw into a {@link NetworkError} (or {@link TimeoutError}). */
export function toNetworkError(
  err: unknown,
  method: string,
  path: string,
  timeouts: TimeoutSettings,
): NetworkError {
  const code = errorCode(err) ?? "UNKNOWN";
  switch (code) {
    case "UND_ERR_CONNECT_TIMEOUT":
      return new TimeoutError(
        method,
        path,
        code,
        `no connection within ${timeouts.connectMs} ms`,
        timeouts.connectMs,
        err,
      );
    case "UND_ERR_HEADERS_TIMEOUT":
      return new TimeoutError(
        method,
        path,
        code,
        `no response headers within ${timeouts.headersMs} ms`,
        timeouts.headersMs,
        err,
      );
    case "UND_ERR_BODY_TIMEOUT":
      return new TimeoutError(
        method,
        path,
        code,
        `response body stalled for ${timeouts.bodyMs} ms`,
        timeouts.bodyMs,
        err,
      );
    case "ETIMEDOUT":
      return new TimeoutError(method, path, code, "connection timed out", undefined, err);
    default:
      return new NetworkError(method, path, code, DESCRIPTIONS[code] ?? describeUnknown(err), err);
  }
}

const DESCRIPTIONS: Record<string, string> = {
  UND_ERR_SOCKET: "connection reset by the server",
  ECONNRESET: "connection reset by the server",
  ECONNABORTED: "connection aborted",
  EPIPE: "connection closed while sending",
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "temporary DNS failure",
  ENETUNREACH: "network unreachable",
  EHOSTUNREACH: "host unreachable",
  EADDRNOTAVAIL: "address not available",
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: "response shorter than its Content-Length",
  UND_ERR_ABORTED: "request aborted",
  UND_ERR_CLOSED: "client closed",
  UND_ERR_DESTROYED: "client destroyed",
};

function describeUnknown(err: unknown): string {
  return err instanceof Error && err.message !== "" ? err.message : "request failed";
}

/** The error code of `err`, looking into an AggregateError (happy eyeballs) and `cause` as well. */
function errorCode(err: unknown): string | undefined {
  if (err === null || typeof err !== "object") return undefined;
  const { code, errors, cause } = err as { code?: unknown; errors?: unknown; cause?: unknown };
  if (typeof code === "string" && code !== "") return code;
  if (Array.isArray(errors))
    for (const e of errors) {
      const inner = errorCode(e);
      if (inner !== undefined) return inner;
    }
  return cause === err ? undefined : errorCode(cause);
}

/** One entry of the `{"errors":[...]}` envelope, as far as the client reads it. */
interface EnvelopeEntry {
  code?: string;
  title?: string;
  detail?: string;
  message?: string;
  source?: ErrorSource;
}

/** Input of {@link parseApiError}. */
export interface ErrorResponse {
  method: string;
  path: string;
  status: number;
  headers: ResponseHeaders;
  /** The raw body; any bytes at all. */
  body: string | Uint8Array;
}

/**
 * Build the {@link ConfluentApiError} for a non-2xx response. Reads the three envelopes the API uses
 * (`{"errors":[...]}`, the flat `{"error_code","message"}`, Azure's `{"error":{"code","message"}}`) and
 * falls back to the status alone for anything else (an HTML 502 page). Never throws.
 */
export function parseApiError(res: ErrorResponse): ConfluentApiError {
  const text = typeof res.body === "string" ? res.body : Buffer.from(res.body).toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const fields: ApiErrorFields = {
    status: res.status,
    requestId: nonEmpty(res.headers["x-request-id"]),
    location: nonEmpty(res.headers["location"]),
    ...readEnvelope(json),
  };
  return new ConfluentApiError(res.method, res.path, fields);
}

const MAX_DETAIL = 2000;

function readEnvelope(json: unknown): Omit<ApiErrorFields, "status"> {
  if (!isRecord(json)) return {};
  if (Array.isArray(json.errors)) {
    const entries = json.errors.filter(isRecord).map(readEntry);
    const first = entries[0];
    if (first === undefined) return {};
    const texts = entries
      .map((e) => e.detail ?? e.title ?? e.message)
      .filter((t): t is string => t !== undefined);
    return {
      code: first.code,
      title: first.title,
      detail: clip(texts.length > 0 ? [...new Set(texts)].join("; ") : undefined),
      source: first.source,
    };
  }
  if (isRecord(json.error)) {
    // Azure Resource Manager.
    return { code: scalar(json.error.code), detail: clip(scalar(json.error.message)) };
  }
  const code = scalar(json.error_code) ?? scalar(json.code);
  const message = scalar(json.message) ?? scalar(json.error) ?? scalar(json.detail);
  return { code, detail: clip(message) };
}

function readEntry(e: Record<string, unknown>): EnvelopeEntry {
  const source = isRecord(e.source)
    ? { pointer: nonEmpty(scalar(e.source.pointer)), parameter: nonEmpty(scalar(e.source.parameter)) }
    : undefined;
  return {
    code: nonEmpty(scalar(e.code)),
    title: nonEmpty(scalar(e.title)),
    detail: nonEmpty(scalar(e.detail)),
    message: nonEmpty(scalar(e.message)),
    source:
      source !== undefined && (source.pointer !== undefined || source.parameter !== undefined)
        ? stripUndefined(source)
        : undefined,
  };
}

function stripUndefined(s: ErrorSource): ErrorSource {
  const out: ErrorSource = {};
  if (s.pointer !== undefined) out.pointer = s.pointer;
  if (s.parameter !== undefined) out.parameter = s.parameter;
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function scalar(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === "" ? undefined : v;
}

function clip(v: string | undefined): string | undefined {
  const t = nonEmpty(v);
  return t === undefined || t.length <= MAX_DETAIL ? t : `${t.slice(0, MAX_DETAIL)}…`;
}
