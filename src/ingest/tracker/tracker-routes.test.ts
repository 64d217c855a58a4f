import { Script } from 'node:vm';
import { gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDeps } from '../../server/build-server.ts';
import { loadScript, matchesEtag, trackerRoutes } from './tracker-routes.ts';

describe('the served tracker scripts', () => {
  it('keeps the tracker at most 2 KB gzipped', async () => {
    const { body } = await loadScript('./script.js');
    const gzipped = gzipSync(body).length;
    console.log(`tracker: ${body.length} bytes served, ${gzipped} bytes gzipped (limit 2048)`);
    expect(gzipped).toBeLessThanOrEqual(2048);
  });

  it('serves syntactically valid scripts', async () => {
    for (const file of ['./script.js', './vitals.js', './experiments.js']) {
      const { body } = await loadScript(file);
      expect(() => new Script(body, { filename: file })).not.toThrow();
    }
  });

  it('compares etags weakly, as If-None-Match requires', () => {
    expect(matchesEtag('"abc"', '"abc"')).toBe(true);
    expect(matchesEtag('W/"abc"', '"abc"')).toBe(true);
    expect(matchesEtag('"x", "abc"', '"abc"')).toBe(true);
    expect(matchesEtag('*', '"abc"')).toBe(true);
    expect(matchesEtag('"abcd"', '"abc"')).toBe(false);
    expect(matchesEtag(undefined, '"abc"')).toBe(false);
  });
});

describe('tracker routes', () => {
  const app = Fastify();
  beforeAll(async () => {
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    await app.register(trackerRoutes({} as ServerDeps));
  });
  afterAll(() => app.close());

  it('serves the tracker with caching headers and a strong etag, and 304 when it matches', async () => {
    const res = await app.inject({ url: '/js/script.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
    const etag = String(res.headers.etag);
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    expect(res.body).toBe((await loadScript('./script.js')).body);

    const again = await app.inject({ url: '/js/script.js', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    const stale = await app.inject({ url: '/js/script.js', headers: { 'if-none-match': '"old"' } });
    expect(stale.statusCode).toBe(200);
  });

  it("answers Plausible's script names with the tracker, and serves the vitals extension", async () => {
    const tracker = await app.inject({ url: '/js/script.js' });
    for (const name of ['plausible.js', 'plausible.hash.js', 'script.outbound-links.file-downloads.js']) {
      const res = await app.inject({ url: `/js/${name}` });
      expect(res.statusCode, name).toBe(200);
      expect(res.headers.etag).toBe(tracker.headers.etag);
    }
    for (const name of ['script.manual.js', 'script.exclusions.js', 'other.js']) {
      expect((await app.inject({ url: `/js/${name}` })).statusCode, name).toBe(404);
    }
    const vitals = await app.inject({ url: '/js/script.vitals.js' });
    expect(vitals.statusCode).toBe(200);
    expect(vitals.headers.etag).not.toBe(tracker.headers.etag);
    expect(vitals.body).toContain("'Web Vitals'");
  });

  it('serves the experiments extension', async () => {
    const res = await app.inject({ url: '/js/script.experiments.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.body).toBe((await loadScript('./experiments.js')).body);
    expect(res.body).toContain("'Experiment Viewed'");
    console.log(`experiments extension: ${gzipSync(res.body).length} bytes gzipped`);
  });
});
