import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemActor } from '../../auth/actor.ts';
import { addOperator } from '../../auth/add-operator.ts';
import { createApiKey } from '../../auth/create-api-key.ts';
import type { Db } from '../../db/types.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { routeTestApp } from '../../test-support/route-test-app.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { SELECTED, seedEngagementFixture } from './engagement-fixture.ts';
import { engagementRoutes } from './routes.ts';

// The engagement endpoints over HTTP, wired as build-server.ts wires plugins (authentication, the one
// error shape, zod validation and response serialisation). The range 2026-11-20..22 is in the past,
// so the real clock the routes use does not change a figure.

describeIntegration('engagement API', () => {
  let db: Db;
  let app: FastifyInstance;
  let ownerToken: string;
  let analystA: string;
  let publicKey: string;

  beforeAll(async () => {
    db = await createTestDb();
    await seedEngagementFixture(db);
    const ctx = { db, actor: systemActor('test'), now: new Date() };
    ownerToken = (await addOperator({ ctx, input: { email: 'owner@example.com', role: 'owner' } })).token;
    analystA = (
      await addOperator({
        ctx,
        input: { email: 'ana@example.com', role: 'analyst', domains: ['a.example'] },
      })
    ).token;
    publicKey = (await createApiKey({ ctx, input: { domain: 'a.example', kind: 'public' } })).secret;
    app = await routeTestApp(db, engagementRoutes({ db }));
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const get = async (url: string, token?: string) => {
    const res = await app.inject({
      method: 'GET',
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: res.statusCode, json: res.json() };
  };
  const range = 'from=2026-11-20&to=2026-11-22';

  it('answers the summary with the hand-computed figures', async () => {
    const res = await get(`/api/v1/metrics/engagement?${range}&domains=${SELECTED}`, ownerToken);
    expect(res.status).toBe(200);
    // See engagement.int.test.ts for the arithmetic.
    expect(res.json.totals).toMatchObject({
      dau: 3,
      mau: 10,
      activeUsers: 5,
      retention30d: 0.6,
      revenuePerUser: 25,
      crossDomainRate: 0.4,
    });
    expect(res.json.previous).toEqual({ from: '2026-11-17', to: '2026-11-19', tz: 'UTC', days: 3 });
    expect(res.json.series).toHaveLength(3);
  });

  it('answers cohorts and the overlap matrix', async () => {
    const cohorts = await get(
      `/api/v1/metrics/engagement/cohorts?to=2026-11-22&interval=month&periods=3&domains=${SELECTED}`,
      ownerToken,
    );
    expect(cohorts.status).toBe(200);
    expect(cohorts.json.cohorts.map((r: { users: number }) => r.users)).toEqual([6, 2, 4]);
    const overlap = await get(`/api/v1/metrics/engagement/overlap?${range}&domains=${SELECTED}`, ownerToken);
    expect(overlap.status).toBe(200);
    expect(overlap.json.users).toEqual([5, 2, 2, 1, 1]);
  });

  it('limits a domain-scoped analyst to the domain, and hides the others as unknown', async () => {
    const mine = await get(`/api/v1/metrics/engagement/overlap?${range}`, analystA);
    expect(mine.status).toBe(200);
    expect(mine.json.domains.map((d: { host: string }) => d.host)).toEqual(['a.example']);
    expect(mine.json.matrix).toEqual([[5]]);
    const other = await get(`/api/v1/metrics/engagement?${range}&domains=b.example`, analystA);
    expect(other.status).toBe(404);
    expect(other.json.error).toMatchObject({ code: 'not_found', field: 'domains' });
  });

  it('needs a reader: no credential is 401, a public ingest key 403', async () => {
    expect((await get(`/api/v1/metrics/engagement?${range}`)).status).toBe(401);
    const res = await get(`/api/v1/metrics/engagement/cohorts`, publicKey);
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('forbidden');
  });

  it('rejects impossible queries with the offending field', async () => {
    const backwards = await get('/api/v1/metrics/engagement?from=2026-11-22&to=2026-11-20', ownerToken);
    expect(backwards.status).toBe(400);
    expect(backwards.json.error).toMatchObject({ code: 'invalid_request', field: 'from' });
    const interval = await get('/api/v1/metrics/engagement/cohorts?interval=year', ownerToken);
    expect(interval.status).toBe(400);
    expect(interval.json.error.field).toBe('querystring.interval');
    const periods = await get('/api/v1/metrics/engagement/cohorts?periods=53', ownerToken);
    expect(periods.status).toBe(400);
    expect(periods.json.error.field).toBe('querystring.periods');
  });
});
