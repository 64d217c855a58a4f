import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeIntegration } from '../test-support/integration.ts';
import { startTestServer, type TestServer } from '../test-support/test-server.ts';

const CHROME =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const RUNS_PER_ENDPOINT = 1300; // × 8 endpoints ≥ 10,000 payloads

interface Endpoint {
  path: string;
  auth: 'none' | 'secret';
  contentType: string;
  valid: () => unknown;
}

// A valid payload per endpoint; the generator below mutates it field by field, replaces it with
// random JSON, or sends bytes that are not JSON at all.
const ENDPOINTS: Endpoint[] = [
  {
    path: '/api/event',
    auth: 'none',
    contentType: 'text/plain',
    valid: () => ({ n: 'pageview', u: 'https://fixie.run/x', d: 'fixie.run', r: null, p: { a: 1 } }),
  },
  {
    path: '/api/event',
    auth: 'none',
    contentType: 'application/json',
    valid: () => ({
      name: 'Buy',
      url: 'https://fixie.run/',
      domain: 'fixie.run',
      revenue: { amount: '9.99', currency: 'EUR' },
    }),
  },
  {
    path: '/api/send',
    auth: 'none',
    contentType: 'application/json',
    valid: () => ({
      type: 'event',
      payload: { website: 'seobiz.be', url: '/a', name: 'x', data: { k: 'v' } },
    }),
  },
  {
    path: '/api/batch',
    auth: 'none',
    contentType: 'application/json',
    valid: () => [{ type: 'event', payload: { website: 'seobiz.be', url: '/b' } }],
  },
  {
    path: '/api/v1/events',
    auth: 'secret',
    contentType: 'application/json',
    valid: () => ({
      events: [{ name: 'signup', eventId: 'id-1', props: { plan: 'pro' }, url: 'https://fixie.run/s' }],
    }),
  },
  {
    path: '/api/v1/identify',
    auth: 'none',
    contentType: 'application/json',
    valid: () => ({ domain: 'fixie.run', externalId: 'u-1' }),
  },
  {
    path: '/api/v1/identify',
    auth: 'secret',
    contentType: 'application/json',
    valid: () => ({ visitorId: 'v-1', email: 'a@example.com' }),
  },
  {
    path: '/api/v1/link-token',
    auth: 'none',
    contentType: 'application/json',
    valid: () => ({ domain: 'fixie.run' }),
  },
];

const hostile = fc.oneof(
  fc.jsonValue(),
  fc.string({ maxLength: 3000 }),
  fc.string({ unit: 'binary', maxLength: 200 }), // any code point, lone surrogates included
  fc.constantFrom(null, '', -1, 1e308, 'javascript:alert(1)', '\u0000', '../../etc/passwd', 'x'.repeat(5000)),
  fc.dictionary(fc.string({ maxLength: 150 }), fc.jsonValue(), { maxKeys: 40 }),
  fc.array(fc.jsonValue(), { maxLength: 40 }),
);

function mutate(value: unknown, path: string[], replacement: unknown, drop: boolean): unknown {
  if (path.length === 0 || typeof value !== 'object' || value === null) return replacement;
  const copy: Record<string, unknown> = Array.isArray(value)
    ? ([...value] as never)
    : { ...(value as object) };
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0 && drop) delete copy[head];
  else copy[head] = mutate(copy[head], rest, replacement, drop);
  return copy;
}

function keyPaths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([k, v]) => keyPaths(v, [...prefix, k]))];
}

const body = (endpoint: Endpoint) =>
  fc.oneof(
    // A valid payload with one field replaced, dropped, or an unknown field added.
    fc.tuple(fc.nat(), hostile, fc.boolean(), fc.boolean()).map(([i, replacement, drop, addUnknown]) => {
      const valid = endpoint.valid();
      const paths = keyPaths(valid);
      let out = mutate(valid, paths[i % paths.length] as string[], replacement, drop);
      if (addUnknown && out && typeof out === 'object' && !Array.isArray(out))
        out = { ...out, zz: replacement };
      return JSON.stringify(out) ?? 'null';
    }),
    hostile.map((v) => JSON.stringify(v) ?? 'null'),
    fc.string({ maxLength: 500 }),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  );

describeIntegration('10,000+ random and malformed payloads', () => {
  let s: TestServer;
  let secret: string;
  beforeAll(async () => {
    s = await startTestServer({ settings: { ingestRateLimit: 10_000_000 } });
    secret = (
      await s.request('POST', '/api/v1/keys', {
        token: s.ownerToken,
        body: { domain: 'fixie.run', kind: 'secret' },
      })
    ).json.secret;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('never answers 5xx, keeps serving, and stores no row outside the bounds', async () => {
    const statuses = new Map<number, number>();
    let total = 0;
    for (const endpoint of ENDPOINTS) {
      const samples = fc.sample(body(endpoint), { numRuns: RUNS_PER_ENDPOINT, seed: 20261126 + total });
      for (let i = 0; i < samples.length; i += 50) {
        const results = await Promise.all(
          samples.slice(i, i + 50).map(async (payload) => {
            const res = await s.app.inject({
              method: 'POST',
              url: endpoint.path,
              headers: {
                'content-type': endpoint.contentType,
                'user-agent': CHROME,
                ...(endpoint.auth === 'secret' ? { authorization: `Bearer ${secret}` } : {}),
              },
              payload,
            });
            return { status: res.statusCode, payload, body: res.body };
          }),
        );
        for (const r of results) {
          total++;
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          if (r.status >= 500) {
            throw new Error(
              `${endpoint.path} answered ${r.status} to ${r.payload.slice(0, 300)}: ${r.body.slice(0, 300)}`,
            );
          }
          if (r.status >= 400) expect(JSON.parse(r.body).error.code, r.body).toEqual(expect.any(String));
        }
      }
    }
    expect(total).toBeGreaterThanOrEqual(10_000);
    console.info(
      `[${s.db.kind}] ${total} payloads; statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);

    const bad = await s.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events
        WHERE length(name) NOT BETWEEN 1 AND 120
           OR length(url) > 2000 OR (url IS NOT NULL AND url !~ '^https?://')
           OR (SELECT count(*) FROM jsonb_object_keys(props)) > 30
           OR EXISTS (SELECT 1 FROM jsonb_each(props) p WHERE length(p.key) > 100
                        OR jsonb_typeof(p.value) NOT IN ('string', 'number', 'boolean')
                        OR (jsonb_typeof(p.value) = 'string' AND length(p.value #>> '{}') > 500))
           OR (revenue_amount IS NOT NULL AND (revenue_currency IS NULL OR value_eur IS NULL))`,
    );
    expect(bad.rows[0]?.n).toBe(0);
    const stored = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
    expect(stored.rows[0]?.n).toBeGreaterThan(0);
  });
});
