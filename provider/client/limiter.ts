/**
 * One limiter per origin for the whole process. The dynamic-provider host runs every resource of a
 * deployment in one process, each building its own client; the API's rate limits are per user and per
 * organization, so the clients must share one view of "how busy are we" and "are we told to wait".
 */

/** Default cap on requests in flight to one origin. */
export const DEFAULT_MAX_IN_FLIGHT = 8;

/** A ticket for one request: call it to free the slot (idempotent); `seq` numbers the send. */
export type Release = (() => void) & { readonly seq: number };

/** What a response's `X-RateLimit-*` headers said, already parsed. */
export interface WindowReport {
  /** `X-RateLimit-Limit`, when sent. */
  limit?: number;
  /** `X-RateLimit-Remaining`. */
  remaining: number;
  /** `X-RateLimit-Reset` in ms (relative, as the API documents). */
  resetMs: number;
  /** How to describe a wait this report causes, e.g. `X-RateLimit-Remaining 0, X-RateLimit-Reset 1`. */
  headers: string;
}

/** The latest window the server described, and which send it counted up to. */
interface RateWindow {
  /** Requests the server still allowed when it answered send number `seq`. */
  remaining: number;
  seq: number;
  /** Epoch ms when the window resets. */
  resetAt: number;
  headers: string;
  /** Assumed from the learned limit after a reset, not reported: it does not renew itself. */
  assumed: boolean;
}

export class OriginLimiter {
  /** Requests allowed in flight at once. The latest client that sets it wins; all clients agree in practice. */
  maxInFlight: number;
  private inFlight = 0;
  private readonly waiters: Array<() => void> = [];
  private pausedUntil = 0;
  private pauseReason = "";
  /** Requests sent so far (each `acquire` that returns is one). */
  private sent = 0;
  /** The newest window report by send order; undefined when the server sends no rate-limit headers. */
  private window: RateWindow | undefined;
  /** `X-RateLimit-Limit` and the longest `X-RateLimit-Reset` seen: a fresh window after a reset. */
  private learnedLimit: number | undefined;
  private learnedPeriodMs = 0;

  constructor(maxInFlight = DEFAULT_MAX_IN_FLIGHT) {
    this.maxInFlight = Math.max(1, maxInFlight);
  }

  /**
   * Wait for a slot, then for any origin-wide pause to end and for room in the server's rate-limit window.
   * Returns the function that frees the slot (idempotent), numbered by send. `onWait` is told about each
   * wait, with its length and reason.
   */
  async acquire(onWait?: (delayMs: number, reason: string) => void): Promise<Release> {
    if (this.inFlight < this.maxInFlight) this.inFlight++;
    else await new Promise<void>((resolve) => this.waiters.push(resolve)); // the slot is handed over
    try {
      // Holding the slot while paused costs nothing: nobody may send until the pause ends anyway.
      // Each pause is announced once: a timer may wake a millisecond before its end by the clock, and
      // the remainder of the same pause is not a new wait (only an extended pause is).
      let announced = 0;
      for (;;) {
        const now = Date.now();
        const hold = this.holdUntil(now);
        if (hold.until <= now) break;
        if (hold.until !== announced) {
          announced = hold.until;
          onWait?.(hold.until - now, hold.reason);
        }
        await sleep(hold.until - now);
      }
    } catch (e) {
      this.release();
      throw e;
    }
    const seq = ++this.sent;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.release();
    };
    return Object.assign(release, { seq });
  }

  /** Hold every request to this origin until `untilMs` (epoch ms); a later pause extends, never shortens. */
  pause(untilMs: number, reason: string): void {
    if (untilMs > this.pausedUntil) {
      this.pausedUntil = untilMs;
      this.pauseReason = reason;
    }
  }

  /**
   * Learn the server's window from the answer to send number `seq`. A report older (by send) than the
   * one already held is ignored: responses overtake each other. Requests sent after `seq` are assumed not
   * yet counted, so the room left is `remaining` minus those.
   */
  report(seq: number, w: WindowReport, now = Date.now()): void {
    if (w.limit !== undefined && w.limit > 0) this.learnedLimit = w.limit;
    this.learnedPeriodMs = Math.max(this.learnedPeriodMs, w.resetMs);
    if (this.window !== undefined && seq < this.window.seq) return;
    this.window = {
      remaining: w.remaining,
      seq,
      resetAt: now + w.resetMs,
      headers: w.headers,
      assumed: false,
    };
  }

  /** Requests currently holding a slot. */
  get active(): number {
    return this.inFlight;
  }

  /** Until when a request must wait now, and why (`until <= now`: it may go). */
  private holdUntil(now: number): { until: number; reason: string } {
    let until = this.pausedUntil;
    let reason = this.pauseReason;
    const w = this.window;
    if (w !== undefined && now >= w.resetAt) {
      // The window reset. With a known limit the new window allows that many until an answer says more;
      // an assumed window is not renewed (a server that stopped sending the headers is not paced forever).
      this.window =
        this.learnedLimit === undefined || w.assumed
          ? undefined
          : {
              remaining: this.learnedLimit,
              seq: this.sent,
              resetAt: now + Math.max(this.learnedPeriodMs, 1_000),
              headers: `X-RateLimit-Limit ${this.learnedLimit} after the window reset`,
              assumed: true,
            };
    } else if (w !== undefined && w.remaining - (this.sent - w.seq) <= 0 && w.resetAt > until) {
      until = w.resetAt;
      const since = this.sent - w.seq;
      reason = `rate limit window spent (${w.headers}${since === 0 ? "" : `; ${since} sent since`})`;
    }
    return { until, reason };
  }

  private release(): void {
    const next = this.inFlight <= this.maxInFlight ? this.waiters.shift() : undefined;
    if (next === undefined) this.inFlight--;
    else next();
  }
}

const REGISTRY = Symbol.for("pulumi-confluent-iam.client.limiters");

/**
 * The process-wide limiter for `origin`. Kept on `globalThis` rather than in module scope so that two
 * copies of this module (compiled and from source, or two package versions) still share it.
 */
export function limiterFor(origin: string, maxInFlight?: number): OriginLimiter {
  const holder = globalThis as unknown as Record<symbol, Map<string, OriginLimiter> | undefined>;
  const registry = (holder[REGISTRY] ??= new Map<string, OriginLimiter>());
  let limiter = registry.get(origin);
  if (limiter === undefined) {
    limiter = new OriginLimiter(maxInFlight);
    registry.set(origin, limiter);
  } else if (maxInFlight !== undefined) {
    limiter.maxInFlight = Math.max(1, maxInFlight);
  }
  return limiter;
}

/** Resolve after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
