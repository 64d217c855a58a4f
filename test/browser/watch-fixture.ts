import type { Db } from '../../src/db/types.ts';
import { emptyEvent } from '../../src/ingest/event-row.ts';
import { insertEvents } from '../../src/ingest/insert-events.sql.ts';

// Data the watch pages (KPIs, uptime) read, written as the table owner, as the snapshot job and the
// uptime scheduler write it. Times are relative to `now`: the server under test uses the real clock.

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * 30 daily snapshots ending at the last complete UTC day: MRR rising 21,000 → 25,350 (past the seed's
 * 25,000 target, so on-track whatever today is) and DAU flat near 100 against 10,000 by 2026-09-30
 * (a passed deadline, missed: off-track).
 */
export const KPI_DAYS = 30;
export const MRR_LAST = 21_000 + 150 * (KPI_DAYS - 1);

export async function insertKpiSnapshots(db: Db, now: Date): Promise<void> {
  const yesterday = Date.parse(`${isoDay(now.getTime())}T00:00:00Z`) - DAY_MS;
  for (let i = 0; i < KPI_DAYS; i++) {
    const day = isoDay(yesterday - (KPI_DAYS - 1 - i) * DAY_MS);
    await db.query(
      `INSERT INTO kpi_snapshots (metric_key, day, value, computed_at)
       VALUES ('mrr', $1, $2, $4), ('dau', $1, $3, $4)`,
      [day, 21_000 + 150 * i, 100 + (i % 3), now.toISOString()],
    );
  }
}

async function domainId(db: Db, host: string): Promise<string> {
  const res = await db.query<{ id: string }>('SELECT id FROM domains WHERE host = $1', [host]);
  const id = res.rows[0]?.id;
  if (!id) throw new Error(`no domain ${host}`);
  return id;
}

/** Checked hourly for the last 72 hours, one closed incident of one hour 30 hours ago. */
export const RECOVERED_HOST = 'adaptogenic-mushrooms.com';
/**
 * Checked hourly for the last 24 hours, down since 20 minutes ago (an open incident) and refusing
 * connections at every run of the last 15 minutes: availability 0 for the alert rules.
 */
export const DOWN_HOST = 'fixie.run';
/** 1 − 3600 s ÷ 72 h, truncated to three decimals of a percent. */
export const RECOVERED_UPTIME_TEXT = '98.611%';
/** p75 of LCP 800, 1000, 1200, 1400 ms (linear interpolation). */
export const LCP_P75_TEXT = '1,250 ms';

export async function insertUptime(db: Db, now: Date): Promise<void> {
  const t = now.getTime();
  const recovered = await domainId(db, RECOVERED_HOST);
  for (let h = 72; h >= 1; h--) {
    const at = t - h * HOUR_MS;
    const down = h === 30; // the run inside the incident [30 h ago, 29 h ago)
    await db.query(
      `INSERT INTO uptime_checks (domain_id, checked_at, ok, status_code, response_ms, error, tls_valid_to)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        recovered,
        new Date(at),
        !down,
        down ? 503 : 200,
        100 + (h % 5) * 20,
        down ? 'status 503' : null,
        new Date(t + 40 * DAY_MS),
      ],
    );
  }
  await db.query(
    `INSERT INTO uptime_incidents (domain_id, opened_at, closed_at, cause, last_error)
     VALUES ($1, $2, $3, 'status', 'status 503')`,
    [recovered, new Date(t - 30 * HOUR_MS), new Date(t - 29 * HOUR_MS)],
  );

  const down = await domainId(db, DOWN_HOST);
  for (let h = 24; h >= 0; h--) {
    const at = h === 0 ? t - 20 * 60_000 : t - h * HOUR_MS;
    await db.query(
      `INSERT INTO uptime_checks (domain_id, checked_at, ok, status_code, response_ms, error)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        down,
        new Date(at),
        h !== 0,
        h === 0 ? null : 200,
        h === 0 ? null : 300,
        h === 0 ? 'connection refused' : null,
      ],
    );
  }
  for (let m = 15; m >= 1; m--) {
    await db.query(
      `INSERT INTO uptime_checks (domain_id, checked_at, ok, error) VALUES ($1, $2, false, 'connection refused')`,
      [down, new Date(t - m * 60_000)],
    );
  }
  await db.query(
    `INSERT INTO uptime_incidents (domain_id, opened_at, cause, last_error)
     VALUES ($1, $2, 'connection', 'connection refused')`,
    [down, new Date(t - 20 * 60_000)],
  );

  await insertEvents(
    db,
    [800, 1000, 1200, 1400].map((lcp, i) => ({
      ...emptyEvent(recovered, 'Web Vitals', new Date(t - (i + 2) * HOUR_MS)),
      props: { lcp },
      interactive: false,
    })),
  );
}
