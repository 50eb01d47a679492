import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../store/atomicWrite';

/**
 * Wrong passphrases slow the next attempt down: 1 s, 2 s, 4 s … up to 60 s. The count, the delay and the
 * times of failed attempts are kept in a file beside the key file, so restarting the app does not reset them,
 * and the failures are told to the person (and audited) at the next successful unlock.
 * The delay is returned to the caller as a retry-after, never slept inside the worker's queue.
 */
const State = z.strictObject({
  failures: z.number().int().nonnegative(),
  nextAllowedAt: z.number().nonnegative(),
  /** ISO times of failed attempts since the last success (the most recent 100). */
  failedAt: z.array(z.string()).max(100),
});
type State = z.infer<typeof State>;
const EMPTY: State = { failures: 0, nextAllowedAt: 0, failedAt: [] };

export class UnlockThrottle {
  constructor(
    private readonly file: string,
    private readonly baseMs: number,
    private readonly now: () => number,
    private readonly capMs = 60_000,
  ) {}

  private read(): State {
    try {
      return State.parse(JSON.parse(readFileSync(this.file, 'utf8')));
    } catch {
      // Missing is the normal case; a damaged file must not lock anyone out, nor reset a delay to nothing.
      return EMPTY;
    }
  }

  /** Milliseconds the next attempt must still wait. */
  waitMs(): number {
    return Math.max(0, this.read().nextAllowedAt - this.now());
  }

  /** Records a failure; returns the delay before the next attempt. */
  recordFailure(): number {
    const state = this.read();
    const failures = state.failures + 1;
    const delay = Math.min(this.capMs, this.baseMs * 2 ** (failures - 1));
    const next: State = { failures, nextAllowedAt: this.now() + delay, failedAt: [...state.failedAt, new Date(this.now()).toISOString()].slice(-100) };
    try {
      writeFileAtomic(this.file, JSON.stringify(next));
    } catch {
      // A full disk must not turn a wrong passphrase into a different error; the in-call delay still applies.
    }
    return delay;
  }

  /** Clears the count; returns the times of the failures it cleared. */
  recordSuccess(): string[] {
    const { failedAt, failures } = this.read();
    if (failures > 0 || failedAt.length > 0) writeFileAtomic(this.file, JSON.stringify(EMPTY));
    return failedAt;
  }
}
