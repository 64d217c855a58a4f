import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandling } from '../server/error-handler.ts';
import { staticDashboardRoutes } from './static-files.ts';

const INDEX = '<!doctype html><title>Portfolio OS</title><div id="root"></div>';
const APP_JS = `console.log(${JSON.stringify('x'.repeat(4000))});`; // over 1 KiB: sent gzipped

async function appServing(distDir: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  installErrorHandling(app);
  app.get('/api/v1/exists', async () => ({ ok: true }));
  await app.register(staticDashboardRoutes(distDir));
  return app;
}

describe('serving the built dashboard', () => {
  let app: FastifyInstance;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pos-dist-'));
    const dist = join(dir, 'dist');
    await mkdir(join(dist, 'assets'), { recursive: true });
    await writeFile(join(dist, 'index.html'), INDEX);
    await writeFile(join(dist, 'assets', 'index-Ab12Cd.js'), APP_JS);
    await writeFile(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await writeFile(join(dir, 'secret.txt'), 'not for the web'); // beside dist, never served
    app = await appServing(dist);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('serves index.html at / and for client-side routes, revalidated on every visit, with a strict CSP', async () => {
    for (const url of ['/', '/revenue', '/domains/fixie.run?period=7d', '/login']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.body).toBe(INDEX);
    }
  });

  it('serves hashed assets for a year, gzipped when the client accepts it', async () => {
    const plain = await app.inject({ url: '/assets/index-Ab12Cd.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(APP_JS);

    const gz = await app.inject({
      url: '/assets/index-Ab12Cd.js',
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toBe('accept-encoding');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(APP_JS);
    expect(gz.rawPayload.length).toBeLessThan(APP_JS.length);

    const icon = await app.inject({ url: '/favicon.svg' });
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('no-cache'); // not hashed: revalidated
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await app.inject({ url: '/' });
    const again = await app.inject({ url: '/', headers: { 'if-none-match': String(first.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('keeps JSON 404s for unknown API paths and missing assets, and API routes win over the app', async () => {
    for (const url of ['/api/v1/nothing-here', '/api', '/assets/index-Old999.js', '/missing.png']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    expect((await app.inject({ url: '/api/v1/exists' })).json()).toEqual({ ok: true });
  });

  it('never serves a file outside the build folder', async () => {
    for (const url of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%E0%A4%A']) {
      const res = await app.inject({ url });
      expect(res.body, url).not.toContain('not for the web');
      expect([200, 400, 404], url).toContain(res.statusCode); // Fastify itself refuses a malformed escape (400)
    }
  });

  it('says how to build the dashboard when it is not built', async () => {
    const bare = await appServing(join(dir, 'no-such-dist'));
    const res = await bare.inject({ url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('npm run build');
    await bare.close();
  });
});
