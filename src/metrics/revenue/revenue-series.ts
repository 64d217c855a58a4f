import { centsOfNumeric } from '../../ingest/revenue/money.ts';
import { addDays, type DateRange } from '../metric-query.ts';
import { eur } from './revenue-breakdown.ts';
import type { RevenueSeriesRow, SeriesInterval } from './revenue-series.sql.ts';

// The revenue series of a range: one point per day, ISO week or month, zero where nothing was
// earned. Pure. A bucket is named by its first day, which may lie before the range's first day.

/** Days up to a quarter read best per day; longer ranges per month. */
export function defaultInterval(days: number): SeriesInterval {
  return days <= 92 ? 'day' : 'month';
}

export function bucketOf(date: string, interval: SeriesInterval): string {
  if (interval === 'day') return date;
  if (interval === 'month') return `${date.slice(0, 7)}-01`;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}

/** Every bucket the range's days fall in, in order. */
export function seriesBuckets(range: Pick<DateRange, 'from' | 'to'>, interval: SeriesInterval): string[] {
  const buckets: string[] = [];
  for (let d = range.from; d <= range.to; d = addDays(d, 1)) {
    const b = bucketOf(d, interval);
    if (buckets[buckets.length - 1] !== b) buckets.push(b);
  }
  return buckets;
}

export interface SeriesPoint {
  date: string;
  net: number;
  pending: number;
}

export function fillSeries(buckets: readonly string[], rows: readonly RevenueSeriesRow[]): SeriesPoint[] {
  const byBucket = new Map(rows.map((r) => [r.bucket, r]));
  return buckets.map((date) => {
    const r = byBucket.get(date);
    return {
      date,
      net: r ? eur(Number(centsOfNumeric(r.earnedEur))) : 0,
      pending: r ? eur(Number(centsOfNumeric(r.pendingEur))) : 0,
    };
  });
}
