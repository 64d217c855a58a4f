import type { Tx } from '../../db/types.ts';

// Persons who reached any goal (a custom event) on the domains over UTC days [from, to): one
// count per domain and one for all of them together (a person converting on two domains counts once).
const CONVERTERS_SQL = `
SELECT domain_id::text AS domain_id, count(DISTINCT person COLLATE "C")::int AS n
  FROM person_day_steps
 WHERE domain_id = ANY ($1::uuid[]) AND kind = 'goal' AND day >= $2::date AND day < $3::date
 GROUP BY ROLLUP (domain_id)`;

/** Converters per domain id, and under the key '' for all domains together. */
export async function selectConverters(
  tx: Tx,
  domainIds: readonly string[],
  days: { from: string; to: string },
): Promise<Map<string, number>> {
  const res = await tx.query<{ domain_id: string | null; n: number }>(CONVERTERS_SQL, [
    domainIds,
    days.from,
    days.to,
  ]);
  return new Map(res.rows.map((r) => [r.domain_id ?? '', r.n]));
}
