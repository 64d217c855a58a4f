import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, nextAttempt, retryDelayMs } from './retry-policy.ts';

const NOW = new Date('2025-03-01T00:00:00.000Z');

describe('retry policy', () => {
  it('doubles from 30 s and caps at one hour', () => {
    const delays = Array.from({ length: 10 }, (_, i) => retryDelayMs(DEFAULT_RETRY_POLICY, i + 1, 0) / 1000);
    expect(delays).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
  });

  it('takes at most the jitter fraction off a delay', () => {
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 2, 0.5)).toBe(54_000);
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 2, 0.999_999)).toBe(48_000);
    expect(retryDelayMs({ ...DEFAULT_RETRY_POLICY, jitter: 0 }, 2, 0.9)).toBe(60_000);
  });

  it('schedules the next attempt from now until the last attempt, then gives up', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 };
    expect(nextAttempt(policy, { attempt: 1, now: NOW, permanent: false, random: 0 })).toEqual({
      kind: 'retry',
      at: new Date('2025-03-01T00:00:30.000Z'),
    });
    expect(nextAttempt(policy, { attempt: 2, now: NOW, permanent: false, random: 0 })).toMatchObject({
      kind: 'retry',
    });
    expect(nextAttempt(policy, { attempt: 3, now: NOW, permanent: false, random: 0 })).toEqual({
      kind: 'dead',
    });
  });

  it('gives up at once on a permanent failure', () => {
    expect(nextAttempt(DEFAULT_RETRY_POLICY, { attempt: 1, now: NOW, permanent: true, random: 0 })).toEqual({
      kind: 'dead',
    });
  });

  it('spans about nine hours with the defaults', () => {
    let total = 0;
    for (let a = 1; a < DEFAULT_RETRY_POLICY.maxAttempts; a++)
      total += retryDelayMs(DEFAULT_RETRY_POLICY, a, 0);
    expect(total / 3_600_000).toBeCloseTo(9.06, 2);
  });
});
