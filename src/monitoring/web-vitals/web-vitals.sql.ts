import type { Queryable } from '../../db/types.ts';
import { VITAL_MAX, VITALS, type Vital } from './vital-thresholds.ts';

// p75 of each Web Vital per domain, from the raw `Web Vitals` events the tracker's extension sends
// (props lcp, inp, fcp, ttfb in ms, cls unitless). Only raw events: once archived, they are gone.

export const WEB_VITALS_EVENT = 'Web Vitals';

export interface VitalFigure {
  p75: number | null;
  samples: number;
}

export interface DomainVitals {
  /** Page loads that reported at least one metric. */
  pageLoads: number;
  vitals: Record<Vital, VitalFigure>;
}

// Props arrive as JSON numbers from the tracker, as strings from Plausible-style clients: both are
// read; anything else, negative or past VITAL_MAX is ignored (NULL: not in the percentile).
const value = (v: Vital) => `CASE
           WHEN jsonb_typeof(props->'${v}') = 'number' THEN (props->>'${v}')::float8
           WHEN jsonb_typeof(props->'${v}') = 'string' AND props->>'${v}' ~ '^[0-9]{1,9}(\\.[0-9]{1,6})?$'
             THEN (props->>'${v}')::float8
         END`;

const WEB_VITALS_SQL = `
SELECT domain_id::text AS domain_id, count(*)::int AS page_loads,
       ${VITALS.map(
         (v) => `percentile_cont(0.75) WITHIN GROUP (ORDER BY ${v}) AS ${v}_p75, count(${v})::int AS ${v}_n`,
       ).join(',\n       ')}
  FROM (SELECT domain_id,
               ${VITALS.map((v) => `CASE WHEN x.${v} BETWEEN 0 AND ${VITAL_MAX[v]} THEN x.${v} END AS ${v}`).join(', ')}
          FROM (SELECT domain_id, ${VITALS.map((v) => `${value(v)} AS ${v}`).join(',\n               ')}
                  FROM events
                 WHERE domain_id = ANY ($1::uuid[]) AND name = '${WEB_VITALS_EVENT}'
                   AND occurred_at >= $2 AND occurred_at < $3) x) v
 GROUP BY domain_id`;

export async function webVitalsByDomain(
  tx: Queryable,
  domainIds: readonly string[],
  window: { start: Date; end: Date },
): Promise<Map<string, DomainVitals>> {
  const res = await tx.query<Record<string, unknown>>(WEB_VITALS_SQL, [domainIds, window.start, window.end]);
  return new Map(
    res.rows.map((r) => [
      r.domain_id as string,
      {
        pageLoads: Number(r.page_loads),
        vitals: Object.fromEntries(
          VITALS.map((v) => [
            v,
            { p75: r[`${v}_p75`] === null ? null : Number(r[`${v}_p75`]), samples: Number(r[`${v}_n`]) },
          ]),
        ) as Record<Vital, VitalFigure>,
      },
    ]),
  );
}
