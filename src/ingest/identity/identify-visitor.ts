import type { Db, Tx } from '../../db/types.ts';

export interface IdentifyInput {
  domainId: string;
  visitorId: string;
  email?: string | undefined;
  externalId?: string | undefined;
  /** Another visitor (usually on another owned domain) that is the same person: from a link token. */
  sameAs?: { domainId: string; visitorId: string } | undefined;
  now: Date;
}

// Visitor ids rotate daily, so only the last two days of a visitor's events can be theirs.
const BACKFILL_SQL = `
  UPDATE events SET user_id = $3
   WHERE domain_id = $1 AND visitor_id = $2 AND user_id IS NULL AND occurred_at >= $4::timestamptz - interval '2 days'`;

async function findUser(tx: Tx, input: IdentifyInput): Promise<string | undefined> {
  if (input.email) {
    const res = await tx.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [input.email]);
    if (res.rows[0]) return res.rows[0].id;
  }
  if (input.externalId) {
    const res = await tx.query<{ user_id: string }>(
      'SELECT user_id FROM user_external_ids WHERE domain_id = $1 AND external_id = $2',
      [input.domainId, input.externalId],
    );
    if (res.rows[0]) return res.rows[0].user_id;
  }
  for (const v of [input.sameAs, { domainId: input.domainId, visitorId: input.visitorId }]) {
    if (!v) continue;
    const res = await tx.query<{ user_id: string }>(
      'SELECT user_id FROM visitor_identities WHERE domain_id = $1 AND visitor_id = $2 AND user_id IS NOT NULL',
      [v.domainId, v.visitorId],
    );
    if (res.rows[0]) return res.rows[0].user_id;
  }
  return undefined;
}

async function linkVisitor(tx: Tx, domainId: string, visitorId: string, userId: string, now: Date) {
  await tx.query(
    `INSERT INTO visitor_identities (domain_id, visitor_id, user_id, first_seen_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)
     ON CONFLICT (domain_id, visitor_id) DO UPDATE SET user_id = EXCLUDED.user_id, last_seen_at = EXCLUDED.last_seen_at`,
    [domainId, visitorId, userId, now],
  );
  await tx.query(
    `INSERT INTO user_domains (user_id, domain_id, first_seen_at, last_seen_at) VALUES ($1, $2, $3, $3)
     ON CONFLICT (user_id, domain_id) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at`,
    [userId, domainId, now],
  );
  await tx.query(BACKFILL_SQL, [domainId, visitorId, userId, now]);
}

/**
 * Links a visitor to a user — found by e-mail (global), the site's own id, or a linked visitor —
 * creating the user if needed, so the person's activity on every domain reads as one history.
 */
export async function identifyVisitor(
  db: Db,
  input: IdentifyInput,
): Promise<{ userId: string; created: boolean }> {
  return db.transaction(async (tx) => {
    let userId = await findUser(tx, input);
    const created = !userId;
    if (!userId) {
      const res = await tx.query<{ id: string }>(
        'INSERT INTO users (email, primary_domain_id, last_seen_at) VALUES ($1, $2, $3) RETURNING id',
        [input.email ?? null, input.domainId, input.now],
      );
      userId = (res.rows[0] as { id: string }).id;
    } else {
      await tx.query(
        'UPDATE users SET last_seen_at = $2, email = coalesce(email, $3), updated_at = now() WHERE id = $1',
        [userId, input.now, input.email ?? null],
      );
    }
    if (input.externalId) {
      await tx.query(
        `INSERT INTO user_external_ids (domain_id, external_id, user_id) VALUES ($1, $2, $3)
         ON CONFLICT (domain_id, external_id) DO UPDATE SET user_id = EXCLUDED.user_id`,
        [input.domainId, input.externalId, userId],
      );
    }
    await linkVisitor(tx, input.domainId, input.visitorId, userId, input.now);
    if (input.sameAs) await linkVisitor(tx, input.sameAs.domainId, input.sameAs.visitorId, userId, input.now);
    return { userId, created };
  });
}
