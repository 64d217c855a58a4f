import type { Db } from '../db/types.ts';

export interface Site {
  id: string;
  host: string;
}

/**
 * Which domains accept events, looked up by host (Plausible's `domain`, Umami's `hostname`) or id
 * (Umami's `website`). Cached for a few seconds: ingestion must not query the domains table per event.
 */
export class SiteDirectory {
  private sites: Map<string, Site> = new Map();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 5_000,
  ) {}

  /** After a portfolio reload: the next lookup waits for a fresh list. */
  invalidate(): void {
    this.loadedAt = 0;
    this.sites = new Map();
  }

  async find(hostOrId: string, now = Date.now()): Promise<Site | undefined> {
    if (now - this.loadedAt > this.ttlMs) {
      this.loading ??= this.load(now).finally(() => {
        this.loading = null;
      });
      // Serve the previous list while refreshing: a busy database must not hold up collection.
      // Only the first load, or a known-stale list (invalidate()), is waited for.
      if (this.loadedAt === 0 || this.sites.size === 0) await this.loading;
      else this.loading.catch(() => undefined);
    }
    const key = hostOrId.trim().toLowerCase();
    return this.sites.get(key) ?? this.sites.get(key.replace(/^www\./, ''));
  }

  private async load(now: number): Promise<void> {
    const res = await this.db.query<Site>('SELECT id, host FROM domains WHERE archived_at IS NULL');
    const next = new Map<string, Site>();
    for (const site of res.rows) {
      next.set(site.host, site);
      next.set(site.id, site);
    }
    this.sites = next;
    this.loadedAt = now;
  }
}
