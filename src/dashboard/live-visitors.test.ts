import { describe, expect, it } from 'vitest';
import { emptyEvent } from '../ingest/event-row.ts';
import { LIVE_WINDOW_MS, LiveVisitors, liveVisitorKey } from './live-visitors.ts';

const T0 = Date.parse('2026-11-26T10:00:00Z');
const MIN = 60_000;

describe('the live visitors window', () => {
  it('counts distinct visitors per domain seen within the last five minutes', () => {
    const w = new LiveVisitors();
    w.see('a', 'v1', T0, T0);
    w.see('a', 'v1', T0 + MIN, T0 + MIN); // the same visitor again
    w.see('a', 'v2', T0 + 2 * MIN, T0 + 2 * MIN);
    w.see('b', 'v1', T0 + 2 * MIN, T0 + 2 * MIN); // same id on another domain: another visitor
    expect(w.count('a', T0 + 2 * MIN)).toBe(2);
    expect(w.count('b', T0 + 2 * MIN)).toBe(1);
    expect(w.count('c', T0 + 2 * MIN)).toBe(0);
  });

  it('lets a visitor go exactly five minutes after they were last seen', () => {
    const w = new LiveVisitors();
    w.see('a', 'v1', T0, T0);
    w.see('a', 'v2', T0 + MIN, T0 + MIN);
    expect(w.count('a', T0 + LIVE_WINDOW_MS - 1)).toBe(2);
    expect(w.count('a', T0 + LIVE_WINDOW_MS)).toBe(1); // v1 seen at T0: out at T0 + 5 min
    expect(w.count('a', T0 + MIN + LIVE_WINDOW_MS)).toBe(0);
    expect(w.size).toBe(0);
  });

  it('keeps the latest sighting whatever the order the sightings arrive in', () => {
    const w = new LiveVisitors();
    w.see('a', 'v1', T0 + 3 * MIN, T0 + 3 * MIN);
    w.see('a', 'v1', T0, T0 + 3 * MIN); // an older sighting (from the database) after a newer one
    expect(w.count('a', T0 + 7 * MIN)).toBe(1); // 7 − 3 = 4 minutes since the latest
  });

  it('ignores backfilled events older than the window and clamps future timestamps to now', () => {
    const w = new LiveVisitors();
    w.see('a', 'old', T0 - LIVE_WINDOW_MS, T0);
    expect(w.count('a', T0)).toBe(0);
    w.see('a', 'ahead', T0 + 60 * MIN, T0); // a client clock an hour fast
    expect(w.count('a', T0 + LIVE_WINDOW_MS - 1)).toBe(1);
    expect(w.count('a', T0 + LIVE_WINDOW_MS)).toBe(0);
  });

  it('reads committed rows: visitor id, else the user of a server-side event, else nobody', () => {
    const row = (visitorId: string | null, userId: string | null) => ({
      ...emptyEvent('a', 'pageview', new Date(T0)),
      visitorId,
      userId,
    });
    expect(liveVisitorKey(row('v1', 'u1'))).toBe('v1');
    expect(liveVisitorKey(row(null, 'u1'))).toBe('user:u1');
    expect(liveVisitorKey(row(null, null))).toBeNull();
    const w = new LiveVisitors();
    w.seeRows([row('v1', null), row(null, 'u1'), row(null, null), row('v1', null)], T0);
    expect(w.count('a', T0)).toBe(2);
  });

  it('prune drops expired entries of every domain', () => {
    const w = new LiveVisitors();
    w.see('a', 'v1', T0, T0);
    w.see('b', 'v2', T0 + 4 * MIN, T0 + 4 * MIN);
    w.prune(T0 + 6 * MIN);
    expect(w.size).toBe(1);
  });
});
