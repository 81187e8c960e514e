/**
 * The API's clock, as one client sees it. Objects are stamped `metadata.created_at` by the server's clock,
 * so "was this object made by the request we sent at t?" must be asked on that clock, not ours: ours may be
 * minutes off. Every answer of the API's own (a status below 500: a 5xx may come from a gateway with another
 * clock) carries a `Date` header, the server's time when it answered, to the second. An answer that left
 * the server at server time `D` (truncated to the second: the true time is in `[D, D + 1000)`) and reached
 * us between our local times `t0` (sent) and `t1` (answered) bounds the offset `server − local`:
 *
 *     D − t1  ≤  offset  <  D + 1000 − t0
 *
 * The bounds of every answer are intersected, so they close in on the true offset: the gap is at most one
 * second plus the round trip of the quickest answer. When the intersection comes out empty (a clock was
 * set, or jumped), it starts again from the latest answer.
 */

/** Bounds of `server time − local time`, in ms. */
export interface OffsetBounds {
  /** The offset is at least this. */
  lo: number;
  /** The offset is below this. */
  hi: number;
}

/** Resolution of the `Date` header: whole seconds. */
export const DATE_RESOLUTION_MS = 1000;

/** The server's clock as learned from the `Date` headers of one client's answers. */
export class ServerClock {
  private bounds: OffsetBounds | undefined;

  /** `now`: the local clock (injected in tests). */
  constructor(readonly now: () => number = Date.now) {}

  /**
   * Notes one answer: its status, its `Date` header (if any), and the local times the request was sent
   * (`sentAt`) and answered (`answeredAt`). 5xx answers and unreadable dates teach nothing.
   */
  observe(status: number, date: string | undefined, sentAt: number, answeredAt: number): void {
    if (status >= 500 || date === undefined) return;
    const server = Date.parse(date);
    if (Number.isNaN(server)) return;
    const sample: OffsetBounds = { lo: server - answeredAt, hi: server + DATE_RESOLUTION_MS - sentAt };
    const b = this.bounds;
    if (b === undefined) {
      this.bounds = sample;
      return;
    }
    const lo = Math.max(b.lo, sample.lo);
    const hi = Math.min(b.hi, sample.hi);
    this.bounds = lo < hi ? { lo, hi } : sample;
  }

  /** The offset's bounds, or undefined before any answer with a `Date` header. */
  offset(): OffsetBounds | undefined {
    return this.bounds === undefined ? undefined : { ...this.bounds };
  }

  /**
   * The earliest server time at which a request sent at local time `local` can have reached the server:
   * every object it made is stamped at or after this. Undefined while the offset is not known.
   */
  earliestServerTime(local: number): number | undefined {
    return this.bounds === undefined ? undefined : local + this.bounds.lo;
  }
}
