import type { EventRow } from '../ingest/event-row.ts';

/** "Visitors now" counts anyone seen in the last five minutes, as Plausible's realtime view does. */
export const LIVE_WINDOW_MS = 5 * 60_000;

/** Who an event is counted as: its anonymous visitor id, or the user of a server-side event without one. */
export function liveVisitorKey(row: Pick<EventRow, 'visitorId' | 'userId'>): string | null {
  if (row.visitorId) return row.visitorId;
  return row.userId ? `user:${row.userId}` : null;
}

/**
 * The in-memory window behind the live counter: per domain, when each visitor was last seen.
 * Pure (the caller passes the clock); entries older than the window are dropped as it is read.
 * Visitor ids hash the domain in, so the total is the sum of the domains' counts.
 */
export class LiveVisitors {
  private readonly lastSeen = new Map<string, Map<string, number>>();

  constructor(readonly windowMs: number = LIVE_WINDOW_MS) {}

  /** Notes a visitor seen at `atMs`; backfilled events older than the window are ignored. */
  see(domainId: string, visitor: string, atMs: number, nowMs: number): void {
    if (atMs <= nowMs - this.windowMs) return;
    // A client clock ahead of ours must not keep a visitor "live" for longer than the window.
    const at = Math.min(atMs, nowMs);
    let visitors = this.lastSeen.get(domainId);
    if (!visitors) {
      visitors = new Map();
      this.lastSeen.set(domainId, visitors);
    }
    if ((visitors.get(visitor) ?? -Infinity) < at) visitors.set(visitor, at);
  }

  /** Notes every event of a committed batch. */
  seeRows(rows: readonly EventRow[], nowMs: number): void {
    for (const row of rows) {
      const key = liveVisitorKey(row);
      if (key) this.see(row.domainId, key, row.occurredAt.getTime(), nowMs);
    }
  }

  /** Visitors seen within the window on one domain. */
  count(domainId: string, nowMs: number): number {
    const visitors = this.lastSeen.get(domainId);
    if (!visitors) return 0;
    const oldest = nowMs - this.windowMs;
    for (const [visitor, at] of visitors) if (at <= oldest) visitors.delete(visitor);
    if (visitors.size === 0) this.lastSeen.delete(domainId);
    return visitors.size;
  }

  /** Drops every expired entry (so a domain nobody watches does not hold memory). */
  prune(nowMs: number): void {
    for (const domainId of [...this.lastSeen.keys()]) this.count(domainId, nowMs);
  }

  /** How many visitor entries are held, all domains together (for tests and diagnostics). */
  get size(): number {
    let n = 0;
    for (const visitors of this.lastSeen.values()) n += visitors.size;
    return n;
  }
}
