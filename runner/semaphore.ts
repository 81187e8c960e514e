/** Bounds concurrency: at most `limit` holders at once (the runner's `--parallel`). */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  /** The most holders seen at once. */
  peak = 0;

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`parallel must be a positive integer, got ${limit}`);
  }

  /** Runs `fn` once a slot is free. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
