import { addDays, type DateRange, startOfLocalDay as startOfLocalDayUncached } from '../metric-query.ts';

// Pure time arithmetic for traffic metrics: chart buckets in the owner's time zone, and how a
// range of instants maps onto the UTC hours and days the rollups are kept in.

export type Interval = 'hour' | 'day' | 'week' | 'month';

/** One chart bucket: [start, end) clipped to the range; `label` is the calendar bucket's start. */
export interface Bucket {
  label: Date;
  start: Date;
  end: Date;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
// Each call builds Intl formatters (a fraction of a millisecond each): a year of weekly buckets
// asked for hundreds. Day starts never change, so they are kept (bounded).
const dayStarts = new Map<string, Date>();
function startOfLocalDay(date: string, tz: string): Date {
  const key = `${tz}|${date}`;
  let start = dayStarts.get(key);
  if (!start) {
    if (dayStarts.size >= 50_000) dayStarts.clear();
    start = startOfLocalDayUncached(date, tz);
    dayStarts.set(key, start);
  }
  return start;
}

/** More buckets than this is not a chart; the caller must pick a coarser interval. */
export const MAX_BUCKETS = 1000;

/** Plausible's defaults: hours for a day or two, days up to a quarter, weeks beyond. */
export function defaultInterval(days: number): Interval {
  if (days <= 2) return 'hour';
  if (days <= 90) return 'day';
  return 'week';
}

function mondayOf(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}

/** The buckets covering a range; together they partition [range.start, range.end). */
export function bucketsOf(range: DateRange, interval: Interval): Bucket[] {
  const out: Bucket[] = [];
  if (interval === 'hour') {
    for (let t = range.start.getTime(); t < range.end.getTime(); t += HOUR_MS) {
      const start = new Date(t);
      out.push({ label: start, start, end: new Date(Math.min(t + HOUR_MS, range.end.getTime())) });
      if (out.length > MAX_BUCKETS) break;
    }
    return out;
  }
  let day = range.from;
  while (day <= range.to && out.length <= MAX_BUCKETS) {
    let first = day;
    let next = addDays(day, 1);
    if (interval === 'week') {
      first = mondayOf(day);
      next = addDays(first, 7);
    } else if (interval === 'month') {
      first = `${day.slice(0, 8)}01`;
      const [y, m] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
      next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
    }
    const label = startOfLocalDay(first, range.tz);
    const start = new Date(Math.max(label.getTime(), range.start.getTime()));
    const end = new Date(Math.min(startOfLocalDay(next, range.tz).getTime(), range.end.getTime()));
    out.push({ label, start, end });
    day = next;
  }
  return out;
}

/** A span of instants as whole UTC days [fromDay, toDay) plus the hours left at either edge. */
export interface DayHourSplit {
  days: { from: string; to: string } | null;
  hours: Array<{ start: Date; end: Date }>;
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Splits [start, end) so that distinct visitors can be counted exactly from daily rows where whole
 * UTC days fit and from hourly rows at the edges (a range in another time zone starts mid-UTC-day).
 */
export function splitDaysAndHours(start: Date, end: Date): DayHourSplit {
  const s = start.getTime();
  const e = end.getTime();
  const firstMidnight = Math.ceil(s / DAY_MS) * DAY_MS;
  const lastMidnight = Math.floor(e / DAY_MS) * DAY_MS;
  if (lastMidnight - firstMidnight < DAY_MS) return { days: null, hours: e > s ? [{ start, end }] : [] };
  const hours: DayHourSplit['hours'] = [];
  if (firstMidnight > s) hours.push({ start, end: new Date(firstMidnight) });
  if (e > lastMidnight) hours.push({ start: new Date(lastMidnight), end });
  return { days: { from: utcDay(firstMidnight), to: utcDay(lastMidnight) }, hours };
}

/**
 * The UTC days that stand for a range in daily rollups (breakdowns, goals): a day counts when its
 * noon falls inside the range, so a range in any zone within ±12 h maps to the same calendar
 * dates, taken as UTC days (shifted by the zone's offset). Returns [from, to) as dates.
 */
export function utcDaysOf(start: Date, end: Date): { from: string; to: string } {
  const ceilDay = (ms: number) => utcDay(Math.ceil(ms / DAY_MS) * DAY_MS);
  return { from: ceilDay(start.getTime() - DAY_MS / 2), to: ceilDay(end.getTime() - DAY_MS / 2) };
}
