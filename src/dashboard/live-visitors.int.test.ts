import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemActor } from '../auth/actor.ts';
import { addOperator } from '../auth/add-operator.ts';
import { bootstrapOwner } from '../auth/bootstrap-owner.ts';
import type { Db } from '../db/types.ts';
import { emptyEvent } from '../ingest/event-row.ts';
import { IngestService } from '../ingest/ingest-service.ts';
import { installAuthentication } from '../server/authenticate-request.ts';
import type { ServerDeps } from '../server/build-server.ts';
import { installErrorHandling } from '../server/error-handler.ts';
import { insertDomains } from '../test-support/fixtures.ts';
import { describeIntegration } from '../test-support/integration.ts';
import { createTestDb } from '../test-support/test-db.ts';
import { LiveFeed } from './live-feed.ts';
import { type LiveVisitorsMessage, liveVisitorRoutes } from './live-routes.ts';
import { type EventStream, openEventStream } from './sse-test-client.ts';

// The live stream over a real database and the real event writer: events reach it through the
// writer's commits, exactly as collection endpoints write them.
describeIntegration('live visitors stream', () => {
  const OWNER = `live-owner-token-${'o'.repeat(32)}`;
  let db: Db;
  let ingest: IngestService;
  let feed: LiveFeed;
  let app: FastifyInstance;
  let url: string;
  let ids: Record<string, string>;
  let scopedToken: string;
  const streams: EventStream[] = [];

  beforeAll(async () => {
    db = await createTestDb();
    ids = await insertDomains(db, ['alpha.test', 'beta.test', 'gamma.test']);
    await bootstrapOwner(db, { ownerEmail: 'owner@example.com', ownerToken: OWNER });
    const ctx = { db, actor: systemActor('test'), now: new Date() };
    scopedToken = (
      await addOperator({
        ctx,
        input: { email: 'beta@example.com', role: 'analyst', domains: ['beta.test'] },
      })
    ).token;
    // Already in the database before the server starts: one visitor 1 minute ago on alpha (counted),
    // one 6 minutes ago on gamma (outside the 5-minute window, not counted).
    const now = Date.now();
    await db.query(
      `INSERT INTO events (domain_id, occurred_at, name, visitor_id) VALUES
         ($1, $2, 'pageview', 'seed-visitor'), ($3, $4, 'pageview', 'old-visitor')`,
      [ids['alpha.test'], new Date(now - 60_000), ids['gamma.test'], new Date(now - 6 * 60_000)],
    );
    ingest = new IngestService(db);
    feed = new LiveFeed(db, ingest.writer, { coalesceMs: 20 });
    app = Fastify({ logger: false, forceCloseConnections: 'idle' });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    installErrorHandling(app);
    await app.register(cookie);
    installAuthentication(app, db);
    const deps = { db, ingest } as unknown as ServerDeps; // the route reads only these two
    await app.register(liveVisitorRoutes(deps, feed, { refreshMs: 50, heartbeatMs: 100 }));
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await app?.close();
    feed?.close();
    await ingest?.close();
    await db?.close();
  });

  const open = async (token: string, query = '') => {
    const s = await openEventStream(`${url}/api/v1/live/visitors${query}`, {
      authorization: `Bearer ${token}`,
    });
    streams.push(s);
    return s;
  };
  const visit = (host: string, visitorId: string, at = new Date()) =>
    ingest.writer.write([{ ...emptyEvent(ids[host] as string, 'pageview', at), visitorId }]);
  const counts = (m: LiveVisitorsMessage | null) =>
    Object.fromEntries((m?.domains ?? []).map((d) => [d.host, d.visitors]));

  it('sends the current counts on connect, including visitors stored before the server started', async () => {
    const s = await open(OWNER);
    expect(s.status).toBe(200);
    expect(s.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const first = await s.nextEvent<LiveVisitorsMessage>('visitors');
    expect(first).toMatchObject({ windowSeconds: 300, total: 1 });
    expect(counts(first)).toEqual({ 'alpha.test': 1, 'beta.test': 0, 'gamma.test': 0 });
    s.close();
  });

  it('pushes new counts after a commit; the same visitor again counts once; backfilled events do not count', async () => {
    const s = await open(OWNER);
    await s.nextEvent('visitors');
    await visit('beta.test', 'b1');
    // 1 seeded on alpha + 1 new on beta = 2
    expect(counts(await s.nextEvent('visitors'))).toEqual({
      'alpha.test': 1,
      'beta.test': 1,
      'gamma.test': 0,
    });
    await visit('beta.test', 'b1');
    await visit('gamma.test', 'g-late', new Date(Date.now() - 10 * 60_000)); // a server-side backfill
    await visit('beta.test', 'b2');
    // b1 again changes nothing and g-late is too old: the next update is b2 → beta 2, total 1 + 2 = 3
    const next = await s.nextEvent<LiveVisitorsMessage>('visitors');
    expect(counts(next)).toEqual({ 'alpha.test': 1, 'beta.test': 2, 'gamma.test': 0 });
    expect(next?.total).toBe(3);
    s.close();
  });

  it('limits a domain-limited operator to their domains, and a domain filter to the hosts asked for', async () => {
    const scoped = await open(scopedToken);
    const first = await scoped.nextEvent<LiveVisitorsMessage>('visitors');
    expect(first?.domains.map((d) => d.host)).toEqual(['beta.test']);
    const before = first?.total ?? 0;
    await visit('alpha.test', 'a-other'); // not theirs: no update for them
    await visit('beta.test', `b-${before}`);
    const next = await scoped.nextEvent<LiveVisitorsMessage>('visitors');
    expect(next?.total).toBe(before + 1);
    expect(next?.domains.map((d) => d.host)).toEqual(['beta.test']);
    scoped.close();

    const res = await fetch(`${url}/api/v1/live/visitors?domains=alpha.test`, {
      headers: { authorization: `Bearer ${scopedToken}` },
    });
    expect(res.status).toBe(404);
    expect((await res.json()).error).toMatchObject({ code: 'not_found', field: 'domains' });

    const filtered = await open(OWNER, '?domains=gamma.test,alpha.test');
    expect((await filtered.nextEvent<LiveVisitorsMessage>('visitors'))?.domains.map((d) => d.host)).toEqual([
      'alpha.test',
      'gamma.test',
    ]);
    filtered.close();
  });

  it('refuses a caller without credentials', async () => {
    const res = await fetch(`${url}/api/v1/live/visitors`);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('unauthenticated');
  });

  it('sends heartbeats while nothing changes, and forgets a stream once its client disconnects', async () => {
    const s = await open(OWNER);
    await s.nextEvent('visitors');
    let message = await s.next();
    while (message && message.comment !== 'heartbeat') message = await s.next();
    expect(message?.comment).toBe('heartbeat');
    expect(feed.subscribers).toBeGreaterThan(0);
    for (const other of streams) other.close();
    // The server notices the closed socket on its next write (a heartbeat at the latest).
    while (feed.subscribers > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(feed.subscribers).toBe(0);
  });

  it('ends open streams when the server closes, so closing does not hang', async () => {
    const s = await open(OWNER);
    await s.nextEvent('visitors');
    await app.close();
    await s.ended();
    expect(feed.subscribers).toBe(0);
  });
});
