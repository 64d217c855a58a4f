import { describe, expect, it } from 'vitest';
import { makeRange } from '../metric-query.ts';
import { bucketsOf, defaultInterval, splitDaysAndHours, utcDaysOf } from './time-buckets.ts';

const iso = (d: Date) => d.toISOString();

describe('chart buckets', () => {
  it('picks hours up to 2 days, days up to 90, then weeks', () => {
    expect([1, 2, 3, 90, 91, 365].map(defaultInterval)).toEqual([
      'hour',
      'hour',
      'day',
      'day',
      'week',
      'week',
    ]);
  });

  it('hours of a Brussels day start at 23:00 UTC the evening before', () => {
    const b = bucketsOf(makeRange('2026-11-02', '2026-11-02', 'Europe/Brussels'), 'hour');
    expect(b).toHaveLength(24);
    expect(iso(b[0]?.start as Date)).toBe('2026-11-01T23:00:00.000Z');
    expect(iso(b[23]?.end as Date)).toBe('2026-11-02T23:00:00.000Z');
  });

  it('a day bucket on the DST change lasts 25 hours', () => {
    const [day] = bucketsOf(makeRange('2026-10-25', '2026-10-25', 'Europe/Brussels'), 'day');
    expect(iso(day?.start as Date)).toBe('2026-10-24T22:00:00.000Z');
    expect(iso(day?.end as Date)).toBe('2026-10-25T23:00:00.000Z');
  });

  it('weeks start on Monday and are clipped to the range; months likewise', () => {
    // 2026-11-04 is a Wednesday; its week starts Monday 2026-11-02.
    const weeks = bucketsOf(makeRange('2026-11-04', '2026-11-17', 'UTC'), 'week');
    expect(
      weeks.map((w) => [iso(w.label).slice(0, 10), iso(w.start).slice(0, 10), iso(w.end).slice(0, 10)]),
    ).toEqual([
      ['2026-11-02', '2026-11-04', '2026-11-09'],
      ['2026-11-09', '2026-11-09', '2026-11-16'],
      ['2026-11-16', '2026-11-16', '2026-11-18'],
    ]);
    const months = bucketsOf(makeRange('2026-11-20', '2027-01-10', 'UTC'), 'month');
    expect(months.map((m) => iso(m.label).slice(0, 10))).toEqual(['2026-11-01', '2026-12-01', '2027-01-01']);
    expect(iso(months[2]?.end as Date)).toBe('2027-01-11T00:00:00.000Z');
  });
});

describe('days and hours of a span', () => {
  it('a UTC range is whole days', () => {
    const r = makeRange('2026-11-01', '2026-11-30', 'UTC');
    expect(splitDaysAndHours(r.start, r.end)).toEqual({
      days: { from: '2026-11-01', to: '2026-12-01' },
      hours: [],
    });
  });

  it('a Brussels range is whole UTC days plus an hour before and 23 hours after', () => {
    // [Oct 31 23:00Z, Nov 30 23:00Z): days Nov 1..Nov 29, then Oct 31 23:00–24:00 and Nov 30 00:00–23:00.
    const r = makeRange('2026-11-01', '2026-11-30', 'Europe/Brussels');
    const split = splitDaysAndHours(r.start, r.end);
    expect(split.days).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(split.hours.map((h) => [iso(h.start), iso(h.end)])).toEqual([
      ['2026-10-31T23:00:00.000Z', '2026-11-01T00:00:00.000Z'],
      ['2026-11-30T00:00:00.000Z', '2026-11-30T23:00:00.000Z'],
    ]);
  });

  it('a span shorter than a whole UTC day is all hours', () => {
    const r = makeRange('2026-11-02', '2026-11-02', 'America/New_York');
    expect(splitDaysAndHours(r.start, r.end)).toEqual({
      days: null,
      hours: [{ start: r.start, end: r.end }],
    });
  });

  it('daily rollups stand for a range by the UTC days whose noon it contains', () => {
    const utc = makeRange('2026-11-01', '2026-11-30', 'UTC');
    expect(utcDaysOf(utc.start, utc.end)).toEqual({ from: '2026-11-01', to: '2026-12-01' });
    const brussels = makeRange('2026-11-01', '2026-11-30', 'Europe/Brussels');
    expect(utcDaysOf(brussels.start, brussels.end)).toEqual({ from: '2026-11-01', to: '2026-12-01' });
    const tokyo = makeRange('2026-11-01', '2026-11-30', 'Asia/Tokyo'); // starts Oct 31 15:00Z, after its noon
    expect(utcDaysOf(tokyo.start, tokyo.end)).toEqual({ from: '2026-11-01', to: '2026-12-01' });
    const kiritimati = makeRange('2026-11-01', '2026-11-30', 'Pacific/Kiritimati'); // UTC+14: Oct 31 10:00Z
    expect(utcDaysOf(kiritimati.start, kiritimati.end)).toEqual({ from: '2026-10-31', to: '2026-11-30' });
  });
});
