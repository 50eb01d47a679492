/**
 * Wrong passphrases slow the next attempt down: 1 s, 2 s, 4 s … up to 60 s, for as long as the app runs.
 * The wait is enforced here (the attempt itself is delayed), not by the UI.
 */
export class UnlockThrottle {
  private failures = 0;
  private nextAllowedAt = 0;
  constructor(
    private readonly baseMs: number,
    private readonly now: () => number,
    private readonly capMs = 60_000,
  ) {}

  /** Milliseconds the next attempt must still wait. */
  waitMs(): number {
    return Math.max(0, this.nextAllowedAt - this.now());
  }

  recordFailure(): void {
    this.failures += 1;
    this.nextAllowedAt = this.now() + Math.min(this.capMs, this.baseMs * 2 ** (this.failures - 1));
  }

  recordSuccess(): void {
    this.failures = 0;
    this.nextAllowedAt = 0;
  }
}
