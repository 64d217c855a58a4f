import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { assignVariation } from '../../src/experiments/assignment/standalone.ts';
import { onPglite, useTrackerFixture } from './tracker-fixture.ts';

// The experiments extension (src/ingest/tracker/experiments.js) in a real browser, exposures read
// back from the database. Definitions come inline, or from a site-hosted JSON (data-config).

const PRICING = { key: 'pricing-page', variations: 3, weights: [0.5, 0.25, 0.25], hashVersion: 2 };

declare global {
  interface Window {
    portfolioExperiments?: unknown;
  }
}
type WithVariant = Window['portfolio'] & {
  variant: (key: string) => number;
  experimentsReady: Promise<void>;
};

onPglite('the experiments extension in a browser', () => {
  const fx = useTrackerFixture();
  // A site serving its own definitions file, on another origin than its pages.
  const config = createServer((_request, response) => {
    response
      .writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' })
      .end(JSON.stringify({ experiments: [PRICING] }));
  });
  let configUrl = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => config.listen(0, '127.0.0.1', resolve));
    configUrl = `http://127.0.0.1:${(config.address() as AddressInfo).port}/experiments.json`;
  });
  afterAll(() => new Promise<void>((resolve) => config.close(() => resolve())));

  const addon = (attributes = '') =>
    `<script defer ${attributes} src="${fx.s.url}/js/script.experiments.js"></script>`;
  const variantOf = (key: string) =>
    fx.page.evaluate(async (k) => {
      const p = window.portfolio as WithVariant;
      await p.experimentsReady;
      return p.variant(k);
    }, key);
  const ready = () => fx.page.waitForFunction(() => 'variant' in window.portfolio);

  it('shows the bootstrapped user their variation and records one exposure per page view', async () => {
    fx.setUp('/xp1/home', {
      domain: 'fixie.run',
      head: `<script>window.portfolioExperiments = ${JSON.stringify({ id: 'user-42', experiments: [PRICING] })};</script>`,
      body: addon(),
    });
    const expected = assignVariation(PRICING, { id: 'user-42' });
    expect(expected.inExperiment).toBe(true);
    await fx.page.goto(`${fx.pages.origin}/xp1/home`);
    await ready();
    expect(await variantOf('pricing-page')).toBe(expected.variationId);
    expect(await variantOf('pricing-page')).toBe(expected.variationId);
    await fx.page.evaluate(() => history.pushState({}, '', '/xp1/pricing'));
    expect(await variantOf('pricing-page')).toBe(expected.variationId);

    const rows = await fx.waitForEvents('/xp1/', 4);
    // Fire-and-forget beacons: give a duplicate the time to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await fx.eventsUnder('/xp1/')).map((r) => [r.name, r.pathname, r.props, r.interactive])).toEqual([
      ['pageview', '/xp1/home', {}, true],
      [
        'Experiment Viewed',
        '/xp1/home',
        { experiment: 'pricing-page', variation: expected.variationId },
        false,
      ],
      ['pageview', '/xp1/pricing', {}, true],
      [
        'Experiment Viewed',
        '/xp1/pricing',
        { experiment: 'pricing-page', variation: expected.variationId },
        false,
      ],
    ]);
    expect(new Set(rows.map((r) => r.visitor_id)).size).toBe(1);
  });

  it('loads definitions from data-config and assigns by the id given to identify()', async () => {
    fx.setUp('/xp2/home', { domain: 'fixie.run', body: addon(`data-config="${configUrl}"`) });
    await fx.page.goto(`${fx.pages.origin}/xp2/home`);
    await ready();
    // Anonymous, no consent to store an id: the control, nothing recorded.
    expect(await variantOf('pricing-page')).toBe(0);
    await fx.page.evaluate(() => window.portfolio.identify('customer-7'));
    const expected = assignVariation(PRICING, { id: 'customer-7' }).variationId;
    expect(await variantOf('pricing-page')).toBe(expected);
    await fx.waitForEvents('/xp2/', 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const names = (await fx.eventsUnder('/xp2/')).map((r) => [r.name, r.props]);
    expect(names).toEqual([
      ['pageview', {}],
      ['Experiment Viewed', { experiment: 'pricing-page', variation: expected }],
    ]);
  });

  it('with data-storage keeps one random id in localStorage across page loads', async () => {
    fx.setUp('/xp3/home', { domain: 'fixie.run', body: addon(`data-storage data-config="${configUrl}"`) });
    await fx.page.goto(`${fx.pages.origin}/xp3/home`);
    await ready();
    const first = await variantOf('pricing-page');
    const id = await fx.page.evaluate(() => localStorage.portfolio_xid as string);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(first).toBe(assignVariation(PRICING, { id }).variationId);
    await fx.page.reload();
    await ready();
    expect(await variantOf('pricing-page')).toBe(first);
    expect(await fx.page.evaluate(() => localStorage.portfolio_xid)).toBe(id);
  });

  it("asks the stats server for the domain's definitions by default", async () => {
    fx.setUp('/xp4/home', { domain: 'fixie.run', body: addon() });
    const requested: string[] = [];
    fx.page.on('request', (request) => {
      requested.push(request.url());
    });
    await fx.page.goto(`${fx.pages.origin}/xp4/home`);
    await ready();
    // Whatever the server answers (the endpoint may not exist yet), the page keeps the control.
    expect(await variantOf('pricing-page')).toBe(0);
    expect(requested).toContain(`${fx.s.url}/api/v1/experiments/config?domain=fixie.run`);
  });
});
