import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_DEFAULTS } from './check-schema.ts';
import { runCheck } from './run-check.ts';
import {
  localhostCertificate,
  SITE_KEYWORD,
  type SwitchableSite,
  startSwitchableSite,
} from './switchable-site.ts';

// Checks against real local web sites (HTTP, and HTTPS with a self-signed certificate).

const DAY_MS = 86_400_000;
const check = (url: string, extra: Partial<Parameters<typeof runCheck>[0]> = {}) => ({
  url,
  method: 'GET' as const,
  timeoutMs: 5000,
  retries: 0,
  expectedStatus: CHECK_DEFAULTS.expectedStatus,
  keyword: null,
  ...extra,
});

describe('runCheck over HTTP', () => {
  let site: SwitchableSite;
  beforeAll(async () => {
    site = await startSwitchableSite();
  });
  afterAll(() => site.close());

  it('is up on a 200 with the keyword, with its timings', async () => {
    site.mode = 'up';
    const r = await runCheck(check(site.url, { keyword: SITE_KEYWORD }));
    expect(r).toMatchObject({
      ok: true,
      statusCode: 200,
      error: null,
      cause: null,
      attempts: 1,
      tlsValidTo: null,
    });
    expect(r.timings.ttfbMs).not.toBeNull();
    expect(r.timings.connectMs).not.toBeNull();
    expect(r.timings.tlsMs).toBeNull();
  });

  it('is down on a 500, after the retries', async () => {
    site.mode = 'error500';
    const before = site.hits;
    const r = await runCheck(check(site.url, { retries: 2 }));
    expect(r).toMatchObject({ ok: false, statusCode: 500, cause: 'status', attempts: 3 });
    expect(r.error).toBe('status 500, expected 200–399');
    expect(site.hits - before).toBe(3);
  });

  it('accepts a listed status and rejects one outside the list', async () => {
    site.mode = 'error500';
    expect((await runCheck(check(site.url, { expectedStatus: [500] }))).ok).toBe(true);
    site.mode = 'up';
    const r = await runCheck(check(site.url, { expectedStatus: [204] }));
    expect(r).toMatchObject({ ok: false, cause: 'status', error: 'status 200, expected 204' });
  });

  it('stops retrying at the first success', async () => {
    site.mode = 'up';
    const before = site.hits;
    const r = await runCheck(check(site.url, { retries: 3 }));
    expect(r).toMatchObject({ ok: true, attempts: 1 });
    expect(site.hits - before).toBe(1);
  });

  it('is down when the keyword is missing', async () => {
    site.mode = 'wrong-body';
    const r = await runCheck(check(site.url, { keyword: SITE_KEYWORD }));
    expect(r).toMatchObject({ ok: false, statusCode: 200, cause: 'keyword' });
    expect(r.error).toContain(JSON.stringify(SITE_KEYWORD));
  });

  it('is down when the connection is closed without an answer', async () => {
    site.mode = 'close';
    const r = await runCheck(check(site.url));
    expect(r).toMatchObject({ ok: false, statusCode: null, cause: 'connection' });
  });

  it('is down when no answer comes before the timeout', async () => {
    site.mode = 'hang';
    const r = await runCheck(check(site.url, { timeoutMs: 300 }));
    expect(r).toMatchObject({
      ok: false,
      statusCode: null,
      cause: 'timeout',
      error: 'no complete answer within 300 ms',
    });
  });

  it('is down when nothing listens', async () => {
    const gone = await startSwitchableSite();
    await gone.close();
    const r = await runCheck(check(gone.url));
    expect(r).toMatchObject({ ok: false, cause: 'connection' });
    expect(r.error).toMatch(/ECONNREFUSED/);
  });

  it('sends HEAD without reading a body', async () => {
    site.mode = 'up';
    expect(await runCheck(check(site.url, { method: 'HEAD' }))).toMatchObject({ ok: true, statusCode: 200 });
  });
});

describe('runCheck over HTTPS', () => {
  const notAfter = new Date(Math.floor((Date.now() + 10 * DAY_MS) / 1000) * 1000);
  let site: SwitchableSite;
  beforeAll(async () => {
    site = await startSwitchableSite({ tls: await localhostCertificate(notAfter) });
  });
  afterAll(() => site.close());

  it("records the certificate's expiry when the certificate is trusted", async () => {
    const r = await runCheck(check(site.url, { keyword: SITE_KEYWORD }), { ca: site.cert as string });
    expect(r).toMatchObject({ ok: true, statusCode: 200 });
    expect(r.tlsValidTo?.toISOString()).toBe(notAfter.toISOString());
    expect(r.timings.tlsMs).not.toBeNull();
  });

  it('fails an untrusted certificate by default, still recording its expiry', async () => {
    const r = await runCheck(check(site.url));
    expect(r).toMatchObject({ ok: false, cause: 'tls', statusCode: null });
    expect(r.error).toMatch(/not trusted/);
    expect(r.tlsValidTo?.toISOString()).toBe(notAfter.toISOString());
  });

  it('accepts it when verification is off', async () => {
    expect(await runCheck(check(site.url), { verify: false })).toMatchObject({ ok: true, statusCode: 200 });
  });
});
