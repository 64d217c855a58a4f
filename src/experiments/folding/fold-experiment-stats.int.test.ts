import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../db/types.ts';
import { seededRandom } from '../../shared/seeded-random.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { Experiment } from '../experiment-schema.ts';
import { EXPOSURE_EVENT, experimentSufficientStats, type SufficientStats } from '../sufficient-stats.sql.ts';
import { foldExperimentStats, metricsOf } from './fold-experiment-stats.ts';
import { dailyNewSubjects, readFoldedStats } from './read-folded-stats.sql.ts';

// The fold must give exactly what the reference statement over raw events gives, whatever order
// events arrive in: late exposures earlier than the known one, events ingested before their
// subject's exposure, identified and anonymous subjects, a stop that moves the end of the period.

const T0 = new Date('2031-06-01T00:00:00Z');
const HOUR = 3_600_000;
const HOSTS = ['a.example', 'b.example', 'c.example'];
const METRICS = {
  primary: { key: 'buy', kind: 'conversion', event: 'purchase' },
  secondary: [
    { key: 'rev', kind: 'revenue', windowDays: 3 },
    { key: 'rev_user', kind: 'revenue', per: 'user' },
    { key: 'pages', kind: 'engagement', measure: 'pageviews', windowDays: 2 },
    { key: 'secs', kind: 'engagement', measure: 'session_seconds' },
  ],
  guardrails: [{ key: 'back', kind: 'retention', days: 3 }],
};

