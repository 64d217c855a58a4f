import { describe, expect, it } from 'vitest';
import { HourlyLatency, hourOf } from './hourly-latency.ts';
import {
  bucketIndex,
  emptyBuckets,
  LATENCY_BUCKETS_SECONDS,
  quantileFromBuckets,
} from './latency-histogram.ts';

describe('quantileFromBuckets', () => {
  const bounds = [0.1, 0.2, 0.5, 1];

  it('interpolates inside the bucket holding the rank, like histogram_quantile', () => {
    // 100 observations: 50 ≤ 0.1, 40 in (0.1, 0.2], 10 in (0.2, 0.5]. Rank 95 is the 5th of 10
    // in (0.2, 0.5]: 0.2 + 0.3 × 5/10 = 0.35.
    expect(quantileFromBuckets(0.95, [50, 40, 10, 0, 0], bounds)).toBeCloseTo(0.35, 12);
    // Rank 50 is the last of the first bucket, interpolated from 0.
    expect(quantileFromBuckets(0.5, [50, 40, 10, 0, 0], bounds)).toBeCloseTo(0.1, 12);
    expect(quantileFromBuckets(0.25, [50, 40, 10, 0, 0], bounds)).toBeCloseTo(0.05, 12);
  });

  it('answers the highest finite bound when the rank falls in +Inf', () => {
    expect(quantileFromBuckets(0.95, [1, 0, 0, 0, 99], bounds)).toBe(1);
  });

  it('skips empty buckets and is null without observations', () => {
    expect(quantileFromBuckets(0.5, [0, 0, 4, 0, 0], bounds)).toBeCloseTo(0.35, 12);
    expect(quantileFromBuckets(0.95, [0, 0, 0, 0, 0], bounds)).toBeNull();
  });
});

describe('bucketIndex', () => {
  it('puts a value equal to a bound inside that bucket', () => {
    expect(bucketIndex(0.001)).toBe(0);
    expect(bucketIndex(0.0011)).toBe(1);
    expect(bucketIndex(10)).toBe(LATENCY_BUCKETS_SECONDS.length - 1);
    expect(bucketIndex(11)).toBe(LATENCY_BUCKETS_SECONDS.length);
    expect(emptyBuckets()).toHaveLength(LATENCY_BUCKETS_SECONDS.length + 1);
  });
});

describe('HourlyLatency', () => {
  const t = (iso: string) => new Date(iso);

  it('keys observations by the UTC hour of the request and route; take() empties it', () => {
    const h = new HourlyLatency();
    h.observe('/a', 0.001, t('2025-01-01T09:59:59.999Z'));
    h.observe('/a', 0.02, t('2025-01-01T10:00:00.000Z'));
    h.observe('/a', 0.02, t('2025-01-01T10:30:00.000Z'));
    h.observe('/b', 20, t('2025-01-01T10:30:00.000Z'));
    const taken = h.take();
    const summary = taken.map((e) => [e.hour.toISOString(), e.route, e.buckets.reduce((s, c) => s + c, 0)]);
    expect(summary).toEqual([
      ['2025-01-01T09:00:00.000Z', '/a', 1],
      ['2025-01-01T10:00:00.000Z', '/a', 2],
      ['2025-01-01T10:00:00.000Z', '/b', 1],
    ]);
    expect(taken[2]?.buckets[LATENCY_BUCKETS_SECONDS.length]).toBe(1);
    expect(h.take()).toEqual([]);
  });

  it('restore() merges a failed snapshot back with what arrived meanwhile', () => {
    const h = new HourlyLatency();
    h.observe('/a', 0.001, t('2025-01-01T10:00:00Z'));
    const failed = h.take();
    h.observe('/a', 0.001, t('2025-01-01T10:10:00Z'));
    h.restore(failed);
    const [entry] = h.take();
    expect(entry?.buckets[0]).toBe(2);
  });

  it('hourOf truncates to the UTC hour', () => {
    expect(hourOf(t('2025-06-30T23:59:59.999Z')).toISOString()).toBe('2025-06-30T23:00:00.000Z');
  });
});
