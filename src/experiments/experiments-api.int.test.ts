import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeIntegration } from '../test-support/integration.ts';
import { startTestServer, type TestServer } from '../test-support/test-server.ts';
import { assignVariation } from './assignment/standalone.ts';
import { runExperimentDecisions } from './decisions/run-experiment-decisions.ts';
import { Experiment } from './experiment-schema.ts';
import { EXPOSURE_EVENT } from './sufficient-stats.sql.ts';
import { toAssignmentDefinition } from './to-assignment-definition.ts';

// The experiments API end to end over HTTP on the example portfolio: its experiments arrive as
// drafts; API experiments are created, started (a 6th on one domain is refused), assigned,
// analysed from exposures and conversions written as events, stopped by a guardrail breach in
// the decision job; history and audit rows follow; a domain-limited operator sees only its own.

// Ten days ago: the results endpoint reads up to the real clock.
const T0 = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 - 10 * 86_400_000);

const definition = (key: string, extra: Record<string, unknown> = {}) => ({
  key,
  name: `Experiment ${key}`,
  domains: ['fixie.run'],
  variations: [
    { key: 'control', name: 'Control', weight: 0.5 },
    { key: 'treatment', name: 'Treatment', weight: 0.5 },
  ],
  metrics: { primary: { key: 'signup', kind: 'conversion', event: 'signup' } },
  ...extra,
});

