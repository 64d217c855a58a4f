import { describe, expect, it } from 'vitest';
import { downtimeBudgetS, type Span, uptimeOver, uptimeVerdict } from './uptime-formulas.ts';

const t = (s: string) => new Date(`2026-11-${s}Z`);
const day = { start: t('10T00:00:00'), end: t('11T00:00:00') };
const span = (a: string, b: string | null): Span => ({ start: t(a), end: b ? t(b) : null });
const late = t('20T00:00:00');

describe('uptimeOver (time-weighted)', () => {
  it('is 1 without incidents and null before monitoring', () => {
    expect(uptimeOver(day, t('01T00:00:00'), [], late)).toEqual({
      uptime: 1,
      monitoredS: 86_400,
      downtimeS: 0,
    });
    expect(uptimeOver(day, null, [], late).uptime).toBeNull();
    expect(uptimeOver(day, t('12T00:00:00'), [], late).uptime).toBeNull();
  });

  it('subtracts the incidents inside the window', () => {
    // 36 min + 7.2 min = 43.2 min = 2592 s down out of 86 400: 97 %.
    const r = uptimeOver(
      day,
      t('01T00:00:00'),
      [span('10T01:00:00', '10T01:36:00'), span('10T12:00:00', '10T12:07:12')],
      late,
    );
    expect(r.downtimeS).toBe(2592);
    expect(r.uptime).toBeCloseTo(0.97, 12);
  });

  it('clips incidents that straddle the window edges', () => {
    const r = uptimeOver(
      day,
      t('01T00:00:00'),
      [span('09T23:00:00', '10T00:30:00'), span('10T23:30:00', '11T02:00:00')],
      late,
    );
    expect(r.downtimeS).toBe(3600);
  });

  it('runs an open incident until now, and stops the window at now', () => {
    const now = t('10T12:00:00');
    const r = uptimeOver(day, t('01T00:00:00'), [span('10T11:00:00', null)], now);
    expect(r).toEqual({ uptime: 1 - 3600 / 43_200, monitoredS: 43_200, downtimeS: 3600 });
  });

  it('counts only the monitored part of the window', () => {
    const r = uptimeOver(day, t('10T18:00:00'), [span('10T19:00:00', '10T20:00:00')], late);
    expect(r.monitoredS).toBe(21_600);
    expect(r.uptime).toBeCloseTo(5 / 6, 12);
  });

  it('counts overlapping incidents once', () => {
    const r = uptimeOver(
      day,
      t('01T00:00:00'),
      [span('10T01:00:00', '10T03:00:00'), span('10T02:00:00', '10T04:00:00')],
      late,
    );
    expect(r.downtimeS).toBe(3 * 3600);
  });
});

describe('the 99.97 % target', () => {
  const start = t('01T00:00:00');
  const thirty = { start, end: new Date(start.getTime() + 30 * 86_400_000) };
  const downFor = (ms: number) =>
    uptimeOver(
      thirty,
      start,
      [{ start: t('05T00:00:00'), end: new Date(t('05T00:00:00').getTime() + ms) }],
      thirty.end,
    );

  it('allows 777.6 s of downtime in 30 days (30 × 86 400 s × 0.03 %)', () => {
    expect(downtimeBudgetS(30 * 86_400)).toBeCloseTo(777.6, 6);
  });

  it('is met at exactly the budget and missed one second past it', () => {
    expect(uptimeVerdict(downFor(777_600).uptime)).toBe('met');
    expect(uptimeVerdict(downFor(778_600).uptime)).toBe('missed');
    expect(downFor(0).uptime).toBe(1);
    expect(uptimeVerdict(null)).toBe('no_data');
  });
});