describeIntegration('experiment stats fold', () => {
  let db: Db;
  let ids: Record<string, string>;
  const users = Array.from({ length: 6 }, (_, i) => `00000000-0000-4000-8000-00000000000${i + 1}`);

  const experiment = (key: string, hosts: string[], variations: string[]) =>
    Experiment.parse({
      key,
      name: key,
      domains: hosts,
      variations: variations.map((k) => ({ key: k, name: k, weight: 1 / variations.length })),
      metrics: METRICS,
    });
  const defs = [
    experiment('checkout', ['a.example', 'b.example'], ['control', 'b', 'c']),
    experiment('pricing', ['c.example'], ['control', 'cheap']),
  ];

  async function insertExperiment(e: Experiment, startedAt: Date): Promise<void> {
    const domainIds = e.domains.map((h) => ids[h]);
    await db.query(
      `INSERT INTO experiments (key, domain_ids, definition, status, source, started_at, created_by, created_at, updated_by, updated_at)
       VALUES ($1, $2, $3, 'running', 'api', $4, 'test', $4, 'test', $4)`,
      [e.key, domainIds, JSON.stringify(e), startedAt],
    );
  }

  /** A random batch of events in one transaction, timestamps spread over the first 5 days (some late). */
  async function randomBatch(seed: number, count: number): Promise<void> {
    const rnd = seededRandom(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const rows: unknown[][] = [];
    for (let i = 0; i < count; i++) {
      const host = pick(HOSTS);
      const visitor = `v${Math.floor(rnd() * 12)}`;
      const user = rnd() < 0.35 ? pick(users) : null;
      const when = new Date(
        T0.getTime() + Math.floor(rnd() * 5 * 24) * HOUR + Math.floor(rnd() * 3600) * 1000,
      );
      const r = rnd();
      const session = `s${Math.floor(rnd() * 6)}`;
      if (r < 0.25) {
        const exp = host === 'c.example' ? 'pricing' : 'checkout';
        // The tracker sends an index; servers send the key; some are for another experiment.
        const variation = rnd() < 0.5 ? Math.floor(rnd() * 3) : pick(['control', 'b', 'c', 'cheap']);
        rows.push([
          ids[host],
          when,
          EXPOSURE_EVENT,
          visitor,
          user,
          session,
          { experiment: exp, variation },
          null,
        ]);
      } else {
        const name = pick(['pageview', 'pageview', 'pageview', 'purchase', 'signup']);
        const value = name === 'purchase' ? Math.round(rnd() * 10_000) / 100 : null;
        rows.push([ids[host], when, name, visitor, user, session, {}, value]);
      }
    }
    await db.transaction(async (tx) => {
      for (const r of rows)
        await tx.query(
          `INSERT INTO events (domain_id, occurred_at, name, visitor_id, user_id, session_id, props, value_eur)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          r.map((v, i) => (i === 6 ? JSON.stringify(v) : v)),
        );
    });
  }

  async function expectFoldEqualsReference(): Promise<void> {
    const rows = await db.query<{
      id: string;
      key: string;
      domain_ids: string[];
      started_at: Date;
      stopped_at: Date | null;
    }>('SELECT id, key, domain_ids, started_at, stopped_at FROM experiments ORDER BY key');
    for (const row of rows.rows) {
      const e = defs.find((d) => d.key === row.key) as Experiment;
      const variations = e.variations.map((v) => v.key);
      const metrics = metricsOf(e);
      const folded = await readFoldedStats(db, {
        experimentId: row.id,
        variations,
        metricCount: metrics.length,
      });
      const reference = await db.transaction((tx) =>
        experimentSufficientStats(tx, {
          experimentKey: row.key,
          domainIds: row.domain_ids,
          variations,
          metrics,
          from: row.started_at,
          until: row.stopped_at ?? new Date('2100-01-01T00:00:00Z'),
        }),
      );
      expect(round(folded), row.key).toEqual(round(reference));
      expect(
        reference[0]?.some((s) => s.n > 0),
        `${row.key} has exposed subjects`,
      ).toBe(true);
    }
  }
  const round = (stats: SufficientStats[][]) =>
    stats.map((m) =>
      m.map((s) => ({
        ...s,
        sum: Math.round(s.sum * 1e6) / 1e6,
        sumSquares: Math.round(s.sumSquares * 1e4) / 1e4,
      })),
    );

  beforeAll(async () => {
    db = await createTestDb();
    ids = await insertDomains(db, HOSTS);
    for (const u of users) await db.query('INSERT INTO users (id) VALUES ($1)', [u]);
    await randomBatch(1, 150);
    for (const e of defs) await insertExperiment(e, new Date(T0.getTime() + 6 * HOUR));
  });
  afterAll(async () => db?.close());

  it('builds every started experiment from its raw events on the first run', async () => {
    const first = await foldExperimentStats(db);
    expect(first.rebuilt).toBe(2);
    await expectFoldEqualsReference();
    // Nothing new: nothing rebuilt, nothing recomputed.
    const again = await foldExperimentStats(db);
    expect(again).toMatchObject({ rebuilt: 0, subjects: 0 });
    // New subjects per day (the "about D more days" traffic): every subject over the 5 days.
    const row = await db.query<{ id: string }>(`SELECT id FROM experiments WHERE key = 'checkout'`);
    const id = row.rows[0]?.id as string;
    const [primary] = await readFoldedStats(db, {
      experimentId: id,
      variations: ['control', 'b', 'c'],
      metricCount: 1,
    });
    const perDay = await dailyNewSubjects(db, {
      experimentId: id,
      since: T0,
      until: new Date(T0.getTime() + 5 * 24 * HOUR),
    });
    expect(perDay * 5).toBeCloseTo(
      (primary ?? []).reduce((s, v) => s + v.n, 0),
      9,
    );
    expect(perDay).toBeGreaterThan(0);
  });

  it('takes new and late events incrementally, exactly as a rebuild would count them', async () => {
    for (const seed of [2, 3, 4, 5]) {
      await randomBatch(seed, 120);
      const run = await foldExperimentStats(db);
      expect(run.rebuilt).toBe(0);
      expect(run.events).toBe(120);
      expect(run.subjects).toBeGreaterThan(0);
      await expectFoldEqualsReference();
    }
  });

  it('rebuilds an experiment whose period changed (a stop) and leaves the other incremental', async () => {
    await db.query(`UPDATE experiments SET status = 'stopped', stopped_at = $1 WHERE key = 'checkout'`, [
      new Date(T0.getTime() + 60 * HOUR),
    ]);
    await randomBatch(6, 80);
    const run = await foldExperimentStats(db);
    expect(run.rebuilt).toBe(1);
    await expectFoldEqualsReference();
  });

  it('changes nothing when a run fails part-way', async () => {
    await randomBatch(7, 60);
    const before = await db.query(
      'SELECT * FROM experiment_stats ORDER BY experiment_id, variation, metric_index',
    );
    await expect(
      foldExperimentStats(db, {
        onStep: (s) => {
          if (s === 'dirty') throw new Error('crash');
        },
      }),
    ).rejects.toThrow('crash');
    const after = await db.query(
      'SELECT * FROM experiment_stats ORDER BY experiment_id, variation, metric_index',
    );
    expect(after.rows).toEqual(before.rows);
    const run = await foldExperimentStats(db);
    expect(run.events).toBe(60);
    await expectFoldEqualsReference();
  });
});
