import { z } from 'zod';
import { Host } from '../../config/portfolio/common.ts';

// What one uptime check does (docs/uptime.md "Configuration"). Every active domain of the portfolio
// gets a check with the defaults; `UptimeConfig` overrides them portfolio-wide or per host.

/** A status range (inclusive) or a list of accepted codes. Default: 200–399 (redirects count as up). */
export const ExpectedStatus = z.union([
  z
    .strictObject({ min: z.int().min(100).max(599), max: z.int().min(100).max(599) })
    .refine((r) => r.min <= r.max, 'min must not exceed max'),
  z.array(z.int().min(100).max(599)).min(1).max(50),
]);
export type ExpectedStatus = z.infer<typeof ExpectedStatus>;

export const CheckMethod = z.enum(['GET', 'HEAD']);

/** Tunable fields, without defaults: what a portfolio-wide or per-host override may set. */
const CheckFields = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .max(2000)
    .describe('Address to request (default https://<host>/)'),
  intervalSeconds: z.int().min(10).max(86_400).describe('Seconds between two runs (default 60)'),
  timeoutMs: z
    .int()
    .min(100)
    .max(120_000)
    .describe('Deadline of one attempt, whole body included (default 10000)'),
  retries: z
    .int()
    .min(0)
    .max(5)
    .describe(
      'Immediate retries of a failed attempt; the run is down after 1 + retries failures (default 1)',
    ),
  expectedStatus: ExpectedStatus.describe('Accepted status codes (default 200–399)'),
  keyword: z.string().min(1).max(200).describe('Text the body must contain (first 1 MB)'),
  method: CheckMethod.describe('GET (default) or HEAD; HEAD cannot check a keyword'),
  enabled: z
    .boolean()
    .describe('Checked at all (default: true for active domains, false for planned/paused)'),
});

export const CheckOverrides = CheckFields.partial();
export type CheckOverrides = z.infer<typeof CheckOverrides>;

/** The uptime section of the configuration: portfolio-wide defaults, then per-host overrides. */
export const UptimeConfig = z
  .strictObject({
    defaults: CheckFields.omit({ url: true, keyword: true, enabled: true }).partial().default({}),
    checks: z
      .array(CheckOverrides.extend({ host: Host }))
      .max(1000)
      .default([])
      .refine((c) => new Set(c.map((x) => x.host)).size === c.length, 'each host at most once'),
  })
  // Caught here, with its path, rather than as a failing check at every tick.
  .superRefine((config, ctx) => {
    config.checks.forEach((c, i) => {
      if (c.keyword !== undefined && (c.method ?? config.defaults.method) === 'HEAD')
        ctx.addIssue({
          code: 'custom',
          message: 'a HEAD request has no body: a keyword needs GET',
          path: ['checks', i, 'keyword'],
        });
    });
  });
export type UptimeConfig = z.infer<typeof UptimeConfig>;

/** One resolved check, every field set. */
export const UptimeCheck = CheckFields.omit({ keyword: true, enabled: true })
  .extend({ host: Host, keyword: z.string().min(1).max(200).nullable() })
  .refine((c) => !(c.method === 'HEAD' && c.keyword !== null), {
    message: 'a HEAD request has no body: a keyword needs GET',
    path: ['keyword'],
  });
export type UptimeCheck = z.infer<typeof UptimeCheck>;

export const CHECK_DEFAULTS = {
  intervalSeconds: 60,
  timeoutMs: 10_000,
  retries: 1,
  expectedStatus: { min: 200, max: 399 },
  method: 'GET',
} as const satisfies Omit<UptimeCheck, 'host' | 'url' | 'keyword'>;

export interface MonitoredDomain {
  id: string;
  host: string;
  /** The portfolio's status: only 'active' domains are checked unless an override enables them. */
  status: string;
}

/** The checks to run: one per domain enabled (active, or switched on by an override), defaults filled in. */
export function resolveChecks<D extends MonitoredDomain>(
  domains: readonly D[],
  config: UptimeConfig = UptimeConfig.parse({}),
): (UptimeCheck & { domain: D })[] {
  const byHost = new Map(config.checks.map((c) => [c.host, c]));
  const out: (UptimeCheck & { domain: D })[] = [];
  for (const domain of domains) {
    const o: CheckOverrides = byHost.get(domain.host) ?? {};
    if (!(o.enabled ?? domain.status === 'active')) continue;
    const check = UptimeCheck.parse({
      host: domain.host,
      url: o.url ?? `https://${domain.host}/`,
      intervalSeconds: o.intervalSeconds ?? config.defaults.intervalSeconds ?? CHECK_DEFAULTS.intervalSeconds,
      timeoutMs: o.timeoutMs ?? config.defaults.timeoutMs ?? CHECK_DEFAULTS.timeoutMs,
      retries: o.retries ?? config.defaults.retries ?? CHECK_DEFAULTS.retries,
      expectedStatus: o.expectedStatus ?? config.defaults.expectedStatus ?? CHECK_DEFAULTS.expectedStatus,
      keyword: o.keyword ?? null,
      method: o.method ?? config.defaults.method ?? CHECK_DEFAULTS.method,
    });
    out.push({ ...check, domain });
  }
  return out;
}

export function statusAccepted(code: number, expected: ExpectedStatus): boolean {
  return Array.isArray(expected) ? expected.includes(code) : code >= expected.min && code <= expected.max;
}

export function describeExpected(expected: ExpectedStatus): string {
  return Array.isArray(expected) ? expected.join(', ') : `${expected.min}–${expected.max}`;
}
