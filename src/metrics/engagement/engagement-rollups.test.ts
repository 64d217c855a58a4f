import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cohortCountsFromMasks } from './cohort-table.ts';
import { ENGAGEMENT_BACKFILL_STEPS } from './fold-engagement.sql.ts';
import { overlapCountsFromSets } from './overlap-matrix.ts';
import { tally, type UserClass } from './user-figures.sql.ts';

const flat = (sql: string) => sql.replace(/\s+/g, ' ').trim();

describe('migration 0009', () => {
  it('backfills with the statements the code exports', () => {
    const migration = flat(
      readFileSync(new URL('../../db/migrations/0009_engagement_rollups.sql', import.meta.url), 'utf8'),
    );
    expect(ENGAGEMENT_BACKFILL_STEPS).toHaveLength(4);
    for (const sql of ENGAGEMENT_BACKFILL_STEPS) expect(migration).toContain(`${flat(sql)};`);
  });
});

describe('cohort cells from activity bits', () => {
  it('spreads each pattern over its periods, the last one from the days up to the last day', () => {
    // Last period: November. September's 5 users active in September and November (bits 0 and 2,
    // but bit 2 is the last period: from inLast only); 3 more active in September only; October's
    // 2 active in October and, up to the last day, November.
    const counts = cohortCountsFromMasks('month', '2026-11-01', [
      { cohort: '2026-09-01', mask: 0b1, inLast: true, users: 5 },
      { cohort: '2026-09-01', mask: 0b1, inLast: false, users: 3 },
      { cohort: '2026-10-01', mask: 0b1, inLast: true, users: 2 },
      { cohort: '2026-11-01', mask: 0, inLast: true, users: 4 },
    ]);
    expect(counts.sort((x, y) => `${x.cohort}${x.period}`.localeCompare(`${y.cohort}${y.period}`))).toEqual([
      { cohort: '2026-09-01', period: '2026-09-01', users: 8 },
      { cohort: '2026-09-01', period: '2026-11-01', users: 5 },
      { cohort: '2026-10-01', period: '2026-10-01', users: 2 },
      { cohort: '2026-10-01', period: '2026-11-01', users: 2 },
      { cohort: '2026-11-01', period: '2026-11-01', users: 4 },
    ]);
  });

  it('reads bits past the 32nd (weeks of a 52-week table)', () => {
    // 2025-11-24 + 50 weeks = 2026-11-09; bit 50 = 2^50, bit 1 = 2.
    const counts = cohortCountsFromMasks('week', '2026-11-16', [
      { cohort: '2025-11-24', mask: 2 ** 50 + 2, inLast: false, users: 1 },
    ]);
    expect(counts).toEqual([
      { cohort: '2025-11-24', period: '2025-12-01', users: 1 },
      { cohort: '2025-11-24', period: '2026-11-09', users: 1 },
    ]);
  });
});

describe('user classes summed per period', () => {
  const cls = (c: Partial<UserClass>): UserClass => ({
    domains: 0,
    mau: false,
    prevDomains: 0,
    prevMau: false,
    cohort: false,
    prevCohort: false,
    retained: false,
    users: 1,
    ...c,
  });
  const classes = [
    cls({ domains: 1, mau: true, users: 4 }),
    cls({ domains: 3, mau: true, prevDomains: 1, prevMau: true, users: 2 }),
    cls({ domains: 1, cohort: true, retained: true, users: 3 }),
    cls({ prevCohort: true, retained: false, prevMau: true, users: 6 }),
    cls({ domains: 2, users: 0 }), // an empty class adds no bucket
  ];

  it('counts the range, MAU and the retention cohort of the current period', () => {
    // Buckets: 1 domain 4 + 3, 3 domains 2; MAU 4 + 2; cohort 3, all retained.
    expect(tally(classes, (c) => [c.domains, c.mau, c.cohort])).toEqual({
      buckets: [
        { domains: 1, users: 7 },
        { domains: 3, users: 2 },
      ],
      mauUsers: 6,
      retentionCohort: 3,
      retentionRetained: 3,
    });
  });

  it('and of the comparison period from the same classes', () => {
    expect(tally(classes, (c) => [c.prevDomains, c.prevMau, c.prevCohort])).toEqual({
      buckets: [{ domains: 1, users: 2 }],
      mauUsers: 8,
      retentionCohort: 6,
      retentionRetained: 0,
    });
  });
});

describe('overlap pairs from domain sets', () => {
  it('adds each set to every pair it holds, its own domains included', () => {
    // 4 users on a only, 2 on a and b, 1 on a, b and c.
    const counts = overlapCountsFromSets([
      { domains: ['a'], users: 4 },
      { domains: ['a', 'b'], users: 2 },
      { domains: ['a', 'b', 'c'], users: 1 },
    ]);
    const at = (a: string, b: string) => counts.find((c) => c.a === a && c.b === b)?.users;
    // a: 4 + 2 + 1 = 7; b: 3; c: 1; a–b: 3 both ways; a–c, b–c: 1.
    expect([at('a', 'a'), at('b', 'b'), at('c', 'c')]).toEqual([7, 3, 1]);
    expect([at('a', 'b'), at('b', 'a'), at('a', 'c'), at('c', 'b')]).toEqual([3, 3, 1, 1]);
    expect(counts).toHaveLength(9);
  });
});
