import type { Db } from '../db/types.ts';
import { AppError } from '../shared/app-error.ts';
import { type BrowserHit, eventFromHit } from './browser-hit.ts';
import { CurrencyRates } from './currency-rates.ts';
import { visitorHash } from './enrich/visitor-id.ts';
import type { EventRow } from './event-row.ts';
import { DEFAULT_WRITER_OPTIONS, EventWriter, type EventWriterOptions } from './event-writer.ts';
import { SaltStore } from './salt-store.ts';
import { type Site, SiteDirectory } from './site-directory.ts';

export interface RequestOrigin {
  ip: string;
  userAgent: string;
  now: Date;
}

/** Everything the collection endpoints share: site lookup, salts, rates and the group-commit writer. */
export class IngestService {
  readonly writer: EventWriter;
  readonly sites: SiteDirectory;
  readonly rates: CurrencyRates;
  private readonly salts: SaltStore;

  constructor(db: Db, writerOptions: EventWriterOptions = DEFAULT_WRITER_OPTIONS) {
    this.writer = new EventWriter(db, writerOptions);
    this.sites = new SiteDirectory(db);
    this.rates = new CurrencyRates(db);
    this.salts = new SaltStore(db);
  }

  /** The same answer for a domain that does not exist and one that is archived: nothing is revealed. */
  async requireSite(hostOrId: string, field: string): Promise<Site> {
    const site = await this.sites.find(hostOrId);
    if (!site) throw new AppError('not_found', 'unknown site', field);
    return site;
  }

  async eurPerUnit(currency: string, field: string): Promise<string> {
    const rate = await this.rates.eurPerUnit(currency);
    if (rate === null) throw new AppError('invalid_request', `unknown currency ${currency}`, field);
    return rate;
  }

  /** Builds events for browser hits on one or more sites and waits until they are committed. */
  async recordHits(
    items: { hit: BrowserHit; site: Site }[],
    origin: RequestOrigin,
    field: string,
  ): Promise<number> {
    const salt = await this.salts.saltFor(origin.now);
    const rows: EventRow[] = [];
    for (const { hit, site } of items) {
      const eurPerUnit = hit.revenue
        ? await this.eurPerUnit(hit.revenue.currency, `${field}.revenue.currency`)
        : null;
      const row = eventFromHit(hit, { domainId: site.id, host: site.host, ...origin, salt, eurPerUnit });
      if (row) rows.push(row);
    }
    await this.writer.write(rows);
    return rows.length;
  }

  /** The anonymous visitor id of the request's client on a site, for today. */
  async visitorFor(site: Site, origin: RequestOrigin): Promise<string> {
    const salt = await this.salts.saltFor(origin.now);
    return visitorHash({ salt, domainId: site.id, ip: origin.ip, userAgent: origin.userAgent });
  }

  async close(): Promise<void> {
    await this.writer.close();
  }
}
