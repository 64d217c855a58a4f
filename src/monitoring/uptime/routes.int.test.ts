import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemActor } from '../../auth/actor.ts';
import { addOperator } from '../../auth/add-operator.ts';
import { createApiKey } from '../../auth/create-api-key.ts';
import type { Db } from '../../db/types.ts';
import { emptyEvent } from '../../ingest/event-row.ts';
import { insertEvents } from '../../ingest/insert-events.sql.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { routeTestApp } from '../../test-support/route-test-app.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { webVitalsRoutes } from '../web-vitals/routes.ts';
import { uptimeRoutes } from './routes.ts';

// The monitoring endpoints over HTTP, wired as build-server.ts wires plugins (authentication, the
// one error shape, zod validation and serialisation). Data is recent (the routes use the real clock).

describeIntegration('monitoring API', () => {
  let db: Db;
  let app: FastifyInstance;
  let ownerToken: string;
  let analystA: string;
  let publicKey: string;
  const hour = (h: number) => new Date(Date.now() - h * 3_600_000);

  beforeAll(async () => {
    db = await createTestDb();
    const ids = await insertDomains(db, ['a.example', 'b.example']);
    for (const [host, id] of Object.entries(ids)) {
      await db.query(
        'INSERT INTO uptime_checks (domain_id, checked_at, ok, status_code, response_ms) VALUES ($1, $2, true, 200, 120)',
        [id, hour(48)],
      );
      await db.query(
        "INSERT INTO uptime_incidents (domain_id, opened_at, closed_at, cause) VALUES ($1, $2, $3, 'status')",
        [id, hour(30), hour(29)],
      );
      await insertEvents(db, [
        {
          ...emptyEvent(id, 'Web Vitals', hour(5)),
          props: { lcp: host === 'a.example' ? 900 : 2000 },
          interactive: false,
        },
      ]);
    }
    const ctx = { db, actor: systemActor('test'), now: new Date() };
    ownerToken = (await addOperator({ ctx, input: { email: 'owner@example.com', role: 'owner' } })).token;
    analystA = (
      await addOperator({ ctx, input: { email: 'ana@example.com', role: 'analyst', domains: ['a.example'] } })
    ).token;
    publicKey = (await createApiKey({ ctx, input: { domain: 'a.example', kind: 'public' } })).secret;
    app = await routeTestApp(db, uptimeRoutes({ db }), webVitalsRoutes({ db }));
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

  it('gives the owner every domain, with an hour of downtime against the target', async () => {
    const res = await get('/api/v1/monitoring/uptime', ownerToken);
    expect(res.status).toBe(200);
    expect(res.json.domains.map((d: { domain: { host: string } }) => d.domain.host)).toEqual([
      'a.example',
      'b.example',
    ]);
    expect(res.json.domains[0]).toMatchObject({
      downtime30dS: 3600,
      verdict: 'missed',
      p95Ms30d: 120,
      openIncident: null,
    });
  });

  it('limits an operator scoped to a.example to a.example on every endpoint', async () => {
    const summary = await get('/api/v1/monitoring/uptime', analystA);
    expect(summary.json.domains.map((d: { domain: { host: string } }) => d.domain.host)).toEqual([
      'a.example',
    ]);
    expect((await get('/api/v1/monitoring/uptime/a.example?period=7d', analystA)).status).toBe(200);
    const other = await get('/api/v1/monitoring/uptime/b.example', analystA);
    expect(other.status).toBe(404);
    expect(other.json.error.code).toBe('not_found');
    const incidents = await get('/api/v1/monitoring/incidents?period=7d', analystA);
    expect(incidents.json.incidents.map((i: { host: string }) => i.host)).toEqual(['a.example']);
    const vitals = await get('/api/v1/monitoring/web-vitals?period=7d', analystA);
    expect(vitals.json.domains.map((d: { domain: { host: string } }) => d.domain.host)).toEqual([
      'a.example',
    ]);
    expect((await get('/api/v1/monitoring/web-vitals?domains=b.example', analystA)).status).toBe(404);
  });

  it('answers the per-day series and the web vitals with their verdicts', async () => {
    const h = await get('/api/v1/monitoring/uptime/b.example?period=7d', ownerToken);
    expect(h.status).toBe(200);
    expect(h.json.series).toHaveLength(7);
    expect(h.json.incidents).toHaveLength(1);
    const v = await get('/api/v1/monitoring/web-vitals?period=7d', ownerToken);
    expect(v.json.domains.map((d: { seedTarget: { verdict: string } }) => d.seedTarget.verdict)).toEqual([
      'met',
      'missed',
    ]);
  });

  it('refuses public keys, anonymous callers and bad input', async () => {
    expect((await get('/api/v1/monitoring/uptime', publicKey)).status).toBe(403);
    expect((await get('/api/v1/monitoring/uptime')).status).toBe(401);
    const bad = await get('/api/v1/monitoring/uptime/NOT_A_HOST', ownerToken);
    expect(bad.status).toBe(400);
    expect((await get('/api/v1/monitoring/web-vitals?from=2026-13-01', ownerToken)).status).toBe(400);
  });
});
