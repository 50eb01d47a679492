import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../store/atomicWrite';

/**
 * Wrong passphrases slow the next attempt down: 1 s, 2 s, 4 s … up to 60 s. The count, the delay and the
 * times of failed attempts are kept in a file beside the key file, so restarting the app does not reset them,
 * and the failures are told to the person (and audited) once a right passphrase has opened the store.
 * The delay is returned to the caller as a retry-after, never slept inside the worker's queue.
 */
const State = z.strictObject({
  failures: z.number().int().nonnegative(),
  nextAllowedAt: z.number().nonnegative(),
  /** ISO times of failed attempts not yet told (the most recent 100). */
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
    if (!existsSync(this.file)) return EMPTY;
    try {
      return State.parse(JSON.parse(readFileSync(this.file, 'utf8')));
    } catch {
      // A damaged count must not become a fresh start: treat it as the longest delay, from now.
      const state: State = { failures: 7, nextAllowedAt: this.now() + this.capMs, failedAt: [] };
      this.write(state);
      return state;
    }
  }

  private write(state: State): void {
    try {
      writeFileAtomic(this.file, JSON.stringify(state));
    } catch {
      // A full disk must not turn a wrong passphrase into a different error; the in-call delay still applies.
    }
  }

  /** Milliseconds the next attempt must still wait; never more than the cap, whatever the clock did since. */
  waitMs(): number {
    return Math.min(this.capMs, Math.max(0, this.read().nextAllowedAt - this.now()));
  }

  /** Records a failure; returns the delay before the next attempt. */
  recordFailure(): number {
    const state = this.read();
    const failures = state.failures + 1;
    const delay = Math.min(this.capMs, this.baseMs * 2 ** (failures - 1));
    this.write({ failures, nextAllowedAt: this.now() + delay, failedAt: [...state.failedAt, new Date(this.now()).toISOString()].slice(-100) });
    return delay;
  }

  /** A right passphrase: no more delay. The failures before it stay until told (takeFailures). */
  recordPass(): void {
    const state = this.read();
    if (state.failures > 0 || state.nextAllowedAt > 0) this.write({ ...state, failures: 0, nextAllowedAt: 0 });
  }

  /** Once the store is open: the failures to tell, cleared. */
  takeFailures(): string[] {
    const { failedAt } = this.read();
    if (failedAt.length > 0) this.write(EMPTY);
    return failedAt;
  }
}
