import { addBuckets, type BucketCounts, bucketIndex, emptyBuckets } from './latency-histogram.ts';

const HOUR_MS = 3_600_000;

/** The UTC hour a moment falls in. */
export function hourOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
}

export interface HourlyLatencyEntry {
  hour: Date;
  route: string;
  buckets: BucketCounts;
}

/**
 * Request durations since the last snapshot, bucketed per UTC hour of the request and route.
 * Keyed by the request's own hour, so what a snapshot writes does not depend on when it runs.
 */
export class HourlyLatency {
  private pending = new Map<string, HourlyLatencyEntry>();

  observe(route: string, seconds: number, at: Date): void {
    const hour = hourOf(at);
    const key = `${hour.getTime()} ${route}`;
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { hour, route, buckets: emptyBuckets() };
      this.pending.set(key, entry);
    }
    const i = bucketIndex(seconds);
    entry.buckets[i] = (entry.buckets[i] ?? 0) + 1;
  }

  /** Hands over everything observed so far and starts afresh. */
  take(): HourlyLatencyEntry[] {
    const entries = [...this.pending.values()];
    this.pending = new Map();
    return entries;
  }

  /** Puts entries back after a failed write, merged with what arrived meanwhile. */
  restore(entries: readonly HourlyLatencyEntry[]): void {
    for (const e of entries) {
      const key = `${e.hour.getTime()} ${e.route}`;
      const current = this.pending.get(key);
      if (current) addBuckets(current.buckets, e.buckets);
      else this.pending.set(key, { hour: e.hour, route: e.route, buckets: [...e.buckets] });
    }
  }
}
