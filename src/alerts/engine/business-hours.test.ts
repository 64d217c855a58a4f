import { describe, expect, it } from 'vitest';
import { BusinessHours } from '../alert-rule-schema.ts';
import { isWithinBusinessHours, wallClock } from './business-hours.ts';
import { config, metric, runTimeline, ticksEvery } from './timeline-fixture.ts';

// Business-hours routes hold notifications until the hours open, on the wall clock of the route's
// time zone. Brussels is UTC+1 in winter and UTC+2 in summer; DST starts on the last Sunday of
// March (2025-03-30) and ends on the last Sunday of October (2025-10-26).

const brussels = BusinessHours.parse({ timeZone: 'Europe/Brussels' });

describe('isWithinBusinessHours (Europe/Brussels, mon–fri 09:00–18:00)', () => {
  it.each([
    ['2025-03-28T07:59:00Z', false, 'Friday 08:59 CET'],
    ['2025-03-28T08:00:00Z', true, 'Friday 09:00 CET'],
    ['2025-03-28T16:59:00Z', true, 'Friday 17:59 CET'],
    ['2025-03-28T17:00:00Z', false, 'Friday 18:00 CET: end is exclusive'],
    ['2025-03-29T10:00:00Z', false, 'Saturday'],
    ['2025-03-30T10:00:00Z', false, 'Sunday, the day DST starts'],
    ['2025-03-31T06:59:00Z', false, 'Monday 08:59 CEST'],
    ['2025-03-31T07:00:00Z', true, 'Monday 09:00 CEST = 07:00 UTC'],
    ['2025-10-27T07:00:00Z', false, 'Monday 08:00 CET after DST ended'],
    ['2025-10-27T08:00:00Z', true, 'Monday 09:00 CET'],
  ])('%s → %s (%s)', (at, open) => {
    expect(isWithinBusinessHours(brussels, new Date(at))).toBe(open);
  });

  it('reads the wall clock of the zone', () => {
    expect(wallClock(new Date('2025-03-30T01:30:00Z'), 'Europe/Brussels')).toEqual({
      day: 'sun',
      minutes: 3 * 60 + 30,
    });
    expect(wallClock(new Date('2025-03-30T00:30:00Z'), 'Europe/Brussels')).toEqual({
      day: 'sun',
      minutes: 60 + 30,
    });
  });

  it('honours custom days and hours', () => {
    const weekend = BusinessHours.parse({
      timeZone: 'America/New_York',
      days: ['sat', 'sun'],
      start: '10:00',
      end: '12:00',
    });
    expect(isWithinBusinessHours(weekend, new Date('2025-03-29T14:30:00Z'))).toBe(true); // Sat 10:30 EDT
    expect(isWithinBusinessHours(weekend, new Date('2025-03-28T14:30:00Z'))).toBe(false); // Friday
  });
});

const business = config({
  rules: [{ name: 'low_conversion', expr: 'conversion_rate < 2%', for: '15m', severity: 'medium' }],
  routes: [
    {
      id: 'business',
      receivers: ['slack', 'email'],
      groupWait: '30s',
      groupInterval: '5m',
      repeatInterval: '4h',
      businessHours: { timeZone: 'Europe/Brussels', start: '09:00', end: '18:00' },
    },
  ],
});

/** Every 30 minutes from `from` to `to`, conversion low while `low(now)`. */
function weekend(from: string, to: string, low: (now: Date) => boolean) {
  const start = new Date(from);
  const span = `${(Date.parse(to) - start.getTime()) / 60_000}m`;
  return {
    start,
    ticks: ticksEvery(start, '0s', span, '30m', (_, now) => [
      metric('conversion_rate', 'seobiz.be', low(now) ? 0.01 : 0.05),
    ]),
  };
}
const sentAt = (run: ReturnType<typeof runTimeline>) =>
  Object.fromEntries(run.filter((r) => r.sent.length > 0).map((r) => [r.at, r.sent]));

describe('business-hours routes across a weekend', () => {
  it('holds an alert raised on Friday evening until Monday 09:00 Brussels time, after the spring DST change', () => {
    const { start, ticks } = weekend('2025-03-28T16:00:00Z', '2025-03-31T09:00:00Z', () => true);
    const run = runTimeline(business, start, ticks);
    // Fires at 16:30Z (17:30 CET, open): group_wait ends 17:00Z = 18:00 CET, closed. Held until
    // Monday 07:00Z = 09:00 CEST — not 08:00Z, which a fixed UTC+1 offset would give.
    expect(sentAt(run)).toEqual({
      '2025-03-31T07:00:00.000Z': [
        'slack initial firing low_conversion/seobiz.be=firing',
        'email initial firing low_conversion/seobiz.be=firing',
      ],
    });
  });

  it('after the autumn DST change Monday 09:00 is 08:00 UTC', () => {
    const { start, ticks } = weekend('2025-10-24T17:00:00Z', '2025-10-27T09:00:00Z', () => true);
    expect(Object.keys(sentAt(runTimeline(business, start, ticks)))).toEqual(['2025-10-27T08:00:00.000Z']);
  });

  it('a resolution during the weekend of an alert announced on Friday is told on Monday', () => {
    const resolvedSaturday = (now: Date) => now < new Date('2025-03-29T10:00:00Z');
    const { start, ticks } = weekend('2025-03-28T14:00:00Z', '2025-03-31T09:00:00Z', resolvedSaturday);
    expect(sentAt(runTimeline(business, start, ticks))).toEqual({
      '2025-03-28T15:00:00.000Z': [
        'slack initial firing low_conversion/seobiz.be=firing',
        'email initial firing low_conversion/seobiz.be=firing',
      ],
      '2025-03-31T07:00:00.000Z': [
        'slack resolved resolved low_conversion/seobiz.be=resolved',
        'email resolved resolved low_conversion/seobiz.be=resolved',
      ],
    });
  });

  it('an alert that fires and clears during the weekend is never sent', () => {
    const saturdayOnly = (now: Date) =>
      now >= new Date('2025-03-29T08:00:00Z') && now < new Date('2025-03-29T12:00:00Z');
    const { start, ticks } = weekend('2025-03-28T16:00:00Z', '2025-03-31T09:00:00Z', saturdayOnly);
    const run = runTimeline(business, start, ticks);
    expect(sentAt(run)).toEqual({});
    expect(run.flatMap((r) => r.moved)).toEqual([
      'low_conversion/seobiz.be inactive→pending',
      'low_conversion/seobiz.be pending→firing',
      'low_conversion/seobiz.be firing→resolved',
    ]);
  });
});
