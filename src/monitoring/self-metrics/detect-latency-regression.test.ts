import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REGRESSION_OPTIONS,
  detectLatencyRegression,
  type HourlyP95,
} from './detect-latency-regression.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2025-03-10T00:00:00Z');

/** `hours` consecutive hours ending just before `endHour`, p95 given per hour index. */
function history(endHour: number, hours: number, p95: (i: number) => number | null, requests = 100) {
  const out: HourlyP95[] = [];
  for (let i = 0; i < hours; i++) {
    const value = p95(i);
    out.push({ hour: new Date(endHour - (hours - i) * HOUR), requests, p95Ms: value });
  }
  return out;
}

describe('detectLatencyRegression', () => {
  // `now` is 10:20; the judged hour is 09:00–10:00; the baseline is the 168 hours before 09:00.
  const now = new Date(T0 + 10 * HOUR + 20 * 60_000);
  const judged = T0 + 9 * HOUR;
  const week = (p95: (i: number) => number | null, requests?: number) => history(judged, 168, p95, requests);
  const at = (p95Ms: number | null, requests = 100): HourlyP95 => ({
    hour: new Date(judged),
    requests,
    p95Ms,
  });

  it('raises when the last hour is more than 20 % above the median of the week', () => {
    const r = detectLatencyRegression([...week(() => 100), at(121)], now);
    expect(r).toEqual({
      regressed: true,
      reason: 'regressed',
      hour: new Date(judged),
      current: 121,
      baseline: 100,
      ratio: 1.21,
      baselineHoursUsed: 168,
    });
  });

  it('does not raise at exactly 20 % above, nor below it', () => {
    expect(detectLatencyRegression([...week(() => 100), at(120)], now)).toMatchObject({
      regressed: false,
      reason: 'within_baseline',
      ratio: 1.2,
    });
    expect(detectLatencyRegression([...week(() => 100), at(80)], now).regressed).toBe(false);
  });

  it('uses the median, so a few slow hours in the week do not lift the baseline', () => {
    // 160 hours at 100 ms, 8 incident hours at 2 s: the median stays 100.
    const r = detectLatencyRegression([...week((i) => (i % 21 === 0 ? 2000 : 100)), at(130)], now);
    expect(r.baseline).toBe(100);
    expect(r.regressed).toBe(true);
  });

  it('takes the mean of the two middle hours for an even count', () => {
    const values = [10, 20, 30, 40];
    const hourly = [...history(judged, 168, (i) => values[i % 4] as number), at(30)];
    expect(detectLatencyRegression(hourly, now).baseline).toBe(25);
  });

  it('judges the last complete hour: at 10:00 sharp that is 09:00, the hour at 10:00 is ignored', () => {
    const hourly = [
      ...week(() => 100),
      at(100),
      { hour: new Date(judged + HOUR), requests: 100, p95Ms: 500 },
    ];
    const r = detectLatencyRegression(hourly, new Date(judged + HOUR));
    expect(r.hour).toEqual(new Date(judged));
    expect(r.regressed).toBe(false);
    // One hour later the slow hour is the judged one, and 09:00 joins the baseline.
    const later = detectLatencyRegression(hourly, new Date(judged + 2 * HOUR));
    expect(later).toMatchObject({ current: 500, baseline: 100, ratio: 5, regressed: true });
    expect(later.baselineHoursUsed).toBe(168);
  });

  it('ignores hours older than 7 days before the judged hour', () => {
    const old = history(judged - 168 * HOUR, 48, () => 10);
    const r = detectLatencyRegression([...old, ...week(() => 100), at(110)], now);
    expect(r).toMatchObject({ baseline: 100, baselineHoursUsed: 168, regressed: false });
  });

  it('gives no verdict on an hour with too few requests', () => {
    const r = detectLatencyRegression([...week(() => 100), at(900, 19)], now);
    expect(r).toMatchObject({ regressed: false, reason: 'too_few_requests', current: null, ratio: null });
    expect(
      detectLatencyRegression(
        week(() => 100),
        now,
      ).reason,
    ).toBe('too_few_requests');
  });

  it('leaves quiet hours out of the baseline', () => {
    // Night hours with 5 requests and a slow p95 are skipped; the busy hours set the baseline.
    const hourly = [
      ...history(judged, 168, (i) => (i % 2 === 0 ? 1000 : 100)).map((h, i) =>
        i % 2 === 0 ? { ...h, requests: 5 } : h,
      ),
      at(125),
    ];
    const r = detectLatencyRegression(hourly, now);
    expect(r).toMatchObject({ baseline: 100, baselineHoursUsed: 84, regressed: true });
  });

  it('needs a day of baseline before it can raise (a fresh install)', () => {
    const young = history(judged, 23, () => 100);
    expect(detectLatencyRegression([...young, at(1000)], now)).toMatchObject({
      regressed: false,
      reason: 'insufficient_baseline',
      current: 1000,
      baseline: null,
      baselineHoursUsed: 23,
    });
    const day = history(judged, 24, () => 100);
    expect(detectLatencyRegression([...day, at(1000)], now).regressed).toBe(true);
  });

  it('steps hour by hour through a slow-down: raises once the new level passes the threshold', () => {
    // A steady 100 ms week, then latency grows 5 % per hour from 09:00 on.
    const base = week(() => 100);
    const verdicts: boolean[] = [];
    const slow: HourlyP95[] = [];
    for (let k = 0; k < 6; k++) {
      slow.push({ hour: new Date(judged + k * HOUR), requests: 100, p95Ms: 100 * 1.05 ** (k + 1) });
      verdicts.push(detectLatencyRegression([...base, ...slow], new Date(judged + (k + 1) * HOUR)).regressed);
    }
    // 1.05, 1.10, 1.16, 1.22, 1.28, 1.34 over a median that stays 100 (the slow hours are a minority).
    expect(verdicts).toEqual([false, false, false, true, true, true]);
  });

  it('honours a custom threshold', () => {
    const r = detectLatencyRegression([...week(() => 100), at(115)], now, {
      ...DEFAULT_REGRESSION_OPTIONS,
      threshold: 0.1,
    });
    expect(r.regressed).toBe(true);
  });
});
