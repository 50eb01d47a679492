import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeFailure } from '../../../electron/services/sync/failures';
import { SyncScheduler } from '../../../electron/services/sync/scheduler';
import { SyncTransportError } from '../../../electron/services/sync/transport';

/** Only the scheduler's timing logic runs on fake timers here; rounds against the real server are tested elsewhere. */
describe('sync scheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-11-23T09:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function scheduler(outcomes: Array<'ok' | SyncTransportError>, extra: { random?: () => number } = {}) {
    const calls: number[] = [];
    const rounds = vi.fn(async () => {
      calls.push(Date.now());
      const next = outcomes.shift() ?? 'ok';
      if (next !== 'ok') throw next;
    });
    const s = new SyncScheduler({ runRound: rounds, intervalMs: 180_000, nudgeDelayMs: 5_000, backoffBaseMs: 10_000, backoffCapMs: 900_000, random: extra.random ?? (() => 1), now: () => new Date() });
    return { s, rounds, calls };
  }

  it('runs at once on start, then every interval; stop leaves no timer behind', async () => {
    const { s, rounds } = scheduler([]);
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(rounds).toHaveBeenCalledTimes(1);
    expect(s.snapshot()).toMatchObject({ failures: 0, lastError: null, running: false });
    expect(s.snapshot().nextAttemptAt?.toISOString()).toBe('2026-11-23T09:03:00.000Z');
    await vi.advanceTimersByTimeAsync(180_000);
    expect(rounds).toHaveBeenCalledTimes(2);
    await s.stop();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(rounds).toHaveBeenCalledTimes(2);
    expect(s.snapshot().nextAttemptAt).toBeNull();
  });

  it('backs off exponentially with jitter up to the cap, and a success resets it', async () => {
    const offline = () => new SyncTransportError('network', 'connect ECONNREFUSED');
    const { s, calls } = scheduler([offline(), offline(), offline(), offline(), offline(), offline(), offline(), offline(), 'ok']);
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 8; i++) await vi.advanceTimersToNextTimerAsync();
    const gaps = calls.slice(1).map((t, i) => t - calls[i]!);
    // random() = 1 puts each wait at the top of its step: 10 s, 20 s, 40 s … capped at 15 minutes.
    expect(gaps).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 640_000, 900_000]);
    expect(s.snapshot()).toMatchObject({ failures: 0, lastError: null });
    expect(s.snapshot().nextAttemptAt!.getTime() - calls.at(-1)!).toBe(180_000);
    await s.stop();
  });

  it('jitter keeps every wait within the upper half of its step', async () => {
    const { s } = scheduler([new SyncTransportError('network', 'x')], { random: () => 0 });
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(s.snapshot().nextAttemptAt!.getTime() - Date.now()).toBe(5_000);
    await s.stop();
  });

  it('records a clinician-readable lastError, and waits the cap when only a person can fix it', async () => {
    const { s } = scheduler([new SyncTransportError('unauthorized', 'revoked')]);
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(s.snapshot().lastError).toEqual({ code: 'unauthorized', message: expect.stringMatching(/signed out by your team \(revoked\)/) });
    expect(s.snapshot().nextAttemptAt!.getTime() - Date.now()).toBe(900_000);
    await s.stop();
  });

  it('a local write brings the next round forward, but not while backing off', async () => {
    const { s, rounds } = scheduler(['ok', new SyncTransportError('network', 'x')]);
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    s.nudge();
    s.nudge();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(rounds).toHaveBeenCalledTimes(2); // the nudged round, which fails
    s.nudge();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(rounds).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(5_000); // the backoff's 10 s
    expect(rounds).toHaveBeenCalledTimes(3);
    await s.stop();
  });

  it('runNow waits for a round in flight, then runs a fresh one; stop aborts the round in flight', async () => {
    let release!: () => void;
    const signals: AbortSignal[] = [];
    const runRound = vi.fn(
      (signal: AbortSignal) =>
        new Promise<void>((ok, fail) => {
          signals.push(signal);
          release = ok;
          signal.addEventListener('abort', () => fail(new SyncTransportError('network', 'aborted')));
        }),
    );
    const s = new SyncScheduler({ runRound, random: () => 1 });
    s.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(s.snapshot().running).toBe(true);
    const now = s.runNow();
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(runRound).toHaveBeenCalledTimes(2);
    release();
    await now;
    expect(s.snapshot()).toMatchObject({ running: false, failures: 0 });

    void s.runNow();
    await vi.advanceTimersByTimeAsync(0);
    await s.stop();
    expect(signals.at(-1)!.aborted).toBe(true);
    // An aborted round is the session ending, not a failure to report.
    expect(s.snapshot()).toMatchObject({ running: false, failures: 0, lastError: null, nextAttemptAt: null });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('sync failures in words', () => {
  it.each([
    ['version_unsupported', /must be updated before it can sync/],
    ['clock_ahead', /clock is wrong/],
    ['unauthorized', /signed out by your team \(revoked\)/],
    ['network', /^Offline/],
  ] as const)('%s', (code, message) => {
    expect(describeFailure(new SyncTransportError(code, 'raw server text'))).toEqual({ code, message: expect.stringMatching(message) });
  });

  it('an unexpected error is not shown raw', () => {
    expect(describeFailure(new Error('SQLITE_BUSY at /home/x/caseload.db'))).toEqual({ code: 'internal', message: expect.not.stringContaining('SQLITE') });
  });
});
