import { STATUS_CODES } from "node:http";
import type { HttpMethod, NetworkError, ResponseHeaders } from "./errors";

/** Knobs of the retry policy; tests shrink the delays to milliseconds. */
export interface RetryOptions {
  /** First back-off ceiling in ms; doubles per attempt. @default 500 */
  baseDelayMs?: number;
  /** Largest back-off ceiling in ms; waits the server asks for (429, a spent window) are not capped by it. @default 30000 */
  maxDelayMs?: number;
  /** Attempts in all, the first one included. @default 8 */
  maxAttempts?: number;
  /** Total time in ms one call may spend, waits included, before its last error is returned. @default 300000 */
  budgetMs?: number;
}

/** Production defaults. */
export const DEFAULT_RETRY: Required<RetryOptions> = {
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxAttempts: 8,
  budgetMs: 300_000,
};

/** Why an attempt failed, as the policy needs to know it. */
export type Failure =
  { kind: "status"; status: number; headers: ResponseHeaders } | { kind: "network"; error: NetworkError };

/** What to do after a failed attempt. */
export type Decision =
  | {
      action: "retry";
      /** How long to wait before the next attempt. */
      delayMs: number;
      /** Human-readable reason, for the `onEvent` hook. */
      reason: string;
      /** A 429: the whole origin must wait, not just this request. */
      pauseOrigin: boolean;
    }
  | {
      action: "fail";
      /** The request was a POST that the server may have acted on. */
      outcomeUnknown: boolean;
    };

const IDEMPOTENT: ReadonlySet<string> = new Set<HttpMethod>(["GET", "PUT", "PATCH", "DELETE"]);
// 500 is in the set on purpose: Confluent's conventions list 500 with 502-504 as rare server-side errors,
// and repeating a GET, PATCH (whole-field values) or DELETE cannot do harm. POSTs never get here.
const SERVER_ERRORS = new Set([500, 502, 503, 504]);

/**
 * The whole retry policy in one object: what is retried, how long to wait, when to give up.
 *
 * - 429: every method (the server refused without acting); wait `Retry-After`, else `X-RateLimit-Reset`,
 *   else back-off.
 * - 500/502/503/504 and transient connection failures: idempotent methods only, with capped exponential back-off
 *   and full jitter. A POST is retried only when it cannot have reached the server (refused, connect
 *   timeout); otherwise its outcome is unknown and the caller must reconcile.
 */
export class RetryPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxAttempts: number;
  readonly budgetMs: number;

  constructor(
    options: RetryOptions = {},
    private readonly random: () => number = Math.random,
  ) {
    this.baseDelayMs = options.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_RETRY.maxAttempts);
    this.budgetMs = options.budgetMs ?? DEFAULT_RETRY.budgetMs;
  }

  /** Full-jitter back-off after failed attempt number `attempt` (1-based). */
  backoff(attempt: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(attempt - 1, 30));
    return Math.floor(this.random() * ceiling);
  }

  /**
   * Decide after failed attempt number `attempt` (1-based) of a call that has run for `elapsedMs`.
   * `now` is the wall clock, for `Retry-After` given as an HTTP date.
   */
  decide(method: string, failure: Failure, attempt: number, elapsedMs: number, now = Date.now()): Decision {
    const idempotent = IDEMPOTENT.has(method);
    let delayMs: number;
    let reason: string;
    let pauseOrigin = false;

    if (failure.kind === "status") {
      const { status, headers } = failure;
      if (status === 429) {
        const wait = rateLimitWait(headers, now);
        delayMs = wait?.delayMs ?? this.backoff(attempt);
        reason = `429 Too Many Requests${wait === undefined ? "" : `, ${wait.from}`}`;
        pauseOrigin = true;
      } else if (status >= 500 && !idempotent) {
        return { action: "fail", outcomeUnknown: true };
      } else if (SERVER_ERRORS.has(status)) {
        delayMs = this.backoff(attempt);
        reason = `${status} ${STATUS_CODES[status] ?? ""}`.trim();
      } else {
        return { action: "fail", outcomeUnknown: false };
      }
    } else {
      const { error } = failure;
      if (!idempotent && error.requestSent) return { action: "fail", outcomeUnknown: true };
      if (!error.retryable) return { action: "fail", outcomeUnknown: false };
      delayMs = this.backoff(attempt);
      reason = error.message.slice(error.message.indexOf(" failed: ") + " failed: ".length);
    }

    if (attempt >= this.maxAttempts || elapsedMs + delayMs > this.budgetMs) {
      return { action: "fail", outcomeUnknown: false };
    }
    return { action: "retry", delayMs, reason, pauseOrigin };
  }
}

/**
 * How long a 429 asks us to wait: `Retry-After` (delta seconds or an HTTP date), else `X-RateLimit-Reset`
 * (relative seconds, per Confluent's docs; not an epoch as on GitHub).
 */
function rateLimitWait(
  headers: ResponseHeaders,
  now = Date.now(),
): { delayMs: number; from: string } | undefined {
  const retryAfter = parseRetryAfter(headers["retry-after"], now);
  if (retryAfter !== undefined) return { delayMs: retryAfter, from: `Retry-After ${headers["retry-after"]}` };
  const reset = parseSeconds(headers["x-ratelimit-reset"]);
  if (reset !== undefined)
    return { delayMs: reset, from: `X-RateLimit-Reset ${headers["x-ratelimit-reset"]}` };
  return undefined;
}

/** `Retry-After` in ms: delta seconds (fractions accepted) or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  const seconds = parseSeconds(value);
  if (seconds !== undefined || value === undefined) return seconds;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Non-negative seconds (fractions accepted) in ms. */
export function parseSeconds(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Math.ceil(Number(value) * 1000);
}
