import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeIntegration } from '../test-support/integration.ts';
import { startTestServer, type TestServer } from '../test-support/test-server.ts';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describeIntegration('collection endpoints', () => {
  let s: TestServer;
  let secret: string;
  let publicKey: string;
  beforeAll(async () => {
    s = await startTestServer();
    secret = (
      await s.request('POST', '/api/v1/keys', {
        token: s.ownerToken,
        body: { domain: 'seobiz.be', kind: 'secret' },
      })
    ).json.secret;
    publicKey = (
      await s.request('POST', '/api/v1/keys', {
        token: s.ownerToken,
        body: { domain: 'seobiz.be', kind: 'public' },
      })
    ).json.secret;
  });
  afterAll(async () => {
    await s?.close();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${s.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'user-agent': CHROME, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const rows = async (where: string, params: unknown[] = []) =>
    (
      await s.db.query<Record<string, unknown>>(
        `SELECT e.*, d.host FROM events e JOIN domains d ON d.id = e.domain_id WHERE ${where} ORDER BY e.received_at, e.occurred_at`,
        params,
      )
    ).rows;

  describe('Plausible Events API', () => {
    it('stores a page view sent as text/plain with short names, answering 202 only once stored', async () => {
      const res = await post('/api/event', {
        n: 'pageview',
        u: 'https://fixie.run/rides?utm_source=newsletter&utm_medium=email&utm_campaign=launch',
        d: 'fixie.run',
        r: 'https://www.google.com/',
      });
      expect(res.status).toBe(202);
      expect(await res.text()).toBe('ok');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      const [row] = await rows("d.host = 'fixie.run' AND e.name = 'pageview'");
      expect(row).toMatchObject({
        pathname: '/rides',
        hostname: 'fixie.run',
        source: 'newsletter',
        medium: 'email',
        campaign: 'launch',
        channel: 'Email',
        browser: 'Chrome',
        os: 'Windows',
        device: 'desktop',
      });
      expect(String(row?.visitor_id)).toMatch(/^[0-9a-f]{32}$/);
    });

    it('accepts long names, props and revenue (also JSON-encoded), and several domains at once', async () => {
      const res = await post('/api/event', {
        name: 'Purchase',
        url: 'https://adaptogenic-mushrooms.com/checkout',
        domain: 'adaptogenic-mushrooms.com,puffs-store.com',
        props: JSON.stringify({ product: 'lions-mane', qty: 2 }),
        revenue: { amount: '20.00', currency: 'USD' },
        interactive: true,
      });
      expect(res.status).toBe(202);
      const stored = await rows("e.name = 'Purchase'");
      expect(stored.map((r) => r.host).sort()).toEqual(['adaptogenic-mushrooms.com', 'puffs-store.com']);
      expect(stored[0]).toMatchObject({
        revenue_amount: '20.00',
        revenue_currency: 'USD',
        value_eur: '17.20',
      });
      expect(stored[0]?.props).toEqual({ product: 'lions-mane', qty: 2 });
    });

    it('keeps the hash route in hash mode and drops it otherwise', async () => {
      await post('/api/event', { n: 'pageview', u: 'https://aiftw.be/app#/pricing', d: 'aiftw.be', h: 1 });
      await post('/api/event', { n: 'pageview', u: 'https://aiftw.be/app#section', d: 'aiftw.be' });
      const paths = (await rows("d.host = 'aiftw.be'")).map((r) => r.pathname);
      expect(paths).toEqual(['/app#/pricing', '/app']);
    });

    it('drops bots but still answers 202', async () => {
      const res = await post(
        '/api/event',
        { n: 'pageview', u: 'https://affinitylove.eu/', d: 'affinitylove.eu' },
        { 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' },
      );
      expect(res.status).toBe(202);
      expect(await rows("d.host = 'affinitylove.eu'")).toHaveLength(0);
    });

    it('rejects bad input with 400 and the field, and unknown sites with 404 that reveals nothing', async () => {
      const cases: [unknown, string][] = [
        [{ n: 'x'.repeat(121), u: 'https://fixie.run/', d: 'fixie.run' }, 'body.n'],
        [{ n: 'pageview', u: 'javascript:alert(1)', d: 'fixie.run' }, 'body.u'],
        [{ n: 'pageview', u: `https://fixie.run/${'a'.repeat(2000)}`, d: 'fixie.run' }, 'body.u'],
        [
          {
            name: 'e',
            url: 'https://fixie.run/',
            domain: 'fixie.run',
            props: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, i])),
          },
          'body.props',
        ],
        [
          { n: 'e', u: 'https://fixie.run/', d: 'fixie.run', $: { amount: '1.234', currency: 'EUR' } },
          'body.$.amount',
        ],
        [
          { n: 'e', u: 'https://fixie.run/', d: 'fixie.run', $: { amount: '1', currency: 'XXX' } },
          'body.revenue.currency',
        ],
        [{ n: 'e', u: 'https://fixie.run/', d: 'fixie.run', extra: 1 }, 'body.extra'],
        ['[1,2]', 'body'],
        ['{"n":', 'body'],
      ];
      for (const [body, field] of cases) {
        const res = await post('/api/event', body);
        const json = (await res.json()) as { error: { code: string; field: string } };
        expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
        expect(json.error.field).toBe(field);
      }
      const unknown = await post('/api/event', {
        n: 'pageview',
        u: 'https://nope.example/',
        d: 'nope.example',
      });
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe('unknown site');
      const big = await post('/api/event', {
        n: 'pageview',
        u: 'https://fixie.run/',
        d: 'fixie.run',
        p: { k: 'x'.repeat(70_000) },
      });
      expect(big.status).toBe(413);
    });
  });

  describe('Umami collect API', () => {
    it('stores page views and events by website id or host, singly and in batches', async () => {
      const domains = (await s.request('GET', '/api/v1/domains', { token: s.ownerToken })).json.domains;
      const rhymechain = domains.find((d: { host: string }) => d.host === 'rhymechain.win');
      const send = await fetch(`${s.url}/api/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': CHROME },
        body: JSON.stringify({
          type: 'event',
          payload: {
            website: rhymechain.id,
            hostname: 'rhymechain.win',
            url: '/artists?x=1',
            screen: '1920x1080',
            language: 'en-US',
          },
        }),
      });
      expect(send.status).toBe(200);
      const batch = await fetch(`${s.url}/api/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': CHROME },
        body: JSON.stringify([
          {
            type: 'event',
            payload: { website: 'rhymechain.win', url: '/mint', name: 'mint', data: { tier: 'gold' } },
          },
          { type: 'event', payload: { website: 'rhymechain.win', url: '/drops' } },
        ]),
      });
      expect(batch.status).toBe(200);
      expect(await batch.json()).toEqual({ size: 2, processed: 2 });
      const stored = await rows("d.host = 'rhymechain.win'");
      expect(stored.map((r) => [r.name, r.pathname])).toEqual([
        ['pageview', '/artists'],
        ['mint', '/mint'],
        ['pageview', '/drops'],
      ]);
      expect(stored[0]).toMatchObject({ screen: '1920x1080', language: 'en-US' });
      expect(stored[1]?.props).toEqual({ tier: 'gold' });
    });

    it('rejects a batch with one bad item without storing any of it', async () => {
      const before = (await rows("d.host = 'rhymechain.win'")).length;
      const res = await fetch(`${s.url}/api/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': CHROME },
        body: JSON.stringify([
          { type: 'event', payload: { website: 'rhymechain.win', url: '/ok' } },
          { type: 'event', payload: { website: 'unknown.example', url: '/x' } },
        ]),
      });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { field: string } }).error.field).toBe('body.1.payload.website');
      expect((await rows("d.host = 'rhymechain.win'")).length).toBe(before);
    });
  });

  describe('server-side events API', () => {
    const batch = (ids: string[]) => ({
      events: ids.map((id, i) => ({
        name: 'signup',
        eventId: id,
        occurredAt: new Date(Date.UTC(2026, 10, 20, 12, 0, i)).toISOString(),
        userId: 'customer-42',
        props: { plan: 'pro' },
      })),
    });

    it('stores a batch with a secret key, idempotent on eventId across retries and overlapping batches', async () => {
      const first = await s.request('POST', '/api/v1/events', {
        token: secret,
        body: batch(['a', 'b', 'c']),
      });
      expect(first.status).toBe(202);
      expect(first.json).toEqual({ accepted: 3 });
      const retry = await s.request('POST', '/api/v1/events', {
        token: secret,
        body: batch(['a', 'b', 'c', 'd', 'd']),
      });
      expect(retry.status).toBe(202);
      const stored = await rows("d.host = 'seobiz.be' AND e.name = 'signup'");
      expect(stored.map((r) => r.event_id).sort()).toEqual(['a', 'b', 'c', 'd']);
      expect(new Set(stored.map((r) => r.user_id)).size).toBe(1);
      expect(stored[0]?.user_id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it("reads browser, OS and device from an event's userAgent, and bounds it", async () => {
      const ua =
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
      const res = await s.request('POST', '/api/v1/events', {
        token: secret,
        body: {
          events: [{ name: 'pageview', eventId: 'ua-1', url: 'https://seobiz.be/ua-check', userAgent: ua }],
        },
      });
      expect(res.status).toBe(202);
      const [stored] = await rows("d.host = 'seobiz.be' AND e.event_id = 'ua-1'");
      expect([stored?.browser, stored?.os, stored?.device]).toEqual(['Safari', 'iOS', 'mobile']);
      const tooLong = await s.request('POST', '/api/v1/events', {
        token: secret,
        body: { events: [{ name: 'pageview', userAgent: 'x'.repeat(1001) }] },
      });
      expect(tooLong.status).toBe(400);
      expect(tooLong.json.error.field).toBe('body.events.0.userAgent');
    });

    it('refuses public keys, other domains, analysts and timestamps out of range', async () => {
      expect(
        (await s.request('POST', '/api/v1/events', { token: publicKey, body: batch(['p']) })).status,
      ).toBe(403);
      const other = await s.request('POST', '/api/v1/events', {
        token: secret,
        body: { domain: 'fixie.run', ...batch(['q']) },
      });
      expect(other.status).toBe(403);
      expect(other.json.error.field).toBe('body.domain');
      const future = await s.request('POST', '/api/v1/events', {
        token: secret,
        body: { events: [{ name: 'x', occurredAt: new Date(Date.now() + 3_600_000).toISOString() }] },
      });
      expect(future.status).toBe(400);
      expect(future.json.error.field).toBe('body.events.0.occurredAt');
      const tooMany = await s.request('POST', '/api/v1/events', {
        token: secret,
        body: { events: Array.from({ length: 1001 }, () => ({ name: 'x' })) },
      });
      expect(tooMany.status).toBe(400);
      expect((await s.request('POST', '/api/v1/events', { body: batch(['z']) })).status).toBe(401);
      const owner = await s.request('POST', '/api/v1/events', {
        token: s.ownerToken,
        body: { domain: 'fixie.run', ...batch(['o']) },
      });
      expect(owner.status).toBe(202);
    });
  });

  describe('identity', () => {
    it('links a visitor to a user by external id, and by e-mail only with a secret key', async () => {
      await post('/api/event', { n: 'pageview', u: 'https://seobiz.be/pricing', d: 'seobiz.be' });
      const res = await s.request('POST', '/api/v1/identify', {
        body: { domain: 'seobiz.be', externalId: 'acct-7' },
        headers: { 'user-agent': CHROME },
      });
      expect(res.status).toBe(200);
      const [view] = await rows("d.host = 'seobiz.be' AND e.pathname = '/pricing'");
      expect(view?.user_id).toBe(res.json.userId);
      // Later events of the same visitor carry the user too.
      await post('/api/event', { n: 'pageview', u: 'https://seobiz.be/docs', d: 'seobiz.be' });
      const [docs] = await rows("d.host = 'seobiz.be' AND e.pathname = '/docs'");
      expect(docs?.user_id).toBe(res.json.userId);

      const spoof = await s.request('POST', '/api/v1/identify', {
        body: { domain: 'seobiz.be', email: 'ceo@example.com' },
      });
      expect(spoof.status).toBe(403);
      const server = await s.request('POST', '/api/v1/identify', {
        token: secret,
        body: { visitorId: String(view?.visitor_id), email: 'Rider@Example.com', externalId: 'acct-7' },
      });
      expect(server.status).toBe(200);
      expect(server.json.userId).toBe(res.json.userId);
      const user = await s.db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [
        res.json.userId,
      ]);
      expect(user.rows[0]?.email).toBe('rider@example.com');
    });

    it('joins visits to two owned domains through a signed link token, and rejects a forged one', async () => {
      const ua = { 'user-agent': CHROME };
      const token = await s.request('POST', '/api/v1/link-token', {
        body: { domain: 'fixie.run' },
        headers: ua,
      });
      expect(token.status).toBe(200);
      const linked = await s.request('POST', '/api/v1/identify', {
        body: { domain: 'rhymechain.win', linkToken: token.json.token },
        headers: ua,
      });
      expect(linked.status).toBe(200);
      const ids = await s.db.query<{ host: string; user_id: string }>(
        'SELECT d.host, v.user_id FROM visitor_identities v JOIN domains d ON d.id = v.domain_id WHERE v.user_id = $1 ORDER BY 1',
        [linked.json.userId],
      );
      expect(ids.rows.map((r) => r.host)).toEqual(['fixie.run', 'rhymechain.win']);
      const forged = await s.request('POST', '/api/v1/identify', {
        body: { domain: 'rhymechain.win', linkToken: `${token.json.token}x` },
      });
      expect(forged.status).toBe(400);
      expect(forged.json.error.field).toBe('body.linkToken');
    });
  });
});

describeIntegration('collection under pressure', () => {
  it('answers 503 with Retry-After when the write queue is full, and 429 past the rate limit', async () => {
    const s = await startTestServer({
      writer: { maxQueuedEvents: 1, maxDelayMs: 200 },
      settings: { ingestRateLimit: 5 },
    });
    try {
      const send = () =>
        fetch(`${s.url}/api/event`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain', 'user-agent': CHROME },
          body: JSON.stringify({ n: 'pageview', u: 'https://fixie.run/', d: 'fixie.run' }),
        });
      const statuses = await Promise.all([send(), send(), send()]);
      const codes = statuses.map((r) => r.status).sort();
      expect(codes).toContain(202);
      expect(codes).toContain(503);
      expect(statuses.find((r) => r.status === 503)?.headers.get('retry-after')).toBe('1');
      const more = [await send(), await send(), await send()];
      expect(more.map((r) => r.status)).toContain(429);
      expect(more.find((r) => r.status === 429)?.headers.get('retry-after')).toMatch(/^\d+$/);
      const stored = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
      expect(stored.rows[0]?.n).toBe(
        statuses.filter((r) => r.status === 202).length + more.filter((r) => r.status === 202).length,
      );
    } finally {
      await s.close();
    }
  });
});
