import type { Db } from '../db/types.ts';

/** EUR per unit of each known currency, cached for a minute (rates change daily at most). */
export class CurrencyRates {
  private rates = new Map<string, number>();
  private loadedAt = 0;

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 60_000,
  ) {}

  async eurPerUnit(currency: string, now = Date.now()): Promise<number | null> {
    if (now - this.loadedAt > this.ttlMs) {
      const res = await this.db.query<{ currency: string; eur_per_unit: string }>(
        'SELECT currency, eur_per_unit FROM currency_rates',
      );
      this.rates = new Map(res.rows.map((r) => [r.currency, Number(r.eur_per_unit)]));
      this.loadedAt = now;
    }
    return this.rates.get(currency) ?? null;
  }
}
