import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../auth/actor.ts';
import { addOperator } from '../../auth/add-operator.ts';
import { bootstrapOwner } from '../../auth/bootstrap-owner.ts';
import type { Db } from '../../db/types.ts';
import { type EventRow, emptyEvent } from '../../ingest/event-row.ts';
import { insertEvents } from '../../ingest/insert-events.sql.ts';
import { installAuthentication } from '../../server/authenticate-request.ts';
import { installErrorHandling } from '../../server/error-handler.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { archiveEvents } from '../rollups/archive-events.ts';
import { refreshRollups } from '../rollups/refresh-rollups.ts';
import { trafficRoutes } from './routes.ts';
import { Dimension } from './traffic-schemas.ts';

const SHOP = 'shop.example';
const BLOG = 'blog.example';
const OWNER = `traffic-owner-token-${'x'.repeat(32)}`;

// The fixture (UTC). Shop sessions:
//   A  v:a Nov 2 10:00 "/" (Google) → 10:05 "/pricing" → 10:07 Signup: 420 s, 2 page views, no bounce
//   B  v:b Nov 2 11:00 "/" (direct): bounce, 0 s
//   E  v:e Nov 2 23:30 "/" (direct): bounce — already Nov 3 in Brussels
//   U  user Nov 3 09:00 "/pricing" (newsletter/email/launch) → 09:10 Signup → 09:20 Purchase €49.90: 1200 s
//   A2 v:a Nov 3 15:00 "/" (direct): bounce
//   Z  v:z Nov 1 23:30 "/" (direct): bounce — the previous period in UTC, Nov 2 in Brussels
// Blog: C v:c Nov 2 12:00 "/post" → 12:01 "/about": 60 s.
const USER = '00000000-0000-4000-8000-0000000000aa';

function fixture(shop: string, blog: string): EventRow[] {
  const ev = (domain: string, who: string, at: string, name: string, path: string | null, extra = {}) => ({
    ...emptyEvent(domain, name, new Date(at)),
    ...(who.startsWith('u:') ? { userId: who.slice(2) } : { visitorId: who }),
    pathname: path,
    url: path ? `https://${domain === shop ? SHOP : BLOG}${path}` : null,
    channel: 'Direct',
    browser: 'Chrome',
    os: 'Windows',
    device: 'Desktop',
    ...extra,
  });
  const google = { source: 'Google', channel: 'Organic Search', referrer: 'https://www.google.com/' };
  const letter = {
    source: 'newsletter',
    medium: 'email',
    campaign: 'launch',
    channel: 'Email',
    url: 'https://shop.example/pricing?utm_source=newsletter&utm_medium=email&utm_campaign=launch',
    browser: 'Safari',
    os: 'iOS',
    device: 'Mobile',
  };
  return [
    ev(shop, 'a', '2026-11-02T10:00:00Z', 'pageview', '/', google),
    ev(shop, 'a', '2026-11-02T10:05:00Z', 'pageview', '/pricing', google),
    ev(shop, 'a', '2026-11-02T10:07:00Z', 'Signup', null),
    ev(shop, 'b', '2026-11-02T11:00:00Z', 'pageview', '/', { browser: 'Firefox', os: 'macOS' }),
    ev(shop, 'e', '2026-11-02T23:30:00Z', 'pageview', '/'),
    ev(shop, `u:${USER}`, '2026-11-03T09:00:00Z', 'pageview', '/pricing', letter),
    ev(shop, `u:${USER}`, '2026-11-03T09:10:00Z', 'Signup', null, letter),
    ev(shop, `u:${USER}`, '2026-11-03T09:20:00Z', 'Purchase', null, { ...letter, valueEur: '49.90' }),
    ev(shop, 'a', '2026-11-03T15:00:00Z', 'pageview', '/'),
    ev(shop, 'z', '2026-11-01T23:30:00Z', 'pageview', '/'),
    ev(blog, 'c', '2026-11-02T12:00:00Z', 'pageview', '/post'),
    ev(blog, 'c', '2026-11-02T12:01:00Z', 'pageview', '/about'),
  ];
}

