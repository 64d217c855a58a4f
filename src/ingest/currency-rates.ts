import type { Db } from '../db/types.ts';
import { loadEurRates } from './revenue/currency-rates.sql.ts';

/** EUR per unit of each known currency as exact decimal text, cached for a minute (rates change daily at most). */
export class CurrencyRates {
  private rates = new Map<string, string>();
  private loadedAt = 0;

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 60_000,
  ) {}

  async eurPerUnit(currency: string, now = Date.now()): Promise<string | null> {
    if (now - this.loadedAt > this.ttlMs) {
      this.rates = await loadEurRates(this.db);
      this.loadedAt = now;
    }
    return this.rates.get(currency) ?? null;
  }
}
