/**
 * Counts failed authentications per client address over a sliding window; over the limit, the address is
 * refused until its oldest failure ages out. In memory on purpose: one server process, and a restart
 * forgetting the counts costs an attacker nothing they could not get by waiting.
 */
export class FailureWindow {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = 10,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
    private readonly maxTracked = 10_000,
  ) {}

  /** Milliseconds until the address may try again; 0 when it may now. */
  retryAfterMs(address: string): number {
    const recent = this.recent(address);
    if (recent.length < this.maxFailures) return 0;
    return Math.max(1, recent[recent.length - this.maxFailures]! + this.windowMs - this.now());
  }

  recordFailure(address: string): void {
    const recent = this.recent(address);
    recent.push(this.now());
    this.failures.set(address, recent);
    if (this.failures.size > this.maxTracked) this.prune();
  }

  private recent(address: string): number[] {
    const cutoff = this.now() - this.windowMs;
    return (this.failures.get(address) ?? []).filter((t) => t > cutoff);
  }

  private prune(): void {
    const cutoff = this.now() - this.windowMs;
    for (const [address, times] of this.failures) {
      if (!times.some((t) => t > cutoff)) this.failures.delete(address);
    }
    // Still too many live addresses (a spray from many sources): drop the oldest entries rather than grow.
    const excess = this.failures.size - this.maxTracked;
    if (excess > 0) [...this.failures.keys()].slice(0, excess).forEach((k) => this.failures.delete(k));
  }
}
