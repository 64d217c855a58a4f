import { describe, expect, it } from 'vitest';
import { resolveChecks, statusAccepted, UptimeCheck, UptimeConfig } from './check-schema.ts';

const domains = [
  { id: '1', host: 'shop.example', status: 'active' },
  { id: '2', host: 'soon.example', status: 'planned' },
  { id: '3', host: 'api.example', status: 'active' },
];

describe('resolveChecks', () => {
  it('gives every active domain the defaults and skips planned ones', () => {
    const checks = resolveChecks(domains);
    expect(checks.map((c) => c.host)).toEqual(['shop.example', 'api.example']);
    expect(checks[0]).toMatchObject({
      url: 'https://shop.example/',
      intervalSeconds: 60,
      timeoutMs: 10_000,
      retries: 1,
      expectedStatus: { min: 200, max: 399 },
      keyword: null,
      method: 'GET',
    });
  });

  it('applies portfolio-wide defaults, then per-host overrides', () => {
    const config = UptimeConfig.parse({
      defaults: { intervalSeconds: 300, retries: 2 },
      checks: [
        {
          host: 'api.example',
          url: 'https://api.example/health',
          expectedStatus: [200],
          keyword: 'ok',
          retries: 0,
        },
        { host: 'soon.example', enabled: true },
        { host: 'shop.example', enabled: false },
      ],
    });
    const checks = resolveChecks(domains, config);
    expect(checks.map((c) => [c.host, c.intervalSeconds, c.retries])).toEqual([
      ['soon.example', 300, 2],
      ['api.example', 300, 0],
    ]);
    expect(checks[1]).toMatchObject({
      url: 'https://api.example/health',
      expectedStatus: [200],
      keyword: 'ok',
    });
  });

  it('rejects a keyword on HEAD, a bad range, a non-http URL and a host listed twice', () => {
    const base = {
      host: 'a.example',
      url: 'https://a.example/',
      intervalSeconds: 60,
      timeoutMs: 1000,
      retries: 1,
    };
    expect(
      UptimeCheck.safeParse({ ...base, expectedStatus: [200], keyword: 'x', method: 'HEAD' }).success,
    ).toBe(false);
    expect(UptimeConfig.safeParse({ defaults: { expectedStatus: { min: 400, max: 200 } } }).success).toBe(
      false,
    );
    expect(UptimeConfig.safeParse({ checks: [{ host: 'a.example', url: 'ftp://a.example/' }] }).success).toBe(
      false,
    );
    expect(UptimeConfig.safeParse({ checks: [{ host: 'a.example' }, { host: 'a.example' }] }).success).toBe(
      false,
    );
    expect(UptimeConfig.safeParse({ defaults: { intervalSeconds: 1 } }).success).toBe(false);
    const head = UptimeConfig.safeParse({
      defaults: { method: 'HEAD' },
      checks: [{ host: 'a.example', keyword: 'x' }],
    });
    expect(head.error?.issues.map((i) => i.path.join('.'))).toEqual(['checks.0.keyword']);
  });
});

describe('statusAccepted', () => {
  it('reads a range inclusively and a list exactly', () => {
    const range = { min: 200, max: 399 };
    expect([199, 200, 301, 399, 400].map((s) => statusAccepted(s, range))).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
    expect([200, 204, 404].map((s) => statusAccepted(s, [204, 404]))).toEqual([false, true, true]);
  });
});
