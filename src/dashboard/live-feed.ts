import type { Db } from '../db/types.ts';
import type { EventRow } from '../ingest/event-row.ts';
import { recentVisitors } from './live-visitors.sql.ts';
import { LiveVisitors } from './live-visitors.ts';

export interface LiveFeedOptions {
  /** Commits within this delay are announced together (a burst of events is one update). */
  coalesceMs: number;
  clock: () => number;
}

const DEFAULTS: LiveFeedOptions = { coalesceMs: 200, clock: () => Date.now() };

/** What the feed needs from the event writer: its commit listener. */
export interface CommitSource {
  onCommitted(listener: (rows: readonly EventRow[]) => void): () => void;
}

/**
 * Feeds the live window from the event writer's commits and tells subscribers when it changed.
 * Each server process counts the events it committed itself (plus what the database held when it
 * first served a live view): with several instances behind a balancer each one sees its own share.
 */
export class LiveFeed {
  readonly window = new LiveVisitors();
  private readonly options: LiveFeedOptions;
  private readonly listeners = new Set<() => void>();
  private readonly stopListening: () => void;
  private pending: NodeJS.Timeout | null = null;
  private seeded: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    writer: CommitSource,
    options: Partial<LiveFeedOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.stopListening = writer.onCommitted((rows) => {
      this.window.seeRows(rows, this.now());
      this.announce();
    });
  }

  now(): number {
    return this.options.clock();
  }

  /**
   * Loads the visitors of the last five minutes from the database, once, before the first live view.
   * Commits seen meanwhile are kept: the window keeps the latest sighting, whichever came first.
   */
  ready(): Promise<void> {
    if (!this.seeded) {
      const now = this.now();
      this.seeded = recentVisitors(this.db, new Date(now - this.window.windowMs), new Date(now)).then(
        (rows) => {
          for (const r of rows) this.window.see(r.domain_id, r.visitor, r.last_seen.getTime(), this.now());
        },
        (err: unknown) => {
          this.seeded = null; // try again on the next connection
          throw err;
        },
      );
    }
    return this.seeded;
  }

  /** Visitors now on each of the domains (by id), and their sum. */
  counts(domainIds: readonly string[]): { total: number; byDomain: Map<string, number> } {
    const now = this.now();
    const byDomain = new Map<string, number>();
    let total = 0;
    for (const id of domainIds) {
      const n = this.window.count(id, now);
      byDomain.set(id, n);
      total += n;
    }
    return { total, byDomain };
  }

  /** Calls `listener` (soon) after commits; returns an unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  private announce(): void {
    if (this.pending || this.listeners.size === 0) return;
    this.pending = setTimeout(() => {
      this.pending = null;
      this.window.prune(this.now());
      for (const listener of this.listeners) {
        try {
          listener();
        } catch {
          // One broken stream must not stop the others' updates.
        }
      }
    }, this.options.coalesceMs);
  }

  close(): void {
    this.stopListening();
    if (this.pending) clearTimeout(this.pending);
    this.pending = null;
    this.listeners.clear();
  }
}
