import { systemActor } from '../../auth/actor.ts';
import type { Ctx } from '../../auth/context.ts';
import type { Db, Queryable } from '../../db/types.ts';
import { RewardsConfig } from '../reward-schema.ts';
import { bookRewardsForEvents } from './book-rewards.ts';

/** Test support for the ledger's integration suites: users, events and the ledger's invariants. */

export const HOSTS = ['shop.example', 'ride.example', 'music.example', 'seo.example'];

export const RULES = RewardsConfig.parse({
  tiers: { silver: 100, gold: 500, platinum: 2000 },
  rules: [
    {
      id: 'shop-spend',
      domain: 'shop.example',
      event: 'Purchase',
      ptf: 1,
      per: 'value_eur',
      dailyCapPerUser: 300,
    },
    {
      id: 'ride-km',
      domain: 'ride.example',
      event: 'Ride Recorded',
      ptf: 1,
      per: { prop: 'km' },
      aiOptimized: { prop: 'ai' },
    },
    { id: 'track', domain: 'music.example', event: 'Track Released', ptf: 10 },
    { id: 'audit', domain: 'seo.example', event: 'Audit Run', ptf: 2, aiOptimized: true },
  ],
});

export function systemCtx(db: Db, now = new Date()): Ctx {
  return { db, actor: systemActor('test'), now };
}

/** A user active on the given domains (so a scope including one of them sees it). */
export async function insertUser(db: Queryable, domainIds: string[], email?: string): Promise<string> {
  const res = await db.query<{ id: string }>('INSERT INTO users (email) VALUES ($1) RETURNING id', [
    email ?? null,
  ]);
  const id = (res.rows[0] as { id: string }).id;
  for (const d of domainIds)
    await db.query('INSERT INTO user_domains (user_id, domain_id) VALUES ($1, $2)', [id, d]);
  return id;
}

export interface TestEvent {
  domainId: string;
  name: string;
  userId: string | null;
  at: string;
  valueEur?: string;
  props?: Record<string, unknown>;
}

/** Inserts events in one statement (one transaction); returns their ids in order. */
export async function insertEvents(db: Queryable, events: TestEvent[]): Promise<string[]> {
  const res = await db.query<{ id: string }>(
    `INSERT INTO events (domain_id, name, user_id, occurred_at, value_eur, props)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::timestamptz[], $5::numeric[], $6::jsonb[])
     RETURNING id`,
    [
      events.map((e) => e.domainId),
      events.map((e) => e.name),
      events.map((e) => e.userId),
      events.map((e) => e.at),
      events.map((e) => e.valueEur ?? null),
      events.map((e) => JSON.stringify(e.props ?? {})),
    ],
  );
  return res.rows.map((r) => r.id);
}

export function fold(db: Db, rewards = RULES, onStep?: (step: string) => void) {
  return bookRewardsForEvents({ ctx: systemCtx(db), input: { rewards, ...(onStep ? { onStep } : {}) } });
}

/** Everything double entry promises, checked on the whole ledger; returns the problems found. */
export async function ledgerProblems(db: Queryable): Promise<string[]> {
  const problems: string[] = [];
  const unbalanced = await db.query<{ id: string }>(
    `SELECT t.id FROM ledger_transactions t LEFT JOIN ledger_postings p ON p.transaction_id = t.id
      GROUP BY t.id HAVING count(p.*) < 2 OR sum(p.amount_wei) <> 0`,
  );
  for (const r of unbalanced.rows) problems.push(`transaction ${r.id} is unbalanced or has no postings`);
  const credit = await db.query<{ id: string }>(
    `SELECT t.id FROM ledger_transactions t JOIN ledger_postings p ON p.transaction_id = t.id
      WHERE p.account = 'user:' || t.user_id::text
      GROUP BY t.id, t.kind, t.total_wei
     HAVING sum(p.amount_wei) <> CASE WHEN t.kind = 'reward' THEN t.total_wei ELSE -t.total_wei END`,
  );
  for (const r of credit.rows)
    problems.push(`transaction ${r.id} moves the user by another amount than total_wei`);
  const balances = await db.query<{ user_id: string }>(
    `SELECT coalesce(b.user_id, p.user_id) AS user_id
       FROM reward_balances b
       FULL JOIN (SELECT substr(account, 6)::uuid AS user_id, sum(amount_wei) AS s,
                         sum(amount_wei) FILTER (WHERE amount_wei > 0) AS earned
                    FROM ledger_postings WHERE account LIKE 'user:%' GROUP BY 1) p ON p.user_id = b.user_id
      WHERE b.balance_wei IS DISTINCT FROM p.s OR b.earned_wei IS DISTINCT FROM p.earned`,
  );
  for (const r of balances.rows) problems.push(`balance of ${r.user_id} differs from its postings`);
  return problems;
}

export async function balanceOf(
  db: Queryable,
  userId: string,
): Promise<{ earned: bigint; balance: bigint; tier: string }> {
  const res = await db.query<{ earned: string | null; balance: string | null; tier: string }>(
    `SELECT b.earned_wei::text AS earned, b.balance_wei::text AS balance, u.loyalty_tier AS tier
       FROM users u LEFT JOIN reward_balances b ON b.user_id = u.id WHERE u.id = $1`,
    [userId],
  );
  const r = res.rows[0];
  return { earned: BigInt(r?.earned ?? '0'), balance: BigInt(r?.balance ?? '0'), tier: r?.tier ?? 'none' };
}
