import { afterAll, beforeAll, expect, it } from 'vitest';
import { ALL_DOMAINS, type Db } from '../../db/types.ts';
import { emptyEvent } from '../../ingest/event-row.ts';
import { insertEvents } from '../../ingest/insert-events.sql.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { getWebVitals } from './get-web-vitals.ts';

// p75 of each vital on `Web Vitals` events inserted as the tracker's extension sends them.

describeIntegration('web vitals', () => {
  let db: Db;
  let ids: Record<string, string>;
  const t = (s: string) => new Date(`2026-11-${s}Z`);

  const vitals = (host: string, at: string, props: Record<string, string | number>, name = 'Web Vitals') => ({
    ...emptyEvent(ids[host] as string, name, t(at)),
    props,
    interactive: false,
  });

  beforeAll(async () => {
    db = await createTestDb();
    ids = await insertDomains(db, ['fast.example', 'slow.example', 'none.example']);
    await insertEvents(db, [
      // slow.example: LCP 1000, 1200, 1400, 1600 → p75 at rank 2.25 = 1400 + 0.25 × 200 = 1450.
      vitals('slow.example', '10T10:00:00', { lcp: 1000, fcp: 900, ttfb: 300, cls: 0.05, inp: 120 }),
      vitals('slow.example', '10T11:00:00', { lcp: 1200, fcp: 1000, ttfb: 500, cls: 0.3 }),
      vitals('slow.example', '11T09:00:00', { lcp: 1400, fcp: 1100, ttfb: 700, cls: 0.1, inp: 600 }),
      // A string value, as a Plausible-style client sends it, is read too.
      vitals('slow.example', '11T10:00:00', { lcp: '1600', fcp: 1200, ttfb: 900, cls: 0.2 }),
      // Outside the range, not the Web Vitals event, and out-of-bounds values: ignored.
      vitals('slow.example', '15T10:00:00', { lcp: 99_000 }),
      vitals('slow.example', '10T12:00:00', { lcp: 99_000 }, 'Signup'),
      vitals('slow.example', '10T13:00:00', { lcp: -5, cls: 'abc' }),
      // fast.example: LCP 800…1200 → p75 at rank 3 = 1100.
      ...[800, 900, 1000, 1100, 1200].map((lcp, i) => vitals('fast.example', `10T0${i}:00:00`, { lcp })),
    ]);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('computes p75 per domain, rates it and judges LCP against the seed’s 1.3 s', async () => {
    const r = await getWebVitals({
      ctx: { db, scope: ALL_DOMAINS, now: t('20T00:00:00') },
      input: { from: '2026-11-10', to: '2026-11-11', tz: 'UTC' },
    });
    const of = (host: string) => r.domains.find((d) => d.domain.host === host);
    expect(of('slow.example')).toMatchObject({
      pageLoads: 5,
      lcp: { p75: 1450, samples: 4, rating: 'good' },
      fcp: { p75: 1125, samples: 4, rating: 'good' },
      ttfb: { p75: 750, samples: 4, rating: 'good' },
      // CLS 0.05, 0.1, 0.2, 0.3 → rank 2.25 = 0.2 + 0.25 × 0.1 = 0.225.
      cls: { p75: 0.225, samples: 4, rating: 'needs_improvement' },
      // INP 120, 600 → rank 0.75 = 120 + 0.75 × 480 = 480.
      inp: { p75: 480, samples: 2, rating: 'needs_improvement' },
      seedTarget: { lcpBelowMs: 1300, verdict: 'missed' },
    });
    expect(of('fast.example')).toMatchObject({
      pageLoads: 5,
      lcp: { p75: 1100, samples: 5 },
      inp: { p75: null, samples: 0, rating: null },
      seedTarget: { verdict: 'met' },
    });
    expect(of('none.example')).toMatchObject({
      pageLoads: 0,
      lcp: { p75: null },
      seedTarget: { verdict: 'no_data' },
    });
  });
});
