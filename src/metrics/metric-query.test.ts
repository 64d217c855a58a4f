import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/app-error.ts';
import { addDays, change, localDate, MetricQuery, resolveQuery, startOfLocalDay } from './metric-query.ts';

const NOW = new Date('2026-11-26T12:00:00Z');
const parse = (q: Record<string, string>) => MetricQuery.parse(q);

describe('metric query', () => {
  it('defaults to the last 30 days in UTC, compared with the 30 days before', () => {
    const { range, previous } = resolveQuery(parse({}), NOW);
    expect([range.from, range.to, range.days]).toEqual(['2026-10-28', '2026-11-26', 30]);
    expect(range.start.toISOString()).toBe('2026-10-28T00:00:00.000Z');
    expect(range.end.toISOString()).toBe('2026-11-27T00:00:00.000Z');
    expect([previous?.from, previous?.to, previous?.days]).toEqual(['2026-09-28', '2026-10-27', 30]);
  });

  it('reads days in the asked time zone, across a daylight-saving change', () => {
    // Brussels leaves summer time on 2026-10-25: 2026-10-24 starts at 22:00Z, 2026-10-26 at 23:00Z.
    const { range } = resolveQuery(
      parse({ from: '2026-10-24', to: '2026-10-25', tz: 'Europe/Brussels', compare: 'none' }),
      NOW,
    );
    expect(range.start.toISOString()).toBe('2026-10-23T22:00:00.000Z');
    expect(range.end.toISOString()).toBe('2026-10-25T23:00:00.000Z');
    expect(startOfLocalDay('2026-03-29', 'America/New_York').toISOString()).toBe('2026-03-29T04:00:00.000Z');
    expect(localDate(new Date('2026-11-26T23:30:00Z'), 'Europe/Brussels')).toBe('2026-11-27');
  });

  it('compares with the same days a year earlier, 29 February falling back to the 28th', () => {
    const { previous } = resolveQuery(
      parse({ from: '2028-02-01', to: '2028-02-29', compare: 'previous_year' }),
      NOW,
    );
    expect([previous?.from, previous?.to]).toEqual(['2027-02-01', '2027-02-28']);
  });

  it('takes a period shortcut and ignores comparison when asked', () => {
    const { range, previous } = resolveQuery(parse({ period: '7d', compare: 'none' }), NOW);
    expect([range.from, range.to]).toEqual(['2026-11-20', '2026-11-26']);
    expect(previous).toBeNull();
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('refuses impossible input with the field that is wrong', () => {
    expect(MetricQuery.safeParse({ from: '2026-02-30' }).success).toBe(false);
    expect(MetricQuery.safeParse({ tz: 'Mars/Olympus' }).error?.issues[0]?.path).toEqual(['tz']);
    expect(() => resolveQuery(parse({ from: '2026-11-10', to: '2026-11-01' }), NOW)).toThrow(AppError);
    try {
      resolveQuery(parse({ from: '2000-01-01', to: '2026-01-01' }), NOW);
      expect.unreachable();
    } catch (err) {
      expect((err as AppError).field).toBe('from');
    }
  });

  it('gives a relative change only when there is something to compare with', () => {
    expect(change(150, 100)).toBe(0.5);
    expect(change(50, 0)).toBeNull();
    expect(change(50, null)).toBeNull();
    expect(change(-50, -100)).toBe(0.5);
  });
});
