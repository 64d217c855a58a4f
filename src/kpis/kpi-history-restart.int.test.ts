import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { systemActor } from '../auth/actor.ts';
import { migrate } from '../db/migrate.ts';
import { openPglite } from '../db/open-pglite.ts';
import { openPostgres } from '../db/open-postgres.ts';
import type { Db } from '../db/types.ts';
import { NOW, seedEngagementFixture } from '../metrics/engagement/engagement-fixture.ts';
import { describeIntegration } from '../test-support/integration.ts';
import { createTestDb, testBackend } from '../test-support/test-db.ts';
import { getKpiHistory } from './get-kpi-history.ts';
import { getKpis } from './get-kpis.ts';
import { insertKpiMoney, MRR_BY_DAY } from './kpi-fixture.ts';
import { KpiHistoryQuery, KpisQuery } from './kpi-schemas.ts';
import { startKpiSnapshots } from './kpi-snapshot-scheduler.ts';

// Snapshots are rows of the database: a new process (a reopened PGlite data directory, a new
// PostgreSQL pool) reads the same history and reports from it without recomputing.

const KPIS = [
  {
    category: 'Financial Performance',
    metrics: [
      {
        key: 'mrr',
        name: 'MRR',
        current: 100,
        target: 400,
        unit: 'EUR' as const,
        frequency: 'daily' as const,
        owner: 'CFO',
        description: 'MRR',
        direction: 'higher-is-better' as const,
      },
    ],
    derivedMetrics: [],
    targets: [{ metric: 'mrr', target: 400, deadline: '2026-12-31', confidence: 0.85 }],
    alerts: [],
    dashboards: [],
  },
];

interface Reopenable {
  db: Db;
  reopen(): Promise<Db>;
  cleanup(): Promise<void>;
}

async function reopenable(): Promise<Reopenable> {
  if (testBackend() === 'pglite') {
    const dir = await mkdtemp(join(tmpdir(), 'pos-kpi-'));
    let db = await openPglite({ dataDir: dir });
    await migrate(db);
    return {
      db,
      async reopen() {
        await db.close();
        db = await openPglite({ dataDir: dir });
        return db;
      },
      async cleanup() {
        await db.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const first = await createTestDb();
  const others: Db[] = [];
  return {
    db: first,
    async reopen() {
      const db = await openPostgres({ connectionString: first.url as string, maxConnections: 2 });
      others.push(db);
      return db;
    },
    async cleanup() {
      for (const o of others) await o.close();
      await first.close();
    },
  };
}

describeIntegration('KPI history across restarts', () => {
  let r: Reopenable | undefined;
  afterAll(async () => {
    await r?.cleanup();
  });

  it('the scheduler snapshots on start; a reopened database has the same history and verdict', async () => {
    r = await reopenable();
    const ids = await seedEngagementFixture(r.db);
    await insertKpiMoney(r.db, ids);
    const logged: string[] = [];
    const scheduler = startKpiSnapshots({
      db: r.db,
      portfolio: () => ({ kpis: KPIS }),
      log: { info: (_o, msg) => logged.push(msg ?? ''), error: (_o, msg) => logged.push(`error ${msg}`) },
      backfillDays: 30,
      schedule: false,
      now: () => NOW,
    });
    const run = await scheduler.runNow();
    await scheduler.stop();
    expect(run?.days).toHaveLength(25); // money starts 11-01, inside the 30 days ending 11-25
    expect(logged).toEqual(['KPI snapshots stored']);

    const actor = systemActor('test');
    const before = await getKpis({
      ctx: { db: r.db, actor, now: NOW },
      input: { portfolio: { kpis: KPIS }, query: KpisQuery.parse({}) },
    });
    const db = await r.reopen();
    const history = await getKpiHistory({
      ctx: { db, actor, now: NOW },
      input: { portfolio: { kpis: KPIS }, key: 'mrr', query: KpiHistoryQuery.parse({ from: '2026-11-01' }) },
    });
    expect(history.points.map((p) => p.value)).toEqual(MRR_BY_DAY);
    const after = await getKpis({
      ctx: { db, actor, now: NOW },
      input: { portfolio: { kpis: KPIS }, query: KpisQuery.parse({}) },
    });
    expect(after).toEqual(before);
    expect(after.kpis[0]).toMatchObject({ currentFrom: 'snapshot', verdict: 'on-track', progress: 0.5 });
  });
});
