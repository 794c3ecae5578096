/** A token bucket's shape: `burst` tokens at most, refilled at `ratePerSecond`. */
export interface TokenBucketOptions {
  readonly ratePerSecond: number;
  readonly burst: number;
  /** Milliseconds since any fixed origin; `Date.now` in production. */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * A client-side token bucket: `take()` resolves when a token is free, in the
 * order the callers asked. It starts full. A caller that had to wait may leave
 * the bucket below zero when the clock moved less than the sleep promised; the
 * next caller then waits for that debt too, so the long-run rate never exceeds
 * `ratePerSecond` whatever the clock does.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: TokenBucketOptions) {
    if (!(options.ratePerSecond > 0) || !(options.burst >= 1)) {
      throw new Error(
        `a token bucket needs ratePerSecond > 0 and burst >= 1, got ${options.ratePerSecond} and ${options.burst}`,
      );
    }
    this.tokens = options.burst;
    this.refilledAt = options.now();
  }

  /** Waits for a token and takes it; resolves with the milliseconds waited. */
  take(): Promise<number> {
    const turn = this.queue.then(() => this.acquire());
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  private async acquire(): Promise<number> {
    this.refill();
    let waited = 0;
    if (this.tokens < 1) {
      waited = Math.ceil(((1 - this.tokens) / this.options.ratePerSecond) * 1000);
      await this.options.sleep(waited);
      this.refill();
    }
    this.tokens -= 1;
    return waited;
  }

  private refill(): void {
    const now = this.options.now();
    const elapsed = Math.max(0, now - this.refilledAt);
    this.tokens = Math.min(this.options.burst, this.tokens + (elapsed / 1000) * this.options.ratePerSecond);
    this.refilledAt = now;
  }
}
