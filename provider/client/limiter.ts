/**
 * One limiter per origin for the whole process. The dynamic-provider host runs every resource of a
 * deployment in one process, each building its own client; the API's rate limits are per user and per
 * organization, so the clients must share one view of "how busy are we" and "are we told to wait".
 */

/** Default cap on requests in flight to one origin. */
export const DEFAULT_MAX_IN_FLIGHT = 8;

export class OriginLimiter {
  /** Requests allowed in flight at once. The latest client that sets it wins; all clients agree in practice. */
  maxInFlight: number;
  private inFlight = 0;
  private readonly waiters: Array<() => void> = [];
  private pausedUntil = 0;
  private pauseReason = "";

  constructor(maxInFlight = DEFAULT_MAX_IN_FLIGHT) {
    this.maxInFlight = Math.max(1, maxInFlight);
  }

  /**
   * Wait for a slot, then for any origin-wide pause to end. Returns the function that frees the slot
   * (idempotent). `onWait` is told about each pause wait, with its length and reason.
   */
  async acquire(onWait?: (delayMs: number, reason: string) => void): Promise<() => void> {
    if (this.inFlight < this.maxInFlight) this.inFlight++;
    else await new Promise<void>((resolve) => this.waiters.push(resolve)); // the slot is handed over
    try {
      // Holding the slot while paused costs nothing: nobody may send until the pause ends anyway.
      // Each pause is announced once: a timer may wake a millisecond before `pausedUntil` by the clock, and
      // the remainder of the same pause is not a new wait (only an extended pause is).
      let announced = 0;
      for (let wait = this.pausedUntil - Date.now(); wait > 0; wait = this.pausedUntil - Date.now()) {
        if (this.pausedUntil !== announced) {
          announced = this.pausedUntil;
          onWait?.(wait, this.pauseReason);
        }
        await sleep(wait);
      }
    } catch (e) {
      this.release();
      throw e;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release();
    };
  }

  /** Hold every request to this origin until `untilMs` (epoch ms); a later pause extends, never shortens. */
  pause(untilMs: number, reason: string): void {
    if (untilMs > this.pausedUntil) {
      this.pausedUntil = untilMs;
      this.pauseReason = reason;
    }
  }

  /** Requests currently holding a slot. */
  get active(): number {
    return this.inFlight;
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
