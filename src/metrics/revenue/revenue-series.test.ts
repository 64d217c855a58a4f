import { describe, expect, it } from 'vitest';
import { makeRange } from '../metric-query.ts';
import { monthWindows } from './mrr-period.ts';
import { bucketOf, defaultInterval, fillSeries, seriesBuckets } from './revenue-series.ts';

describe('revenue series buckets', () => {
  it('names a bucket by its first day: the day, the Monday of its ISO week, the 1st of its month', () => {
    expect(bucketOf('2026-03-01', 'day')).toBe('2026-03-01');
    expect(bucketOf('2026-03-01', 'week')).toBe('2026-02-23'); // a Sunday
    expect(bucketOf('2026-03-02', 'week')).toBe('2026-03-02'); // a Monday
    expect(bucketOf('2026-03-31', 'month')).toBe('2026-03-01');
  });

  it('lists every bucket of the range and fills the empty ones with 0', () => {
    const range = { from: '2026-03-01', to: '2026-03-31' };
    expect(seriesBuckets(range, 'day')).toHaveLength(31);
    expect(seriesBuckets(range, 'week')).toEqual([
      '2026-02-23',
      '2026-03-02',
      '2026-03-09',
      '2026-03-16',
      '2026-03-23',
      '2026-03-30',
    ]);
    expect(seriesBuckets({ from: '2026-01-15', to: '2026-03-02' }, 'month')).toEqual([
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
    ]);
    expect(
      fillSeries(
        ['2026-03-01', '2026-03-02'],
        [{ bucket: '2026-03-02', earnedEur: '-10.50', pendingEur: '3.00' }],
      ),
    ).toEqual([
      { date: '2026-03-01', net: 0, pending: 0 },
      { date: '2026-03-02', net: -10.5, pending: 3 },
    ]);
  });

  it('shows up to a quarter per day, longer ranges per month', () => {
    expect(defaultInterval(92)).toBe('day');
    expect(defaultInterval(93)).toBe('month');
  });
});

describe('month windows of the MRR bridge', () => {
  it('clips the first and last month to the range, in the range time zone', () => {
    const range = makeRange('2026-02-10', '2026-04-05', 'Europe/Brussels');
    expect(monthWindows(range).map((w) => [w.month, w.start.toISOString(), w.end.toISOString()])).toEqual([
      ['2026-02', '2026-02-09T23:00:00.000Z', '2026-02-28T23:00:00.000Z'],
      // Summer time starts on 29 March: April begins at 22:00Z.
      ['2026-03', '2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z'],
      ['2026-04', '2026-03-31T22:00:00.000Z', '2026-04-05T22:00:00.000Z'],
    ]);
  });
});
