import Fastify from 'fastify';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { installErrorHandling } from '../../server/error-handler.ts';
import { installSelfMetrics, selfMetricsRoutes } from './plugin.ts';
import { createSelfMetrics } from './registry.ts';

const SCRAPE_TOKEN = 'scrape-token-0123456789abcdef0123456789';

// A bare Fastify app without the server's authentication hook: what is checked here is the
// route's own credential check and the hook's labels. The full server is in self-metrics.int.test.ts.
async function app(metricsToken?: string, onRequestConfig?: (config: unknown) => void) {
  const metrics = createSelfMetrics();
  const server = Fastify();
  installErrorHandling(server);
  // Where the server's authentication hook runs: it decides by the route's config.
  if (onRequestConfig)
    server.addHook('onRequest', async (request) => onRequestConfig(request.routeOptions.config));
  installSelfMetrics(server, metrics);
  await server.register(selfMetricsRoutes({ metrics, metricsToken }));
  server.get('/things/:id', async () => ({ ok: true }));
  server.get('/healthz', async () => ({ status: 'ok' }));
  server.get('/stream', async (_request, reply) => reply.type('text/event-stream').send('data: 1\n\n'));
  await server.ready();
  return { server, metrics };
}

describe('GET /metrics with a scrape token', () => {
  it('accepts exactly the configured token, compared whole', async () => {
    const { server } = await app(SCRAPE_TOKEN);
    const scrape = (authorization?: string) =>
      server.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
    const ok = await scrape(`Bearer ${SCRAPE_TOKEN}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(parsePrometheusTextFormat(ok.body).map((f) => f.name)).toContain('http_requests_total');
    for (const wrong of [
      `Bearer ${SCRAPE_TOKEN}x`,
      `Bearer ${SCRAPE_TOKEN.slice(0, -1)}`,
      SCRAPE_TOKEN,
      undefined,
    ]) {
      const res = await scrape(wrong);
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toMatchObject({ code: 'unauthenticated', field: 'headers.authorization' });
    }
    await server.close();
  });

  it('without a configured token, a bearer is never enough by itself', async () => {
    const { server } = await app(undefined);
    const res = await server.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer ' },
    });
    expect(res.statusCode).toBe(401);
    await server.close();
  });

  it('marks the route so the authentication hook leaves the scrape token to it', async () => {
    const seen: unknown[] = [];
    const { server } = await app(SCRAPE_TOKEN, (config) => seen.push(config));
    await server.inject('/metrics');
    expect(seen).toMatchObject([{ public: true, ownBearerToken: true }]);
    await server.close();
  });
});

describe('installSelfMetrics', () => {
  it('labels requests with the route template, and unmatched ones as such', async () => {
    const { server, metrics } = await app(SCRAPE_TOKEN);
    await server.inject('/things/42');
    await server.inject('/things/43');
    await server.inject('/nowhere/at/all');
    const text = (await metrics.scrape()).body;
    expect(text).toContain('http_requests_total{method="GET",route="/things/:id",status="200"} 2');
    expect(text).toContain('http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).not.toContain('/things/42');
    expect(text).not.toContain('/nowhere');
    await server.close();
  });

  it('keeps probes, scrapes, unmatched paths and event streams out of the latency history', async () => {
    const { server, metrics } = await app(SCRAPE_TOKEN);
    for (const url of ['/healthz', '/stream', '/nowhere', '/metrics', '/things/1'])
      await server.inject({ url, headers: { authorization: `Bearer ${SCRAPE_TOKEN}` } });
    expect(metrics.hourlyLatency.take().map((e) => e.route)).toEqual(['/things/:id']);
    await server.close();
  });
});
