import { describe, expect, it } from 'vitest';
import { FailureWindow } from '../../server/auth/failure-window';

describe('failed-authentication window', () => {
  it('refuses an address after the limit until its oldest failure ages out, and leaves other addresses alone', () => {
    let now = 1_000_000;
    const window = new FailureWindow(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(window.retryAfterMs('10.0.0.1')).toBe(0);
      window.recordFailure('10.0.0.1');
      now += 10_000;
    }
    // Failures at t0, t0+10s, t0+20s; now t0+30s: refused until t0+60s.
    expect(window.retryAfterMs('10.0.0.1')).toBe(30_000);
    expect(window.retryAfterMs('10.0.0.2')).toBe(0);
    now += 30_000;
    expect(window.retryAfterMs('10.0.0.1')).toBe(0);
  });

  it('stays bounded under failures from very many addresses', () => {
    let now = 0;
    const window = new FailureWindow(2, 60_000, () => now, 100);
    for (let i = 0; i < 1_000; i++) {
      window.recordFailure(`10.0.${i >> 8}.${i & 255}`);
      now += 1;
    }
    // The newest addresses are still tracked; the map did not grow past its bound (oldest were dropped).
    window.recordFailure('10.0.3.231');
    expect(window.retryAfterMs('10.0.3.231')).toBeGreaterThan(0);
    expect((window as unknown as { failures: Map<string, number[]> }).failures.size).toBeLessThanOrEqual(100);
  });
});
