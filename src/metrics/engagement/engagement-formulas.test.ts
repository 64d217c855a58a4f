import { describe, expect, it } from 'vitest';
import { buildCohortTable, cohortStarts, periodOffset, periodStart, shiftPeriod } from './cohort-table.ts';
import {
  activityDays,
  averageDaily,
  averageSessionDuration,
  crossDomain,
  type DailyActivity,
  fillDays,
  mauWindow,
  ratio,
  retentionCohortDays,
  segmentOf,
  segmentUsers,
} from './engagement-formulas.ts';
import { buildOverlapMatrix } from './overlap-matrix.ts';

const day = (d: string, users: number, visitors: number, sessions = 0, durationS = 0): DailyActivity => ({
  day: d,
  users,
  visitors,
  sessions,
  durationS,
});

describe('engagement windows', () => {
  it('reads the range dates as UTC days and stops at today', () => {
    expect(activityDays({ from: '2026-11-20', to: '2026-11-22' }, '2026-11-26')).toEqual({
      from: '2026-11-20',
      to: '2026-11-22',
      days: 3,
    });
    // A range running past today counts only the days that have started: 20..26 = 7 days.
    expect(activityDays({ from: '2026-11-20', to: '2026-11-30' }, '2026-11-26')).toEqual({
      from: '2026-11-20',
      to: '2026-11-26',
      days: 7,
    });
    expect(activityDays({ from: '2026-11-27', to: '2026-11-30' }, '2026-11-26')).toBeNull();
  });

  it('MAU looks at the 30 days ending at the last day, across a month end', () => {
    // 2026-11-22 − 29 days = 2026-10-24 (October has 31 days: 24..31 is 8 days, + 22 = 30).
    expect(mauWindow({ from: '2026-11-20', to: '2026-11-22', days: 3 })).toEqual({
      from: '2026-10-24',
      to: '2026-11-22',
      days: 30,
    });
  });

  it('the retention cohort is first seen 59 days before each day of the range', () => {
    // 2026-11-20 − 59 = 2026-09-22; 2026-11-22 − 59 = 2026-09-24.
    expect(retentionCohortDays({ from: '2026-11-20', to: '2026-11-22', days: 3 })).toEqual({
      from: '2026-09-22',
      to: '2026-09-24',
      days: 3,
    });
  });
});

describe('engagement formulas', () => {
  it('ratios are null, never NaN or Infinity, without a denominator', () => {
    expect(ratio(0, 0)).toBeNull();
    expect(ratio(3, 0)).toBeNull();
    expect(ratio(1, 4)).toBe(0.25);
  });

  it('fills days without activity with zeros and averages over every day', () => {
    const days = fillDays({ from: '2026-11-20', to: '2026-11-22', days: 3 }, [
      day('2026-11-20', 3, 2, 7, 550),
      day('2026-11-21', 3, 1, 7, 200),
    ]);
    expect(days.map((d) => d.day)).toEqual(['2026-11-20', '2026-11-21', '2026-11-22']);
    expect(days[2]).toEqual(day('2026-11-22', 0, 0));
    // DAU = (5 + 4 + 0) / 3 = 3; identified only (3 + 3 + 0) / 3 = 2.
    expect(averageDaily(days, 'persons')).toBe(3);
    expect(averageDaily(days, 'users')).toBe(2);
    // Session duration = (550 + 200) / (7 + 7) = 53.571…
    expect(averageSessionDuration(days)).toBeCloseTo(750 / 14, 10);
    expect(averageDaily([], 'persons')).toBeNull();
    expect(averageSessionDuration([day('2026-11-20', 1, 0, 0, 0)])).toBeNull();
  });

  it("puts users in the seed's segments: ≥ 5 domains, ≥ 3, the rest", () => {
    expect([1, 2, 3, 4, 5, 9].map(segmentOf)).toEqual([
      'single_domain',
      'single_domain',
      'multi_domain',
      'multi_domain',
      'power_user',
      'power_user',
    ]);
    // 3 users on 1 domain, 2 on 2, 1 on 3, 1 on 4, 3 on 5: total 10.
    const segments = segmentUsers([
      { domains: 1, users: 3 },
      { domains: 2, users: 2 },
      { domains: 3, users: 1 },
      { domains: 4, users: 1 },
      { domains: 5, users: 3 },
    ]);
    expect(segments.map((s) => [s.segment, s.users, s.share])).toEqual([
      ['power_user', 3, 0.3],
      ['multi_domain', 2, 0.2],
      ['single_domain', 5, 0.5],
    ]);
    expect(segmentUsers([]).map((s) => s.share)).toEqual([null, null, null]);
  });

  it('cross-domain rate: users on ≥ 2 domains over active identified users', () => {
    // 3 + 2 + 1 = 6 identified users, 2 + 1 = 3 of them on ≥ 2 domains: 3 / 6.
    const buckets = [
      { domains: 1, users: 3 },
      { domains: 2, users: 2 },
      { domains: 4, users: 1 },
    ];
    expect(crossDomain(buckets)).toEqual({ activeUsers: 6, users: 3, rate: 0.5 });
    expect(crossDomain([])).toEqual({ activeUsers: 0, users: 0, rate: null });
  });
});

