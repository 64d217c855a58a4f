import { describe, expect, it } from 'vitest';
import { msUntilNextRun } from './kpi-snapshot-scheduler.ts';
import { windowQuery } from './metric-sources.ts';
import { lastCompleteDay } from './snapshot-kpis.ts';

describe('msUntilNextRun', () => {
  const at = (iso: string) => new Date(iso);
  it('runs at 00:10 UTC each day, strictly after now', () => {
    expect(msUntilNextRun(at('2026-05-01T00:00:00Z'), 10)).toBe(10 * 60_000);
    expect(msUntilNextRun(at('2026-05-01T00:10:00Z'), 10)).toBe(86_400_000);
    expect(msUntilNextRun(at('2026-05-01T00:10:00.001Z'), 10)).toBe(86_400_000 - 1);
    expect(msUntilNextRun(at('2026-05-01T23:00:00Z'), 10)).toBe(70 * 60_000);
  });
});

describe('days measured', () => {
  it('KPIs are as of the last complete UTC day, each over the 30 days ending there', () => {
    expect(lastCompleteDay(new Date('2026-11-26T00:00:00Z'))).toBe('2026-11-25');
    expect(lastCompleteDay(new Date('2026-03-01T23:59:59Z'))).toBe('2026-02-28');
    expect(windowQuery('2026-11-25')).toMatchObject({
      from: '2026-10-27',
      to: '2026-11-25',
      compare: 'none',
      tz: 'UTC',
    });
  });
});
