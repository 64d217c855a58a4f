import { describe, expect, it } from 'vitest';
import { msUntilNextRun } from './kpi-snapshot-scheduler.ts';

describe('msUntilNextRun', () => {
  const at = (iso: string) => new Date(iso);
  it('runs at 00:10 UTC each day, strictly after now', () => {
    expect(msUntilNextRun(at('2026-05-01T00:00:00Z'), 10)).toBe(10 * 60_000);
    expect(msUntilNextRun(at('2026-05-01T00:10:00Z'), 10)).toBe(86_400_000);
    expect(msUntilNextRun(at('2026-05-01T00:10:00.001Z'), 10)).toBe(86_400_000 - 1);
    expect(msUntilNextRun(at('2026-05-01T23:00:00Z'), 10)).toBe(70 * 60_000);
  });
});