describe('cohort table', () => {
  it('finds ISO weeks and calendar months of UTC days', () => {
    expect(periodStart('week', '2026-11-22')).toBe('2026-11-16'); // a Sunday belongs to Monday's week
    expect(periodStart('week', '2026-11-16')).toBe('2026-11-16');
    expect(periodStart('month', '2026-11-22')).toBe('2026-11-01');
    expect(shiftPeriod('month', '2026-11-01', 2)).toBe('2027-01-01');
    expect(shiftPeriod('month', '2026-01-01', -1)).toBe('2025-12-01');
    expect(periodOffset('month', '2025-12-01', '2026-02-01')).toBe(2);
    expect(periodOffset('week', '2026-11-09', '2026-11-23')).toBe(2);
    expect(cohortStarts('month', '2026-11-22', 3)).toEqual(['2026-09-01', '2026-10-01', '2026-11-01']);
    expect(cohortStarts('week', '2026-11-22', 2)).toEqual(['2026-11-09', '2026-11-16']);
  });

  it('lays counts out per cohort and period, the running period marked incomplete', () => {
    const table = buildCohortTable('month', ['2026-09-01', '2026-10-01', '2026-11-01'], '2026-11-22', [
      { cohort: '2026-09-01', period: '2026-09-01', users: 6 },
      { cohort: '2026-09-01', period: '2026-10-01', users: 4 },
      { cohort: '2026-09-01', period: '2026-11-01', users: 1 },
      { cohort: '2026-10-01', period: '2026-10-01', users: 2 },
    ]);
    expect(table.map((r) => [r.cohort, r.users])).toEqual([
      ['2026-09-01', 6],
      ['2026-10-01', 2],
      ['2026-11-01', 0],
    ]);
    // September: 6/6, 4/6, 1/6; November runs until the 30th, past the 22nd.
    expect(table[0]?.cells.map((c) => [c.offset, c.period, c.users, c.share, c.complete])).toEqual([
      [0, '2026-09-01', 6, 1, true],
      [1, '2026-10-01', 4, 4 / 6, true],
      [2, '2026-11-01', 1, 1 / 6, false],
    ]);
    // October: nobody came back in November → 0 users, share 0; an empty cohort has null shares.
    expect(table[1]?.cells.map((c) => [c.users, c.share])).toEqual([
      [2, 1],
      [0, 0],
    ]);
    expect(table[2]?.cells.map((c) => [c.users, c.share])).toEqual([[0, null]]);
  });
});

describe('overlap matrix', () => {
  it('is symmetric with each domain total on the diagonal and shares per row', () => {
    const m = buildOverlapMatrix(
      ['a', 'b', 'c'],
      [
        { a: 'a', b: 'a', users: 4 },
        { a: 'b', b: 'b', users: 2 },
        { a: 'a', b: 'b', users: 1 },
        { a: 'b', b: 'a', users: 1 },
      ],
    );
    expect(m.users).toEqual([4, 2, 0]);
    expect(m.matrix).toEqual([
      [4, 1, 0],
      [1, 2, 0],
      [0, 0, 0],
    ]);
    // a's users also on b: 1/4; b's users also on a: 1/2; c has no users: null.
    expect(m.share).toEqual([
      [1, 0.25, 0],
      [0.5, 1, 0],
      [null, null, null],
    ]);
  });
});
