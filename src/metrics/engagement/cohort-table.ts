import { addDays } from '../metric-query.ts';
import { ratio } from './engagement-formulas.ts';

// Cohort retention tables: users grouped by the week or month (of UTC days) of their first activity,
// then counted in every later period in which they were active again.

export type CohortInterval = 'week' | 'month';

/** First day of the ISO week (Monday) or calendar month that contains `day`. */
export function periodStart(interval: CohortInterval, day: string): string {
  if (interval === 'month') return `${day.slice(0, 7)}-01`;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7));
}

/** The start of the period `n` periods after the one starting at `start` (n may be negative). */
export function shiftPeriod(interval: CohortInterval, start: string, n: number): string {
  if (interval === 'week') return addDays(start, 7 * n);
  const year = Number(start.slice(0, 4));
  const month = Number(start.slice(5, 7)) - 1 + n;
  return new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
}

/** How many periods `period` comes after `cohort` (both period starts). */
export function periodOffset(interval: CohortInterval, cohort: string, period: string): number {
  if (interval === 'week') {
    return Math.round(
      (Date.parse(`${period}T00:00:00Z`) - Date.parse(`${cohort}T00:00:00Z`)) / (7 * 86_400_000),
    );
  }
  const months = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7));
  return months(period) - months(cohort);
}

/** The `count` cohort periods ending with the one that contains `lastDay`, oldest first. */
export function cohortStarts(interval: CohortInterval, lastDay: string, count: number): string[] {
  const last = periodStart(interval, lastDay);
  return Array.from({ length: count }, (_, i) => shiftPeriod(interval, last, i - (count - 1)));
}

/**
 * Users of `cohort` who were active in the periods of `mask` (bit k: k periods after the cohort's,
 * before the last period) and, when `inLast`, in the last period up to the last day.
 */
export interface CohortMaskCount {
  cohort: string;
  mask: number;
  inLast: boolean;
  users: number;
}

/** Spreads users counted by activity pattern over the (cohort, period) cells they were active in. */
export function cohortCountsFromMasks(
  interval: CohortInterval,
  lastPeriod: string,
  masks: readonly CohortMaskCount[],
): CohortCount[] {
  // Users per cohort and offset first (a 52-week table can have tens of thousands of patterns),
  // then one date per cell.
  const byCohort = new Map<string, number[]>();
  for (const m of masks) {
    const before = periodOffset(interval, m.cohort, lastPeriod);
    let cells = byCohort.get(m.cohort);
    if (!cells) {
      cells = new Array<number>(before + 1).fill(0);
      byCohort.set(m.cohort, cells);
    }
    // Masks hold at most 52 bits (< 2^53): exact as numbers, read bit by bit without 32-bit operators.
    let rest = m.mask;
    for (let k = 0; k < before && rest > 0; k++, rest = Math.floor(rest / 2)) {
      if (rest % 2 === 1) cells[k] = (cells[k] as number) + m.users;
    }
    if (m.inLast) cells[before] = (cells[before] as number) + m.users;
  }
  const out: CohortCount[] = [];
  for (const [cohort, cells] of byCohort) {
    cells.forEach((users, k) => {
      if (users > 0) out.push({ cohort, period: shiftPeriod(interval, cohort, k), users });
    });
  }
  return out;
}

/** Users of `cohort` who were active in `period`, as the database counts them. */
export interface CohortCount {
  cohort: string;
  period: string;
  users: number;
}

export interface CohortCell {
  offset: number;
  period: string;
  users: number;
  /** users ÷ cohort size */
  share: number | null;
  /** false for the period still running at the last day (its figure can still grow) */
  complete: boolean;
}

export interface CohortRow {
  cohort: string;
  users: number;
  cells: CohortCell[];
}

/**
 * One row per cohort, one cell per period from the cohort's own (offset 0, where every member was
 * active by definition) to the period containing `lastDay`; periods without activity show 0.
 */
export function buildCohortTable(
  interval: CohortInterval,
  starts: readonly string[],
  lastDay: string,
  counts: readonly CohortCount[],
): CohortRow[] {
  const byKey = new Map(counts.map((c) => [`${c.cohort}/${c.period}`, c.users]));
  const lastPeriod = periodStart(interval, lastDay);
  return starts.map((cohort) => {
    const size = byKey.get(`${cohort}/${cohort}`) ?? 0;
    const cells: CohortCell[] = [];
    for (let offset = 0; offset <= periodOffset(interval, cohort, lastPeriod); offset++) {
      const period = shiftPeriod(interval, cohort, offset);
      const users = byKey.get(`${cohort}/${period}`) ?? 0;
      const complete = addDays(shiftPeriod(interval, period, 1), -1) <= lastDay;
      cells.push({ offset, period, users, share: ratio(users, size), complete });
    }
    return { cohort, users: size, cells };
  });
}
