/** A small seeded PRNG (mulberry32): the same seed gives the same sequence, so fault runs repeat. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Next number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** The outcome of asking a token bucket for one request. */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the bucket is full again (X-RateLimit-Reset, relative as the API documents). */
  resetSeconds: number;
  /** Seconds until one token is available (Retry-After), when refused. */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets per credential: capacity N, refilled at N per second. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly perSecond: number) {}

  take(credential: string, now: number): RateDecision {
    const cap = this.perSecond;
    let b = this.buckets.get(credential);
    if (!b) {
      b = { tokens: cap, at: now };
      this.buckets.set(credential, b);
    }
    b.tokens = Math.min(cap, b.tokens + ((now - b.at) / 1000) * cap);
    b.at = now;
    const allowed = b.tokens >= 1;
    if (allowed) b.tokens -= 1;
    return {
      allowed,
      limit: cap,
      remaining: Math.floor(b.tokens),
      resetSeconds: Math.ceil((cap - b.tokens) / cap),
      retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / cap)),
    };
  }
}
