import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../db/types.ts';
import { insertDomains } from '../test-support/fixtures.ts';
import { describeIntegration } from '../test-support/integration.ts';
import { createTestDb } from '../test-support/test-db.ts';
import { ExperimentMetric } from './experiment-schema.ts';
import { EXPOSURE_EVENT, experimentSufficientStats, sufficientStats } from './sufficient-stats.sql.ts';

// Hand-computed fixture: two subjects per variation, a repeated exposure in another variation
// (first one wins), a cross-domain purchase by user id, events before the exposure and after the
// window (ignored), and exposures of another experiment, domain and variation (ignored).

const T0 = new Date('2031-05-01T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const DAY = 24 * 60;
const USER = '00000000-0000-4000-8000-000000000001';

describeIntegration('experiment sufficient statistics', () => {
  let db: Db;
  let ids: Record<string, string>;

  const event = (
    host: string,
    when: Date,
    name: string,
    who: { visitor?: string; user?: string; session?: string },
    extra: { props?: Record<string, string | number>; value?: number } = {},
  ) =>
    db.query(
      `INSERT INTO events (domain_id, occurred_at, name, visitor_id, user_id, session_id, props, value_eur)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        ids[host],
        when,
        name,
        who.visitor ?? null,
        who.user ?? null,
        who.session ?? null,
        JSON.stringify(extra.props ?? {}),
        extra.value ?? null,
      ],
    );
  const exposure = (
    host: string,
    when: Date,
    who: { visitor?: string; user?: string },
    variation: string | number,
    experiment = 'exp1',
  ) => event(host, when, EXPOSURE_EVENT, who, { props: { experiment, variation } });

  beforeAll(async () => {
    db = await createTestDb();
    ids = await insertDomains(db, ['a.example', 'b.example', 'c.example']);
    await db.query('INSERT INTO users (id) VALUES ($1)', [USER]);
    // v1: control; two pageviews and a purchase in one session, back the next day.
    await exposure('a.example', at(0), { visitor: 'v1' }, 'control');
    await event('a.example', at(10), 'pageview', { visitor: 'v1', session: 's1' });
    await event('a.example', at(20), 'pageview', { visitor: 'v1', session: 's1' });
    await event('a.example', at(60), 'purchase', { visitor: 'v1', session: 's1' }, { value: 10 });
    await event('a.example', at(DAY + 5), 'pageview', { visitor: 'v1', session: 's2' });
    // v2: control first, then treatment (ignored); one pageview.
    await exposure('a.example', at(60), { visitor: 'v2' }, 'control');
    await exposure('a.example', at(120), { visitor: 'v2' }, 'treatment');
    await event('a.example', at(130), 'pageview', { visitor: 'v2', session: 's3' });
    // u1: treatment on b.example; buys on a.example as the same user; a late purchase is outside 14 days.
    // The tracker sends the variation's index (1: treatment).
    await exposure('b.example', at(0), { visitor: 'w1', user: USER }, 1);
    await event('a.example', at(180), 'purchase', { user: USER }, { value: 20 });
    await event('a.example', at(20 * DAY), 'purchase', { user: USER }, { value: 5 });
    // v3: treatment; bought an hour before the exposure only.
    await event('a.example', at(-60), 'purchase', { visitor: 'v3' }, { value: 7 });
    await exposure('a.example', at(0), { visitor: 'v3' }, 'treatment');
    // Ignored exposures: another experiment, a domain outside the experiment, an unknown variation.
    await exposure('a.example', at(0), { visitor: 'v4' }, 'control', 'exp2');
    await exposure('c.example', at(0), { visitor: 'v5' }, 'control');
    await exposure('a.example', at(0), { visitor: 'v6' }, 'bogus');
    await exposure('a.example', at(0), { visitor: 'v7' }, 2); // no third variation
  });
  afterAll(async () => db?.close());

  const stats = (metric: unknown) =>
    sufficientStats(db, {
      experimentKey: 'exp1',
      domainIds: [ids['a.example'] as string, ids['b.example'] as string],
      variations: ['control', 'treatment'],
      metric: ExperimentMetric.parse(metric),
      from: at(-DAY),
      until: at(30 * DAY),
    });

  it('counts conversions to a goal after the first exposure', async () => {
    expect(await stats({ key: 'buy', kind: 'conversion', event: 'purchase' })).toEqual([
      { variation: 'control', n: 2, sum: 1, sumSquares: 1 },
      { variation: 'treatment', n: 2, sum: 1, sumSquares: 1 },
    ]);
  });

  it('sums revenue per visitor inside the window, and per identified user only', async () => {
    expect(await stats({ key: 'rev', kind: 'revenue' })).toEqual([
      { variation: 'control', n: 2, sum: 10, sumSquares: 100 },
      { variation: 'treatment', n: 2, sum: 20, sumSquares: 400 },
    ]);
    expect(await stats({ key: 'rev', kind: 'revenue', per: 'user' })).toEqual([
      { variation: 'control', n: 0, sum: 0, sumSquares: 0 },
      { variation: 'treatment', n: 1, sum: 20, sumSquares: 400 },
    ]);
    // A 30-day window takes u1's late purchase too.
    expect((await stats({ key: 'rev', kind: 'revenue', windowDays: 30 }))[1]).toEqual({
      variation: 'treatment',
      n: 2,
      sum: 25,
      sumSquares: 625,
    });
  });

  it('measures engagement: pageviews and session seconds per subject', async () => {
    expect(await stats({ key: 'pv', kind: 'engagement', measure: 'pageviews' })).toEqual([
      { variation: 'control', n: 2, sum: 4, sumSquares: 10 },
      { variation: 'treatment', n: 2, sum: 0, sumSquares: 0 },
    ]);
    expect(await stats({ key: 'time', kind: 'engagement', measure: 'session_seconds' })).toEqual([
      { variation: 'control', n: 2, sum: 3000, sumSquares: 9_000_000 },
      { variation: 'treatment', n: 2, sum: 0, sumSquares: 0 },
    ]);
  });

  it('counts returns on a later day within N days as retention', async () => {
    expect(await stats({ key: 'back', kind: 'retention', days: 7 })).toEqual([
      { variation: 'control', n: 2, sum: 1, sumSquares: 1 },
      { variation: 'treatment', n: 2, sum: 0, sumSquares: 0 },
    ]);
  });

  it('stops at `until`: exposures and events after it do not count', async () => {
    const early = await sufficientStats(db, {
      experimentKey: 'exp1',
      domainIds: [ids['a.example'] as string],
      variations: ['control', 'treatment'],
      metric: ExperimentMetric.parse({ key: 'buy', kind: 'conversion', event: 'purchase' }),
      from: at(-DAY),
      until: at(30),
    });
    expect(early).toEqual([
      { variation: 'control', n: 1, sum: 0, sumSquares: 0 },
      { variation: 'treatment', n: 1, sum: 0, sumSquares: 0 },
    ]);
  });

  it('computes every metric of the experiment in one statement, each with its own window', async () => {
    const metrics = [
      { key: 'buy', kind: 'conversion', event: 'purchase' },
      { key: 'rev', kind: 'revenue', per: 'user' },
      { key: 'time', kind: 'engagement', measure: 'session_seconds', windowDays: 1 },
      { key: 'rev30', kind: 'revenue', windowDays: 30 },
      { key: 'back', kind: 'retention', days: 7 },
    ].map((m) => ExperimentMetric.parse(m));
    const all = await db.transaction(async (tx) => {
      await tx.query("SELECT set_config('enable_nestloop', 'on', true)");
      const out = await experimentSufficientStats(tx, {
        experimentKey: 'exp1',
        domainIds: [ids['a.example'] as string, ids['b.example'] as string],
        variations: ['control', 'treatment'],
        metrics,
        from: at(-DAY),
        until: at(30 * DAY),
      });
      // The planner settings it changes are the caller's again afterwards.
      const after = await tx.query<{ on: string }>("SELECT current_setting('enable_nestloop') AS on");
      expect(after.rows[0]?.on).toBe('on');
      return out;
    });
    expect(all).toEqual([
      [
        { variation: 'control', n: 2, sum: 1, sumSquares: 1 },
        { variation: 'treatment', n: 2, sum: 1, sumSquares: 1 },
      ],
      [
        { variation: 'control', n: 0, sum: 0, sumSquares: 0 },
        { variation: 'treatment', n: 1, sum: 20, sumSquares: 400 },
      ],
      // One day: v1's second session (next day, one pageview) spans 0 s; the first spans 3000 s.
      [
        { variation: 'control', n: 2, sum: 3000, sumSquares: 9_000_000 },
        { variation: 'treatment', n: 2, sum: 0, sumSquares: 0 },
      ],
      [
        { variation: 'control', n: 2, sum: 10, sumSquares: 100 },
        { variation: 'treatment', n: 2, sum: 25, sumSquares: 625 },
      ],
      [
        { variation: 'control', n: 2, sum: 1, sumSquares: 1 },
        { variation: 'treatment', n: 2, sum: 0, sumSquares: 0 },
      ],
    ]);
  });
});
