import type { Queryable } from '../db/types.ts';
import type { EventRow } from './event-row.ts';

// One statement whatever the batch size: columns travel as arrays and unnest() turns them into
// rows (same SQL on PostgreSQL and PGlite, a constant number of parameters). Events with an
// event_id are stored only if the id is new for the domain, and only once within the batch.
export const INSERT_EVENTS_SQL = `
WITH input AS (
  SELECT *
    FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[],
                $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
                $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::jsonb[],
                $22::boolean[], $23::numeric[], $24::text[], $25::numeric[])
      AS t(domain_id, occurred_at, name, event_id, visitor_id, user_id, session_id, url, referrer, hostname,
           pathname, source, medium, campaign, channel, browser, os, device, screen, language, props,
           interactive, revenue_amount, revenue_currency, value_eur)
),
fresh AS (
  INSERT INTO event_ids (domain_id, event_id)
  SELECT DISTINCT domain_id, event_id FROM input WHERE event_id IS NOT NULL
  ON CONFLICT DO NOTHING
  RETURNING domain_id, event_id
),
chosen AS (
  SELECT * FROM input WHERE event_id IS NULL
  UNION ALL
  SELECT DISTINCT ON (i.domain_id, i.event_id) i.*
    FROM input i JOIN fresh f ON f.domain_id = i.domain_id AND f.event_id = i.event_id
)
INSERT INTO events (domain_id, occurred_at, name, event_id, visitor_id, user_id, session_id, url, referrer,
                    hostname, pathname, source, medium, campaign, channel, browser, os, device, screen, language,
                    props, interactive, revenue_amount, revenue_currency, value_eur)
SELECT c.domain_id, c.occurred_at, c.name, c.event_id, c.visitor_id, coalesce(c.user_id, vi.user_id), c.session_id,
       c.url, c.referrer, c.hostname, c.pathname, c.source, c.medium, c.campaign, c.channel, c.browser, c.os,
       c.device, c.screen, c.language, c.props, c.interactive, c.revenue_amount, c.revenue_currency, c.value_eur
  FROM chosen c
  -- A visitor identified earlier carries their user onto every later event.
  LEFT JOIN visitor_identities vi ON vi.domain_id = c.domain_id AND vi.visitor_id = c.visitor_id`;

/** Inserts events in one statement; returns how many were stored (duplicates by event_id are skipped). */
export async function insertEvents(tx: Queryable, rows: readonly EventRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const col = <T>(pick: (r: EventRow) => T) => rows.map(pick);
  const res = await tx.query(INSERT_EVENTS_SQL, [
    col((r) => r.domainId),
    col((r) => r.occurredAt.toISOString()),
    col((r) => r.name),
    col((r) => r.eventId),
    col((r) => r.visitorId),
    col((r) => r.userId),
    col((r) => r.sessionId),
    col((r) => r.url),
    col((r) => r.referrer),
    col((r) => r.hostname),
    col((r) => r.pathname),
    col((r) => r.source),
    col((r) => r.medium),
    col((r) => r.campaign),
    col((r) => r.channel),
    col((r) => r.browser),
    col((r) => r.os),
    col((r) => r.device),
    col((r) => r.screen),
    col((r) => r.language),
    col((r) => JSON.stringify(r.props)),
    col((r) => r.interactive),
    col((r) => r.revenueAmount),
    col((r) => r.revenueCurrency),
    col((r) => r.valueEur),
  ]);
  return res.rowCount;
}
