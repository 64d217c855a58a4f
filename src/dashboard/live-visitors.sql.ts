import type { Queryable } from '../db/types.ts';

// Visitors of the last few minutes as stored, so the live counter is right after a restart too.
// Same identity rule as liveVisitorKey: the visitor id, else the user of a server-side event.
const RECENT_VISITORS_SQL = `
  SELECT domain_id, coalesce(visitor_id, 'user:' || user_id::text) AS visitor, max(occurred_at) AS last_seen
    FROM events
   WHERE occurred_at > $1 AND occurred_at <= $2
     AND (visitor_id IS NOT NULL OR user_id IS NOT NULL)
   GROUP BY domain_id, coalesce(visitor_id, 'user:' || user_id::text)`;

export interface RecentVisitor {
  domain_id: string;
  visitor: string;
  last_seen: Date;
}

export async function recentVisitors(db: Queryable, since: Date, until: Date): Promise<RecentVisitor[]> {
  const res = await db.query<RecentVisitor>(RECENT_VISITORS_SQL, [since, until]);
  return res.rows;
}
