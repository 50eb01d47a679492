import { describeFailure, needsAPerson, type LastError } from './failures';

export interface SchedulerOptions {
  /** One round (push, pull, audit, directory). Must give up promptly once `signal` aborts. */
  runRound: (signal: AbortSignal) => Promise<void>;
  /** Between rounds while all is well. */
  intervalMs?: number;
  /** After a local write, so a change leaves the laptop soon without a round per keystroke. */
  nudgeDelayMs?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** [0, 1): the jitter source; tests fix it. */
  random?: () => number;
  now?: () => Date;
}

export interface SchedulerState {
  running: boolean;
  /** Consecutive failed rounds; 0 after a success. */
  failures: number;
  lastError: LastError | null;
  nextAttemptAt: Date | null;
  lastSuccessAt: Date | null;
}

export const SYNC_INTERVAL_MS = 3 * 60_000;
export const NUDGE_DELAY_MS = 5_000;
export const BACKOFF_BASE_MS = 15_000;
export const BACKOFF_CAP_MS = 15 * 60_000;

/**
 * When rounds run for one unlocked session (DESIGN §5.9): at once on start (unlock), then every few minutes,
 * soon after a local write, and on "Sync now". A failed round backs off exponentially with jitter, so a
 * team's laptops coming back online together do not all call at once; a success resets it. Failures a retry
 * cannot fix (revoked, clock wrong, app too old) wait the cap. `stop` (lock) aborts the round in flight and
 * waits for it: nothing touches the network or the store after the session ends.
 */
export class SyncScheduler {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: { promise: Promise<void>; abort: AbortController } | null = null;
  private stopped = true;
  private readonly state: SchedulerState = { running: false, failures: 0, lastError: null, nextAttemptAt: null, lastSuccessAt: null };
  private readonly intervalMs: number;
  private readonly nudgeDelayMs: number;
  private readonly backoffBaseMs: number;
  private readonly backoffCapMs: number;
  private readonly random: () => number;
  private readonly now: () => Date;

  constructor(private readonly options: SchedulerOptions) {
    this.intervalMs = options.intervalMs ?? SYNC_INTERVAL_MS;
    this.nudgeDelayMs = options.nudgeDelayMs ?? NUDGE_DELAY_MS;
    this.backoffBaseMs = options.backoffBaseMs ?? BACKOFF_BASE_MS;
    this.backoffCapMs = options.backoffCapMs ?? BACKOFF_CAP_MS;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? (() => new Date());
  }

  snapshot(): SchedulerState {
    return { ...this.state };
  }

  /** On unlock: a round straight away, then on the timer. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** On lock: no timer left, the round in flight aborted and finished before this resolves. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    this.state.nextAttemptAt = null;
    const flight = this.inFlight;
    if (flight) {
      flight.abort.abort();
      await flight.promise;
    }
  }

  /** A local write happened: sync soon, unless a failure is being backed off (offline writes must not hammer). */
  nudge(): void {
    if (this.stopped || this.state.failures > 0 || this.inFlight) return;
    const due = this.now().getTime() + this.nudgeDelayMs;
    if (this.state.nextAttemptAt && this.state.nextAttemptAt.getTime() <= due) return;
    this.schedule(this.nudgeDelayMs);
  }

  /**
   * "Sync now" (and the signing barrier): a round that starts after this call, so whatever was written before
   * it is included. A round already running is waited for first. Resolves when the round ends, either way.
   */
  async runNow(): Promise<void> {
    while (this.inFlight) await this.inFlight.promise;
    if (this.stopped) return;
    this.clearTimer();
    await this.run();
  }

  private run(): Promise<void> {
    const abort = new AbortController();
    this.state.running = true;
    this.state.nextAttemptAt = null;
    const promise = (async () => {
      try {
        await this.options.runRound(abort.signal);
        if (abort.signal.aborted) return;
        this.state.failures = 0;
        this.state.lastError = null;
        this.state.lastSuccessAt = this.now();
      } catch (error) {
        if (abort.signal.aborted) return;
        this.state.failures += 1;
        this.state.lastError = describeFailure(error);
      } finally {
        this.state.running = false;
        this.inFlight = null;
        if (!this.stopped) this.schedule(this.state.failures === 0 ? this.intervalMs : this.backoffMs());
      }
    })();
    this.inFlight = { promise, abort };
    return promise;
  }

  /** Exponential from the base, capped; "equal jitter": somewhere in the upper half of the step, never zero. */
  backoffMs(): number {
    if (this.state.lastError && needsAPerson(this.state.lastError.code)) return this.backoffCapMs;
    const step = Math.min(this.backoffCapMs, this.backoffBaseMs * 2 ** Math.min(this.state.failures - 1, 30));
    return Math.round(step / 2 + (step / 2) * this.random());
  }

  private schedule(delayMs: number): void {
    this.clearTimer();
    this.state.nextAttemptAt = new Date(this.now().getTime() + delayMs);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.stopped && !this.inFlight) void this.run();
    }, delayMs);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
