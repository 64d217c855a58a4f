import type { Queryable } from '../../db/types.ts';

// Test support: hand-built rows of the activity rollup (the unit the engagement formulas read) and
// of revenue, written as the table owner.

// The contract of migration 0007_rollups.sql, created here only while that migration has not landed.
const ACTIVITY_DAILY_DDL = `
CREATE TABLE IF NOT EXISTS activity_daily (
  domain_id uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
  day       date NOT NULL,
  person    text NOT NULL,
  user_id   uuid,
  pageviews integer NOT NULL DEFAULT 0,
  events    integer NOT NULL DEFAULT 0,
  sessions  integer NOT NULL DEFAULT 0,
  duration_s bigint NOT NULL DEFAULT 0,
  value_eur numeric(16, 2) NOT NULL DEFAULT 0,
  PRIMARY KEY (domain_id, day, person)
);
CREATE INDEX IF NOT EXISTS activity_daily_user_idx ON activity_daily (user_id, day) WHERE user_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS activity_daily_day_idx ON activity_daily (day);
ALTER TABLE activity_daily ENABLE ROW LEVEL SECURITY;
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE tablename = 'activity_daily' AND policyname = 'domain_scope') THEN
    CREATE POLICY domain_scope ON activity_daily USING (app_can_see(domain_id));
  END IF;
END
$$;
GRANT SELECT ON activity_daily TO portfolio_app;`;

export async function ensureActivityTable(db: { exec(sql: string): Promise<void> }): Promise<void> {
  await db.exec(ACTIVITY_DAILY_DDL);
}

/** A stable uuid for a test user label like 'U7'. */
export function userId(label: string): string {
  const n = Number(label.replace(/\D/g, ''));
  return `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
}

export interface ActivityRow {
  domain: string;
  day: string;
  /** A user label ('U1') or an anonymous visitor id ('v:x'). */
  who: string;
  sessions?: number;
  durationS?: number;
}

export async function insertActivity(
  db: Queryable,
  domainIds: Record<string, string>,
  rows: readonly ActivityRow[],
): Promise<void> {
  for (const r of rows) {
    const user = r.who.startsWith('v:') ? null : userId(r.who);
    await db.query(
      `INSERT INTO activity_daily (domain_id, day, person, user_id, pageviews, events, sessions, duration_s)
       VALUES ($1, $2, $3, $4, 1, 1, $5, $6)`,
      [domainIds[r.domain], r.day, user ? `u:${user}` : r.who, user, r.sessions ?? 0, r.durationS ?? 0],
    );
  }
}

export interface RevenueRow {
  domain: string;
  at: string;
  eur: string;
  status?: string;
  kind?: string;
}

export async function insertRevenue(
  db: Queryable,
  domainIds: Record<string, string>,
  rows: readonly RevenueRow[],
): Promise<void> {
  for (const r of rows) {
    await db.query(
      `INSERT INTO revenue (domain_id, kind, amount, amount_eur, occurred_at, status)
       VALUES ($1, $2, $3, $3, $4, $5)`,
      [domainIds[r.domain], r.kind ?? 'order', r.eur, r.at, r.status ?? 'completed'],
    );
  }
}