describeIntegration('experiments API', () => {
  let server: TestServer;
  let limitedToken = '';
  const owner = (method: string, path: string, body?: unknown) =>
    server.request(method, path, { token: server.ownerToken, ...(body === undefined ? {} : { body }) });

  /** n exposed visitors per variation on fixie.run, the first `converted` of each converting to `goal`. */
  async function seedOutcomes(
    experiment: string,
    arms: { variation: string; n: number; converted: number }[],
    goal: string,
    host = 'fixie.run',
  ) {
    for (const arm of arms) {
      await server.db.query(
        `INSERT INTO events (domain_id, occurred_at, name, visitor_id, props)
         SELECT d.id, $2::timestamptz + make_interval(secs => i), $3, $4 || '-' || i,
                jsonb_build_object('experiment', $1::text, 'variation', $5::text)
           FROM domains d, generate_series(1, $6::integer) i WHERE d.host = $7`,
        [
          experiment,
          new Date(T0.getTime() + 3_600_000),
          EXPOSURE_EVENT,
          `${experiment}-${arm.variation}`,
          arm.variation,
          arm.n,
          host,
        ],
      );
      await server.db.query(
        `INSERT INTO events (domain_id, occurred_at, name, visitor_id)
         SELECT d.id, $1::timestamptz + make_interval(secs => i), $2, $3 || '-' || i
           FROM domains d, generate_series(1, $4::integer) i WHERE d.host = $5`,
        [new Date(T0.getTime() + 7_200_000), goal, `${experiment}-${arm.variation}`, arm.converted, host],
      );
    }
  }

  beforeAll(async () => {
    server = await startTestServer();
    const limited = await owner('POST', '/api/v1/operators', {
      email: 'fixie-ops@example.com',
      role: 'admin',
      domains: ['fixie.run'],
    });
    expect(limited.status).toBe(201);
    limitedToken = limited.json.token;
  });
  afterAll(async () => server?.close());

  it("brings the portfolio file's experiments in as drafts", async () => {
    const list = await owner('GET', '/api/v1/experiments');
    expect(list.status).toBe(200);
    const byKey = Object.fromEntries(list.json.experiments.map((e: { key: string }) => [e.key, e]));
    expect(byKey['checkout-flow']).toMatchObject({ status: 'draft', source: 'portfolio' });
    expect(byKey['checkout-flow'].definition.variations.map((v: { weight: number }) => v.weight)).toEqual([
      0.5, 0.25, 0.25,
    ]);
    expect(byKey['mobile-first']).toMatchObject({ status: 'draft', source: 'portfolio' });
    // The file's experiments are edited in the file.
    const put = await owner('PUT', '/api/v1/experiments/checkout-flow', byKey['checkout-flow'].definition);
    expect(put.status).toBe(409);
  });

  it('creates and starts an experiment, with status history and audit rows', async () => {
    const created = await owner('POST', '/api/v1/experiments', definition('exp-1'));
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      key: 'exp-1',
      status: 'draft',
      source: 'api',
      createdBy: 'operator:owner@example.com',
    });
    expect((await owner('POST', '/api/v1/experiments', definition('exp-1'))).status).toBe(409);
    const bad = await owner('POST', '/api/v1/experiments', {
      ...definition('exp-x'),
      domains: ['nowhere.example'],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe('domains.0');

    const started = await owner('POST', '/api/v1/experiments/exp-1/start', {});
    expect(started.status).toBe(200);
    expect(started.json.status).toBe('running');
    expect((await owner('PUT', '/api/v1/experiments/exp-1', definition('exp-1'))).status).toBe(409);

    const history = await owner('GET', '/api/v1/experiments/exp-1/history');
    expect(history.json.history.map((h: { from: string | null; to: string }) => [h.from, h.to])).toEqual([
      [null, 'draft'],
      ['draft', 'running'],
    ]);
    const audit = await server.db.query<{ action: string; actor: string }>(
      "SELECT action, actor FROM audit_log WHERE target_type = 'experiment' AND target_id = 'exp-1' ORDER BY id",
    );
    expect(audit.rows).toEqual([
      { action: 'experiment.create', actor: 'operator:owner@example.com' },
      { action: 'experiment.start', actor: 'operator:owner@example.com' },
    ]);
  });

  it('refuses a 6th running experiment on a domain with 409 naming the field', async () => {
    for (const key of ['exp-2', 'exp-3', 'exp-4', 'exp-5', 'exp-6']) {
      expect((await owner('POST', '/api/v1/experiments', definition(key))).status).toBe(201);
    }
    for (const key of ['exp-2', 'exp-3', 'exp-4', 'exp-5']) {
      expect((await owner('POST', `/api/v1/experiments/${key}/start`, {})).status).toBe(200);
    }
    const sixth = await owner('POST', '/api/v1/experiments/exp-6/start', {});
    expect(sixth.status).toBe(409);
    expect(sixth.json.error.field).toBe('domains');
    expect(sixth.json.error.message).toContain('fixie.run already runs 5 experiments');
    // Stopping one frees a place.
    expect((await owner('POST', '/api/v1/experiments/exp-5/stop', { reason: 'make room' })).status).toBe(200);
    expect((await owner('POST', '/api/v1/experiments/exp-6/start', {})).status).toBe(200);
  });

  it("assigns deterministically, as K's GrowthBook-compatible core does, and records exposures on request", async () => {
    const e = Experiment.parse(definition('exp-1'));
    for (const id of ['visitor-1', 'visitor-2', 'user@example.com', '42', 'zoë']) {
      const first = await owner('GET', `/api/v1/experiments/exp-1/assignment?id=${encodeURIComponent(id)}`);
      const again = await owner('GET', `/api/v1/experiments/exp-1/assignment?id=${encodeURIComponent(id)}`);
      expect(first.status).toBe(200);
      expect(again.json).toEqual(first.json);
      const core = assignVariation(toAssignmentDefinition(e), { id });
      expect(first.json).toMatchObject({
        variationId: core.variationId,
        inExperiment: core.inExperiment,
        reason: 'assigned',
      });
      expect(first.json).toMatchObject({ id, variationKey: e.variations[core.variationId]?.key });
    }
    const draft = await owner('GET', '/api/v1/experiments/checkout-flow/assignment?id=v1');
    expect(draft.json).toMatchObject({
      variationKey: 'current-flow',
      inExperiment: false,
      reason: 'not_running',
    });

    const recorded = await owner('GET', '/api/v1/experiments/exp-1/assignment?id=rec-1&record=1');
    expect(recorded.json.recorded).toBe(true);
    const rows = await server.db.query<{ props: Record<string, unknown>; host: string }>(
      `SELECT e.props, d.host FROM events e JOIN domains d ON d.id = e.domain_id
        WHERE e.name = $1 AND e.visitor_id = 'rec-1'`,
      [EXPOSURE_EVENT],
    );
    expect(rows.rows).toEqual([
      { props: { experiment: 'exp-1', variation: recorded.json.variationId }, host: 'fixie.run' },
    ]);
  });

  it('serves the public config of running, untargeted experiments to the tracker extension', async () => {
    const res = await fetch(`${server.url}/api/v1/experiments/config?domain=fixie.run`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    const body = (await res.json()) as { experiments: { key: string }[] };
    expect(body.experiments.map((e) => e.key)).toEqual(['exp-1', 'exp-2', 'exp-3', 'exp-4', 'exp-6']);
    expect(body.experiments[0]).toEqual({
      key: 'exp-1',
      variations: 2,
      weights: [0.5, 0.5],
      coverage: 1,
      hashVersion: 2,
      seed: 'exp-1',
    });
    const none = await fetch(`${server.url}/api/v1/experiments/config?domain=unknown.example`);
    expect(await none.json()).toEqual({ experiments: [] });
  });

  it('analyses results from exposures and conversions, and recommends shipping a clear winner', async () => {
    await server.db.query("UPDATE experiments SET started_at = $1 WHERE key = 'exp-2'", [T0]);
    await seedOutcomes(
      'exp-2',
      [
        { variation: 'control', n: 2000, converted: 200 },
        { variation: 'treatment', n: 2000, converted: 300 },
      ],
      'signup',
    );
    const res = await owner('GET', '/api/v1/experiments/exp-2/results');
    expect(res.status).toBe(200);
    const primary = res.json.metrics[0];
    expect(primary.variations).toEqual([
      { variation: 'control', n: 2000, sum: 200, sumSquares: 200, mean: 0.1 },
      { variation: 'treatment', n: 2000, sum: 300, sumSquares: 300, mean: 0.15 },
    ]);
    expect(primary.effects[0].variation).toBe('treatment');
    expect(primary.effects[0].improvement).toBeCloseTo(0.5, 1);
    expect(primary.effects[0].chanceToWin).toBeGreaterThan(0.999);
    expect(res.json.srm).toMatchObject({ warning: false });
    expect(res.json.recommendation).toMatchObject({ action: 'ship', variation: 'treatment' });
    expect(res.json.progress.neededTotal).toBeGreaterThan(0);
  });

  it('stops an experiment whose guardrail is significantly worse (decision job)', async () => {
    const created = await owner(
      'POST',
      '/api/v1/experiments',
      definition('guarded', {
        metrics: {
          primary: { key: 'signup', kind: 'conversion', event: 'signup' },
          guardrails: [{ key: 'errors', kind: 'conversion', event: 'checkout_error', direction: 'decrease' }],
        },
      }),
    );
    expect(created.status).toBe(201);
    // exp-3 leaves room on fixie.run for this one.
    expect((await owner('POST', '/api/v1/experiments/exp-3/stop', {})).status).toBe(200);
    expect((await owner('POST', '/api/v1/experiments/guarded/start', {})).status).toBe(200);
    await server.db.query("UPDATE experiments SET started_at = $1 WHERE key = 'guarded'", [T0]);
    await seedOutcomes(
      'guarded',
      [
        { variation: 'control', n: 1500, converted: 30 },
        { variation: 'treatment', n: 1500, converted: 120 },
      ],
      'checkout_error',
    );
    const report = await runExperimentDecisions({
      db: server.db,
      now: new Date(T0.getTime() + 86_400_000),
      maxConcurrentPerDomain: 5,
    });
    expect(report.stopped).toContainEqual(
      expect.objectContaining({ key: 'guarded', action: 'stop_guardrail' }),
    );
    // exp-2's clear winner is stopped too, with the recommendation to ship.
    expect(report.stopped).toContainEqual(expect.objectContaining({ key: 'exp-2', action: 'ship' }));
    const guarded = await owner('GET', '/api/v1/experiments/guarded');
    expect(guarded.json.status).toBe('stopped');
    expect(guarded.json.stopReason).toContain('guardrail errors');
    const history = await owner('GET', '/api/v1/experiments/guarded/history');
    expect(history.json.history.at(-1)).toMatchObject({
      from: 'running',
      to: 'stopped',
      actor: 'system:experiment-decisions',
      details: { recommendation: { action: 'stop_guardrail', metric: 'errors', variation: 'treatment' } },
    });
    // A person ships the recommended variation.
    const shipped = await owner('POST', '/api/v1/experiments/exp-2/ship', { variation: 'treatment' });
    expect(shipped.json).toMatchObject({ status: 'shipped', shippedVariation: 'treatment' });
    const assigned = await owner('GET', '/api/v1/experiments/exp-2/assignment?id=anyone');
    expect(assigned.json).toMatchObject({
      variationKey: 'treatment',
      reason: 'shipped',
      inExperiment: false,
    });
  });

  it('re-weights a bandit by Thompson sampling on its schedule, with the floor and an audit row', async () => {
    const bandit = definition('bandit-1', {
      domains: ['aiftw.be'],
      mode: 'bandit',
      bandit: { everyHours: 24, floor: 0.05 },
    });
    expect((await owner('POST', '/api/v1/experiments', bandit)).status).toBe(201);
    expect((await owner('POST', '/api/v1/experiments/bandit-1/start', {})).status).toBe(200);
    await server.db.query("UPDATE experiments SET started_at = $1 WHERE key = 'bandit-1'", [T0]);
    // Treatment ahead, but short of the 0.99 rule: it keeps running and gets more traffic.
    await seedOutcomes(
      'bandit-1',
      [
        { variation: 'control', n: 1000, converted: 100 },
        { variation: 'treatment', n: 1000, converted: 115 },
      ],
      'signup',
      'aiftw.be',
    );
    const decide = (hours: number) =>
      runExperimentDecisions({
        db: server.db,
        now: new Date(T0.getTime() + hours * 3_600_000),
        maxConcurrentPerDomain: 5,
        seed: 11,
      });
    expect((await decide(12)).reweighted).toEqual([]); // not yet 24 hours since the start
    const first = await decide(25);
    const weights = first.reweighted.find((r) => r.key === 'bandit-1')?.weights as number[];
    expect(weights[1]).toBeGreaterThan(0.7);
    expect(weights[0]).toBeGreaterThanOrEqual(0.05);
    expect((weights[0] as number) + (weights[1] as number)).toBeCloseTo(1, 10);
    const stored = await owner('GET', '/api/v1/experiments/bandit-1');
    expect(stored.json.status).toBe('running');
    expect(stored.json.definition.variations.map((v: { weight: number }) => v.weight)).toEqual(weights);
    expect((await decide(30)).reweighted).toEqual([]); // the next one is due 24 hours later
    expect((await decide(50)).reweighted.map((r) => r.key)).toContain('bandit-1');
    const audit = await server.db.query(
      "SELECT count(*)::integer AS n FROM audit_log WHERE action = 'experiment.reweight' AND target_id = 'bandit-1'",
    );
    expect(audit.rows[0]).toEqual({ n: 2 });
    // The public config serves the new weights to the tracker.
    const config = (await (
      await fetch(`${server.url}/api/v1/experiments/config?domain=aiftw.be`)
    ).json()) as {
      experiments: { key: string; weights: number[] }[];
    };
    expect(config.experiments.find((e) => e.key === 'bandit-1')?.weights).toHaveLength(2);
  });

  it('keeps a domain-limited operator to experiments whose every domain it sees', async () => {
    const as = (method: string, path: string, body?: unknown) =>
      server.request(method, path, { token: limitedToken, ...(body === undefined ? {} : { body }) });
    const list = await as('GET', '/api/v1/experiments');
    const keys = list.json.experiments.map((e: { key: string }) => e.key);
    expect(keys).toContain('exp-1');
    expect(keys).not.toContain('checkout-flow'); // also on adaptogenic-mushrooms.com and rhymechain.win
    expect(keys).not.toContain('mobile-first');
    expect((await as('GET', '/api/v1/experiments/checkout-flow')).status).toBe(404);
    expect((await as('GET', '/api/v1/experiments/checkout-flow/results')).status).toBe(404);
    expect((await as('POST', '/api/v1/experiments/checkout-flow/start', {})).status).toBe(404);
    const elsewhere = await as('POST', '/api/v1/experiments', {
      ...definition('elsewhere'),
      domains: ['aiftw.be'],
    });
    expect(elsewhere.status).toBe(400);
    expect((await as('GET', '/api/v1/experiments/exp-1/results')).status).toBe(200);
  });
});
