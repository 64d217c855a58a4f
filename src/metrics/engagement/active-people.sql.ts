import type { Tx } from '../../db/types.ts';
import { addDays } from '../metric-query.ts';
import { loadSketches } from '../traffic/visitor-sketches.sql.ts';
import type { DaySpan } from './engagement-formulas.ts';

// Distinct persons over MAU's 30 days. A user id is one person on every domain ('u:' + id on
// each); a visitor id only means something on its own domain (and, from the tracker, for one UTC
// day: its salt rotates), so anonymous people are keyed by domain and visitor.
const ACTIVE_PEOPLE_SQL = `
SELECT count(*)::int AS persons
  FROM (SELECT CASE WHEN user_id IS NULL THEN domain_id END AS anon_domain, person
          FROM activity_daily
         WHERE domain_id = ANY ($1::uuid[]) AND day BETWEEN $2::date AND $3::date
         GROUP BY 1, 2) people`;

/**
 * Past this many person-days (rows of activity_daily) in the window, MAU is estimated from the
 * HyperLogLog sketches instead: an exact distinct count reads every one of those rows.
 */
export const EXACT_MAU_PERSON_DAYS = 20_000;

export interface MauWindow {
  days: DaySpan | null;
  /** Rows of activity_daily in the window (from engagement_daily): the cost of an exact count. */
  personDays: number;
}

export interface MauPersons {
  persons: number;
  estimated: boolean;
}

/**
 * MAU of each window: exact while small, else merged from the sketches of every person per domain
 * and day block (visitor_sketches kind 'v'; error bound in docs/metrics.md "Engagement").
 */
export async function countMauPersons(
  tx: Tx,
  domainIds: readonly string[],
  windows: readonly MauWindow[],
): Promise<MauPersons[]> {
  // Sketch spans end the day after (exclusive).
  const span = (d: DaySpan) => ({ from: d.from, to: addDays(d.to, 1) });
  const large = windows.flatMap((w) =>
    w.days && w.personDays > EXACT_MAU_PERSON_DAYS ? [span(w.days)] : [],
  );
  const sketches = large.length > 0 ? await loadSketches(tx, domainIds, ['v'], large) : null;
  const out: MauPersons[] = [];
  for (const w of windows) {
    if (!w.days || w.personDays === 0) out.push({ persons: 0, estimated: false });
    else if (sketches && w.personDays > EXACT_MAU_PERSON_DAYS) {
      out.push({ persons: sketches.count(domainIds, 'v', span(w.days)), estimated: true });
    } else {
      const res = await tx.query<{ persons: number }>(ACTIVE_PEOPLE_SQL, [domainIds, w.days.from, w.days.to]);
      out.push({ persons: res.rows[0]?.persons ?? 0, estimated: false });
    }
  }
  return out;
}