describeIntegration('traffic metrics', () => {
  let db: Db;
  let app: FastifyInstance;
  let blogAnalyst: string;

  beforeAll(async () => {
    db = await createTestDb();
    const ids = await insertDomains(db, [SHOP, BLOG]);
    await bootstrapOwner(db, { ownerEmail: 'owner@example.com', ownerToken: OWNER });
    const ctx = { db, actor: systemActor('test'), now: new Date() };
    blogAnalyst = (
      await addOperator({ ctx, input: { email: 'blog@example.com', role: 'analyst', domains: [BLOG] } })
    ).token;
    // Two inserts and two runs: session A spans the runs.
    const rows = fixture(ids[SHOP] as string, ids[BLOG] as string);
    await db.transaction((tx) => insertEvents(tx, rows.slice(0, 2)));
    await refreshRollups(db);
    await db.transaction((tx) => insertEvents(tx, rows.slice(2)));
    await refreshRollups(db);

    app = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    installErrorHandling(app);
    await app.register(cookie);
    installAuthentication(app, db);
    await app.register(trafficRoutes({ db }));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  async function get(path: string, token = OWNER) {
    const res = await app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${token}` } });
    return { status: res.statusCode, json: res.json() };
  }
  const shopRange = `domains=${SHOP}&from=2026-11-02&to=2026-11-03`;

  describe('totals, comparison and series', () => {
    it('adds up sessions, bounces and durations (UTC)', async () => {
      const { status, json } = await get(`/api/v1/metrics/traffic?${shopRange}`);
      expect(status).toBe(200);
      // Persons a, b, e, user = 4 (a on both days once). Page views 2+1+1+1+1 = 6. Sessions A, B, E, U, A2
      // = 5; bounces B, E, A2 = 3 → 0.6. Duration (420 + 1200) / 5 = 324 s. 6 / 5 = 1.2 views per visit.
      // Events 3 + 1 + 1 + 3 + 1 = 9. Revenue 49.90.
      expect(json.totals).toEqual({
        visitors: 4,
        pageviews: 6,
        sessions: 5,
        bounceRate: 0.6,
        visitDurationS: 324,
        viewsPerVisit: 1.2,
        events: 9,
        revenueEur: 49.9,
      });
      // Previous period Oct 31–Nov 1: session Z only.
      expect(json.previous).toEqual({ from: '2026-10-31', to: '2026-11-01', tz: 'UTC', days: 2 });
      expect(json.comparison).toEqual({
        visitors: 1,
        pageviews: 1,
        sessions: 1,
        bounceRate: 1,
        visitDurationS: 0,
        viewsPerVisit: 1,
        events: 1,
        revenueEur: 0,
      });
      expect(json.interval).toBe('hour');
      expect(json.series).toHaveLength(48);
      expect(json.series[10]).toEqual({
        bucket: '2026-11-02T10:00:00.000Z',
        visitors: 1,
        pageviews: 2,
        sessions: 1,
        bounceRate: 0,
        visitDurationS: 420,
      });
      expect(json.series[33]).toMatchObject({
        bucket: '2026-11-03T09:00:00.000Z',
        visitors: 1,
        visitDurationS: 1200,
      });
    });

    it('daily series and every domain together', async () => {
      const day = await get(`/api/v1/metrics/traffic?${shopRange}&interval=day&compare=none`);
      // Nov 2: a, b, e; sessions A, B, E (2 bounces), (420 + 0 + 0) / 3 = 140 s. Nov 3: user, a; U, A2.
      expect(day.json.series).toEqual([
        {
          bucket: '2026-11-02T00:00:00.000Z',
          visitors: 3,
          pageviews: 4,
          sessions: 3,
          bounceRate: 0.6667,
          visitDurationS: 140,
        },
        {
          bucket: '2026-11-03T00:00:00.000Z',
          visitors: 2,
          pageviews: 2,
          sessions: 2,
          bounceRate: 0.5,
          visitDurationS: 600,
        },
      ]);
      expect(day.json.comparison).toBeNull();
      const all = await get('/api/v1/metrics/traffic?from=2026-11-02&to=2026-11-03&compare=none');
      // Plus blog's c: 5 visitors, 8 page views, 6 sessions, 3 bounces, (1620 + 60) / 6 = 280 s.
      expect(all.json.totals).toMatchObject({
        visitors: 5,
        pageviews: 8,
        sessions: 6,
        bounceRate: 0.5,
        visitDurationS: 280,
      });
      expect(all.json.domains.map((d: { host: string }) => d.host)).toEqual([BLOG, SHOP]);
    });

    it('reads the range in the time zone asked for', async () => {
      // Brussels Nov 2–3 = [Nov 1 23:00Z, Nov 3 23:00Z): Z moves in; visitors from whole UTC day Nov 2
      // (a, b, e) plus the edge hours (z; user, a) = 5. Sessions Z, A, B, E, U, A2 = 6, bounces 4.
      const { json } = await get(`/api/v1/metrics/traffic?${shopRange}&tz=Europe/Brussels&compare=none`);
      expect(json.totals).toMatchObject({
        visitors: 5,
        pageviews: 7,
        sessions: 6,
        bounceRate: 0.6667,
        visitDurationS: 270,
      });
      expect(json.series[0].bucket).toBe('2026-11-01T23:00:00.000Z');
      const nov3 = await get(
        `/api/v1/metrics/traffic?domains=${SHOP}&from=2026-11-03&to=2026-11-03&tz=Europe/Brussels`,
      );
      // [Nov 2 23:00Z, Nov 3 23:00Z): e, user, a.
      expect(nov3.json.totals).toMatchObject({ visitors: 3, pageviews: 3, sessions: 3, events: 5 });
    });

    it('rejects impossible queries', async () => {
      expect((await get('/api/v1/metrics/traffic?from=2026-11-03&to=2026-11-02')).status).toBe(400);
      const many = await get('/api/v1/metrics/traffic?from=2026-01-01&to=2026-12-31&interval=hour');
      expect(many.status).toBe(400);
      expect(many.json.error.field).toBe('interval');
    });
  });

  describe('breakdowns', () => {
    it('sources: visitors per day summed, session figures where sessions start', async () => {
      const { json } = await get(`/api/v1/metrics/traffic/breakdown?${shopRange}&dimension=source`);
      // Direct: Nov 2 {b, e} + Nov 3 {a} = 3 visitors, sessions B, E, A2. Google: A. newsletter: U.
      expect(json.total).toBe(3);
      expect(json.rows).toEqual([
        {
          value: 'Direct / None',
          visitors: 3,
          pageviews: 3,
          sessions: 3,
          bounceRate: 1,
          visitDurationS: 0,
          share: 0.6,
        },
        {
          value: 'Google',
          visitors: 1,
          pageviews: 2,
          sessions: 1,
          bounceRate: 0,
          visitDurationS: 420,
          share: 0.2,
        },
        {
          value: 'newsletter',
          visitors: 1,
          pageviews: 1,
          sessions: 1,
          bounceRate: 0,
          visitDurationS: 1200,
          share: 0.2,
        },
      ]);
    });

    it('pages count page views; paging keeps the total', async () => {
      // "/": Nov 2 {a, b, e} + Nov 3 {a} = 4 visitors, 4 views; "/pricing": {a} + {user} = 2.
      const { json } = await get(`/api/v1/metrics/traffic/breakdown?${shopRange}&dimension=page`);
      expect(json.rows).toEqual([
        { value: '/', visitors: 4, pageviews: 4, share: 0.6667 },
        { value: '/pricing', visitors: 2, pageviews: 2, share: 0.3333 },
      ]);
      const second = await get(
        `/api/v1/metrics/traffic/breakdown?${shopRange}&dimension=page&limit=1&offset=1`,
      );
      expect(second.json).toMatchObject({ total: 2, rows: [{ value: '/pricing' }] });
    });

    it('entry pages, UTM campaigns, referrers and devices', async () => {
      const rows = async (dimension: string) =>
        (await get(`/api/v1/metrics/traffic/breakdown?${shopRange}&dimension=${dimension}`)).json.rows.map(
          (r: { value: string; sessions: number }) => [r.value, r.sessions],
        );
      expect(await rows('entry_page')).toEqual([
        ['/', 4],
        ['/pricing', 1],
      ]);
      expect(await rows('exit_page')).toEqual([
        ['/', 3],
        ['/pricing', 2],
      ]);
      expect(await rows('utm_campaign')).toEqual([['launch', 1]]);
      expect(await rows('utm_source')).toEqual([['newsletter', 1]]);
      expect(await rows('referrer')).toEqual([
        ['Direct / None', 4],
        ['google.com', 1],
      ]);
      expect(await rows('device')).toEqual([
        ['Desktop', 4],
        ['Mobile', 1],
      ]);
    });
  });

  describe('goals and funnels', () => {
    it('goals: exact uniques over the range ÷ visitors', async () => {
      const { json } = await get(`/api/v1/metrics/traffic/goals?${shopRange}`);
      // Visitors of Nov 2–3: a, b, e, user = 4. Signup: a and user = 2 → 0.5. Purchase: user → 0.25.
      expect(json.visitors).toBe(4);
      expect(json.goals).toEqual([
        { goal: 'Signup', uniques: 2, events: 2, conversionRate: 0.5, valueEur: 0 },
        { goal: 'Purchase', uniques: 1, events: 1, conversionRate: 0.25, valueEur: 49.9 },
      ]);
    });

    it('funnels keep the order of the steps', async () => {
      const f = await get(`/api/v1/metrics/traffic/funnel?${shopRange}&steps=/pricing,Signup,Purchase`);
      expect(f.json.steps).toEqual([
        { step: '/pricing', kind: 'page', visitors: 2, conversionRate: 1, dropOff: 0 },
        { step: 'Signup', kind: 'goal', visitors: 2, conversionRate: 1, dropOff: 0 },
        { step: 'Purchase', kind: 'goal', visitors: 1, conversionRate: 0.5, dropOff: 1 },
      ]);
      // Both signed up after viewing /pricing, never before: the reverse order converts no one.
      const reverse = await get(`/api/v1/metrics/traffic/funnel?${shopRange}&steps=Signup,/pricing`);
      expect(reverse.json.steps.map((s: { visitors: number }) => s.visitors)).toEqual([2, 0]);
      expect((await get(`/api/v1/metrics/traffic/funnel?${shopRange}&steps=/pricing`)).status).toBe(400);
    });
  });

  describe('domain scope', () => {
    it('an operator limited to blog gets 404 for shop and never sees its numbers', async () => {
      for (const path of ['', '/breakdown?dimension=page&', '/goals', '/funnel?steps=/,Signup&']) {
        const base = `/api/v1/metrics/traffic${path}`;
        const sep = base.includes('?') ? '' : '?';
        const denied = await get(`${base}${sep}domains=${SHOP}&from=2026-11-02&to=2026-11-03`, blogAnalyst);
        expect(denied.status).toBe(404);
        expect(denied.json.error.field).toBe('domains');
      }
      const own = await get('/api/v1/metrics/traffic?from=2026-11-02&to=2026-11-03', blogAnalyst);
      expect(own.json.domains.map((d: { host: string }) => d.host)).toEqual([BLOG]);
      expect(own.json.totals).toMatchObject({ visitors: 1, pageviews: 2, sessions: 1, events: 2 });
      const pages = await get(
        '/api/v1/metrics/traffic/breakdown?from=2026-11-02&to=2026-11-03&dimension=page',
        blogAnalyst,
      );
      expect(pages.json.rows.map((r: { value: string }) => r.value)).toEqual(['/about', '/post']);
    });
  });

  it('archiving every raw event changes no figure', async () => {
    const paths = [
      `/api/v1/metrics/traffic?${shopRange}`,
      `/api/v1/metrics/traffic?${shopRange}&tz=Europe/Brussels&interval=day`,
      '/api/v1/metrics/traffic?from=2026-11-01&to=2026-11-03',
      ...Dimension.options.map(
        (d) => `/api/v1/metrics/traffic/breakdown?from=2026-11-01&to=2026-11-03&dimension=${d}`,
      ),
      `/api/v1/metrics/traffic/goals?${shopRange}`,
      `/api/v1/metrics/traffic/funnel?${shopRange}&steps=/pricing,Signup,Purchase`,
    ];
    const before = await Promise.all(paths.map((p) => get(p)));
    const archived = await archiveEvents(db, { retentionDays: 1, now: new Date('2026-11-10T00:00:00Z') });
    expect(archived.events).toBe(12);
    expect((await db.query('SELECT count(*)::int AS n FROM events')).rows[0]).toEqual({ n: 0 });
    const after = await Promise.all(paths.map((p) => get(p)));
    expect(after).toEqual(before);
  });
});
