import type { Queryable } from '../../db/types.ts';

// Test support: hand-built rows of the activity rollup (the unit the engagement formulas read) and
// of revenue, written as the table owner.

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
