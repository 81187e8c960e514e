/**
 * A MODEL of the anchor's client policy, not the anchor itself: terraform-provider-confluent's HTTP retry
 * policy and fixed post-create sleeps, as its source sets them, plugged into our client
 * (provider/client/client.ts `setClientStrategyForBenchmark`) so that the soak can run the same workload
 * with both policies. Only the client's behaviour is modelled; everything above the client (the provider's
 * reconciliation, readiness checks, read-after-create) stays ours. Sources, read at
 * confluentinc/terraform-provider-confluent commit e58ae689f09d8395f6aa36319cb91ba6c2b38e50 (2026-08-20)
 * and hashicorp/go-retryablehttp v0.7.7 (the version its go.mod pins), are cited in bench/README.md.
 *
 * - `internal/provider/factory_utils.go` `CreateRetryableClient`: `retryablehttp.NewClient()` with its
 *   defaults (`RetryWaitMin` 1 s, `RetryWaitMax` 30 s, `CheckRetry` `DefaultRetryPolicy`, `Backoff`
 *   `DefaultBackoff`), `RetryMax` from the provider's `max_retries` (provider.go: default 4), and an
 *   `ErrorHandler` that only rewords the last error. Every IAM client is built by it.
 * - go-retryablehttp v0.7.7 `client.go`: `baseRetryPolicy` retries any method (the client has no per-method
 *   rule, so a POST is sent again) on a transport error (not too many redirects, a bad scheme or header,
 *   or a TLS certificate error), on 429, and on any status >= 500 but 501. `DefaultBackoff` waits
 *   `Retry-After` (whole seconds or an HTTP date) on a 429 or 503 that has one, else
 *   `RetryWaitMin * 2^n` for retry n (0-based), at most `RetryWaitMax`: 1, 2, 4, 8 s. No jitter, no limiter
 *   shared between requests, no reading of `X-RateLimit-*`, and no cap on connections per host.
 * - `internal/provider/resource_role_binding.go` (create): after the POST, unless `disable_wait_for_ready`,
 *   `SleepIfNotTestMode(rbacWaitAfterCreateToSync)`, 90 s (`internal/provider/constants.go`). Our
 *   RoleBinding has no such input, so every role-binding create sleeps, as the anchor's default does.
 */
import type { ClientStrategy } from "../provider/client/client";
import type { HttpMethod } from "../provider/client/errors";
import type { Decision, Failure } from "../provider/client/retry";

/** The anchor's settings, as its source sets them (see the header). */
export const ANCHOR_SETTINGS = {
  /** go-retryablehttp `RetryMax` (the provider's `max_retries` default): retries after the first attempt. */
  retryMax: 4,
  /** `RetryWaitMin`: the first back-off. */
  retryWaitMinMs: 1_000,
  /** `RetryWaitMax`: the longest back-off. */
  retryWaitMaxMs: 30_000,
  /** `rbacWaitAfterCreateToSync`: the fixed sleep after a role binding's create. */
  roleBindingSleepMs: 90_000,
} as const;

/** Options of {@link AnchorPolicy}. */
export interface AnchorOptions {
  /**
   * Factor applied to the fixed post-create sleeps (1 = the source's 90 s). The benchmark may shorten them
   * to keep a run affordable; the table says so when it does. @default 1
   */
  sleepScale?: number;
  /** Sleep, replaceable in tests. @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** Clock for `Retry-After` dates. @default Date.now */
  now?: () => number;
}

/** A role binding's create: the POST the anchor follows with its fixed sleep. */
const ROLE_BINDING_CREATE = /^\/iam\/v2\/role-bindings\/?$/;

/** go-retryablehttp's non-retried transport errors: TLS certificate failures (the others cannot occur here). */
const CERT_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/;

/** The anchor's client policy as a strategy of our client. */
export class AnchorPolicy implements ClientStrategy {
  readonly maxAttempts = ANCHOR_SETTINGS.retryMax + 1;
  readonly sharedLimiter = false;
  private readonly sleepScale: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(options: AnchorOptions = {}) {
    this.sleepScale = options.sleepScale ?? 1;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.now = options.now ?? Date.now;
  }

  /** The back-off after failed attempt `attempt` (1-based): `DefaultBackoff`. */
  backoff(attempt: number, failure: Failure): number {
    if (failure.kind === "status" && (failure.status === 429 || failure.status === 503)) {
      const after = goRetryAfter(failure.headers["retry-after"], this.now());
      if (after !== undefined) return after;
    }
    const wait = ANCHOR_SETTINGS.retryWaitMinMs * 2 ** (attempt - 1);
    return Math.min(wait, ANCHOR_SETTINGS.retryWaitMaxMs);
  }

  decide(method: HttpMethod, failure: Failure, attempt: number): Decision {
    let reason: string;
    if (failure.kind === "status") {
      const { status } = failure;
      if (status !== 429 && (status < 500 || status === 501))
        return { action: "fail", outcomeUnknown: false };
      reason = `${status} (anchor model: retried for every method)`;
    } else {
      if (CERT_ERROR.test(failure.error.code)) return { action: "fail", outcomeUnknown: false };
      reason = `${failure.error.code} (anchor model: retried for every method)`;
    }
    // `remain := RetryMax - i; if remain <= 0 { break }`: RetryMax retries after the first attempt.
    if (attempt >= this.maxAttempts) return { action: "fail", outcomeUnknown: false };
    return { action: "retry", delayMs: this.backoff(attempt, failure), reason, pauseOrigin: false };
  }

  afterSuccess(method: HttpMethod, path: string): Promise<void> | undefined {
    if (method !== "POST" || !ROLE_BINDING_CREATE.test(path.replace(/\?.*$/, ""))) return undefined;
    return this.sleep(Math.round(ANCHOR_SETTINGS.roleBindingSleepMs * this.sleepScale));
  }
}

/**
 * `parseRetryAfterHeader` of go-retryablehttp v0.7.7: whole seconds (`strconv.ParseInt`, so no fraction
 * and no sign but `-`, refused when negative), else an RFC 1123 date (a past one is 0).
 */
export function goRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (/^[+-]?\d+$/.test(value)) {
    const n = Number(value);
    return n < 0 ? undefined : n * 1000;
  }
  // time.RFC1123: "Mon, 02 Jan 2006 15:04:05 MST".
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [A-Z]{3}$/.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Environment variable carrying the model's options to the provider host (JSON of {@link AnchorOptions}). */
export const ANCHOR_ENV = "CONFLUENT_IAM_BENCH_ANCHOR";
