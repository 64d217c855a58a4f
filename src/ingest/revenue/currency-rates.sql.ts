import type { Queryable } from '../../db/types.ts';

/** EUR per unit of every known currency, as exact decimal text, read inside the caller's transaction. */
export async function loadEurRates(tx: Queryable): Promise<Map<string, string>> {
  const res = await tx.query<{ currency: string; eur_per_unit: string }>(
    'SELECT currency, eur_per_unit FROM currency_rates',
  );
  return new Map(res.rows.map((r) => [r.currency, r.eur_per_unit]));
}
