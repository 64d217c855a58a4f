import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer } from '../../src/test-support/test-server.ts';
import { launchChromium } from './chromium.ts';
import { addAnalyst, DashboardFixture, ensureDashboardBuilt, expectText } from './dashboard-fixture.ts';
import { onPglite } from './tracker-fixture.ts';

// The experiments pages as an operator uses them: experiments defined and started through the API,
// exposures (`Experiment Viewed`) and goals sent through the public events API, results read in
// Chromium; a draft created and started through the form. The server runs on the real clock, so
// the start is moved 7 days back and the events fall inside those 7 days.

const DAY_MS = 86_400_000;
const WINNER = 'checkout-copy';
const SKEWED = 'hero-image';

interface Arm {
  variation: string;
  exposed: number;
  converted: number;
}
// 10 % against 13 %: the treatment wins clearly; 2,000/2,000 on a 50/50 split passes the SRM check.
const WINNER_ARMS: Arm[] = [
  { variation: 'control', exposed: 2000, converted: 200 },
  { variation: 'treatment', exposed: 2000, converted: 260 },
];
// 1,000/800 on a 50/50 split: chi-square 22.2, p ≈ 2e-6, far below the 0.001 the check fires at.
const SKEWED_ARMS: Arm[] = [
  { variation: 'control', exposed: 1000, converted: 100 },
  { variation: 'treatment', exposed: 800, converted: 80 },
];

const definition = (key: string, domain: string, extra: Record<string, unknown> = {}) => ({
  key,
  name: key === WINNER ? 'Checkout copy' : 'Hero image',
  hypothesis: 'Plainer words get more visitors to sign up',
  domains: [domain],
  variations: [
    { key: 'control', name: 'Control', weight: 0.5 },
    { key: 'treatment', name: 'Plain copy', weight: 0.5 },
  ],
  metrics: {
    primary: { key: 'signup', name: 'Signup', kind: 'conversion', event: 'Signup' },
    secondary: [{ key: 'newsletter', kind: 'conversion', event: 'Newsletter' }],
    guardrails: [{ key: 'errors', kind: 'conversion', event: 'Checkout Error', direction: 'decrease' }],
  },
  // A 20 % detectable change keeps the needed sample near the seeded one (the seed's 5 % needs ~190k).
  decision: { minimumDetectableEffect: 0.2 },
  ...extra,
});

// The page's formatting, restated: the test reads figures from the API and expects them shown so.
const pct = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x * 100).toFixed(1)}%`;
const chance = (p: number) => (p > 0.999 && p < 1 ? '>99.9%' : `${(p * 100).toFixed(1)}%`);
const whole = (n: number) => new Intl.NumberFormat('en').format(Math.round(n));

const texts = (page: Page, selector: string) =>
  page.$$eval(selector, (els) => els.map((e) => e.textContent?.trim() ?? ''));

onPglite('the experiments pages in a browser', () => {
  const fx = new DashboardFixture();
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fx.s.request(method, path, { token: fx.s.ownerToken, ...(body ? { body } : {}) });
    if (res.status >= 300)
      throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.json)}`);
    return res.json;
  };

  /** Exposures spread over the last 7 days, each converting a minute later when it is one of the first `converted`. */
  async function seedArms(key: string, domain: string, arms: Arm[], startedAt: Date): Promise<void> {
    const events: Record<string, unknown>[] = [];
    const span = 6 * DAY_MS;
    for (const arm of arms) {
      for (let i = 0; i < arm.exposed; i++) {
        const visitorId = `${key}-${arm.variation}-${i}`;
        const at = startedAt.getTime() + 3_600_000 + Math.floor((i / arm.exposed) * span);
        events.push({
          name: 'Experiment Viewed',
          eventId: `${visitorId}-x`,
          visitorId,
          occurredAt: new Date(at).toISOString(),
          url: `https://${domain}/checkout`,
          props: { experiment: key, variation: arm.variation },
        });
        if (i < arm.converted) {
          events.push({
            name: 'Signup',
            eventId: `${visitorId}-c`,
            visitorId,
            occurredAt: new Date(at + 60_000).toISOString(),
            url: `https://${domain}/welcome`,
          });
        }
        // The guardrail: one error in 20 visitors in every arm (no harm).
        if (i % 20 === 0) {
          events.push({
            name: 'Checkout Error',
            eventId: `${visitorId}-e`,
            visitorId,
            occurredAt: new Date(at + 30_000).toISOString(),
            url: `https://${domain}/checkout`,
          });
        }
      }
    }
    for (let i = 0; i < events.length; i += 1000) {
      await api('POST', '/api/v1/events', { domain, events: events.slice(i, i + 1000) });
    }
  }

  async function startBackdated(key: string): Promise<Date> {
    await api('POST', `/api/v1/experiments/${key}/start`, {});
    const startedAt = new Date(Date.now() - 7 * DAY_MS);
    await fx.s.db.query('UPDATE experiments SET started_at = $1 WHERE key = $2', [startedAt, key]);
    return startedAt;
  }

  beforeAll(async () => {
    await ensureDashboardBuilt();
    fx.s = await startTestServer();
    fx.browser = await launchChromium();
    await api('POST', '/api/v1/experiments', definition(WINNER, 'fixie.run'));
    await seedArms(WINNER, 'fixie.run', WINNER_ARMS, await startBackdated(WINNER));
    await api(
      'POST',
      '/api/v1/experiments',
      definition(SKEWED, 'puffs-store.com', {
        decision: { minimumDetectableEffect: 0.2, engine: 'frequentist' },
      }),
    );
    await seedArms(SKEWED, 'puffs-store.com', SKEWED_ARMS, await startBackdated(SKEWED));
  });
  afterAll(async () => {
    await fx.browser?.close();
    await fx.s?.close();
  });

  it('lists the experiments with status, domains, primary metric and days running', async () => {
    const { context, page } = await fx.newPage();
    await fx.logIn(page, fx.s.ownerToken, '/experiments');
    const row = page.locator(`[data-testid=experiment-row][data-key="${WINNER}"]`);
    await row.waitFor();
    expect(await row.getByTestId('experiment-status').textContent()).toBe('running');
    expect(await row.getByTestId('experiment-days').textContent()).toBe('7');
    expect(await row.textContent()).toContain('Conversion to Signup');
    expect(await row.textContent()).toContain('fixie.run');
    // The portfolio file's experiments come in as drafts.
    const draft = page.locator('[data-testid=experiment-row][data-key="checkout-flow"]');
    expect(await draft.getByTestId('experiment-status').textContent()).toBe('draft');
    expect(await draft.getByTestId('experiment-days').textContent()).toBe('—');
    await fx.screenshot(page, 'experiments-list');
    await context.close();
  });

  it('shows a clear winner: table, interval, chance to win, clean SRM, progress and "ship"', async () => {
    const results = await api('GET', `/api/v1/experiments/${WINNER}/results`);
    const effect = results.metrics[0].effects[0];
    expect(effect.chanceToWin).toBeGreaterThan(0.99);
    expect(effect.improvement).toBeGreaterThan(0.2);
    expect(results.recommendation).toMatchObject({ action: 'ship', variation: 'treatment' });
    expect(results.srm.warning).toBe(false);
    // The needed sample is the engine's (power 95 %, a 20 % change on a 10 % rate: some 12,000); the
    // page must show the engine's figure and the visitors and days still missing from it.
    const needed: number = results.progress.neededTotal;
    expect(needed).toBeGreaterThan(10_000);
    expect(needed).toBeLessThan(15_000);
    expect(results.progress.exposedTotal).toBe(4000);
    const more = needed - 4000;
    expect(results.progress.moreVisitors).toBe(more);
    expect(results.progress.moreDays).toBe(Math.ceil(more / (4000 / 7)));

    const { context, page } = await fx.newPage();
    await fx.logIn(page, fx.s.ownerToken, `/experiments/${WINNER}`);
    const table = '[data-testid=primary-metric] [data-testid=metric-signup]';
    await page.locator(`${table} tr[data-variation=treatment] [data-testid=cell-chance]`).waitFor();
    expect(await texts(page, `${table} [data-testid=cell-n]`)).toEqual(['2,000', '2,000']);
    expect(await texts(page, `${table} [data-testid=cell-sum]`)).toEqual(['200', '260']);
    expect(await texts(page, `${table} [data-testid=cell-mean]`)).toEqual(['10.00%', '13.00%']);
    const treatment = `${table} tr[data-variation=treatment]`;
    expect(await page.locator(`${treatment} [data-testid=cell-effect] strong`).textContent()).toBe(
      pct(effect.improvement),
    );
    expect(await page.locator(`${treatment} [data-testid=cell-ci]`).textContent()).toBe(
      `${pct(effect.ci[0])} … ${pct(effect.ci[1])}`,
    );
    expect(await page.locator(`${treatment} [data-testid=cell-chance]`).textContent()).toBe(
      chance(effect.chanceToWin),
    );
    // The whole interval is above zero: drawn green, right of the centre line.
    expect(await page.locator(`${treatment} .ci-bar`).getAttribute('data-tone')).toBe('good');
    // Bayesian engine: a credible interval, no p-value column.
    expect(await page.locator(`${table} thead`).textContent()).toContain('95% credible interval');
    expect(await page.locator(`${table} thead`).textContent()).not.toContain('p-value');

    await expectText(page, '[data-testid=recommendation-action]', 'Ship');
    await expectText(
      page,
      '[data-testid=recommendation-text]',
      `Ship Plain copy: ${chance(effect.chanceToWin)} chance to beat the control, ${pct(effect.improvement)} (CI ${pct(effect.ci[0])} … ${pct(effect.ci[1])}) on Signup.`,
    );
    expect(await page.getByTestId('srm-warning').count()).toBe(0);
    expect(await page.getByTestId('recommendation-rule').textContent()).toContain(
      'Sample ratio check passed',
    );
    await expectText(
      page,
      '[data-testid=progress-text]',
      `About ${whole(more)} more visitors, ${results.progress.moreDays} days at the current ${whole(4000 / 7)} a day.`,
    );
    expect(await page.locator('[role=progressbar]').getAttribute('aria-valuenow')).toBe(
      String(Math.floor((4000 / needed) * 100)),
    );
    // Guardrail and secondary metrics have their own tables.
    const errors = '[data-testid=guardrail-metrics] [data-testid=metric-errors]';
    expect(await texts(page, `${errors} [data-testid=cell-sum]`)).toEqual(['100', '100']);
    expect(
      await texts(
        page,
        '[data-testid=secondary-metrics] [data-testid=metric-newsletter] [data-testid=cell-sum]',
      ),
    ).toEqual(['0', '0']);
    await fx.screenshot(page, 'experiment-winner');

    // The owner ships the recommended variation from the page; history records it.
    await page.getByRole('button', { name: 'Ship…' }).click();
    expect(await page.getByLabel('Variation to ship').inputValue()).toBe('treatment');
    await page.getByRole('button', { name: 'Ship to everyone' }).click();
    await expectText(page, '.page-head [data-testid=experiment-status]', 'shipped treatment');
    await page.locator('[data-testid=experiment-history] li', { hasText: 'shipped' }).waitFor();
    expect((await api('GET', `/api/v1/experiments/${WINNER}`)).status).toBe('shipped');
    await context.close();
  });

  it('warns about a sample ratio mismatch and explains it', async () => {
    const { context, page } = await fx.newPage();
    await fx.logIn(page, fx.s.ownerToken, `/experiments/${SKEWED}`);
    const banner = page.getByTestId('srm-warning');
    await banner.waitFor();
    const text = (await banner.textContent()) ?? '';
    expect(text).toContain('Sample ratio mismatch');
    expect(text).toContain('control 55.6% (planned 50%), treatment 44.4% (planned 50%)');
    expect(text).toMatch(/p = \d\.\de-6/);
    expect(await texts(page, '[data-testid=primary-metric] [data-testid=cell-n]')).toEqual(['1,000', '800']);
    // The frequentist engine: a confidence interval and the p-value.
    const results = await api('GET', `/api/v1/experiments/${SKEWED}/results`);
    const pValue: number = results.metrics[0].effects[0].pValue;
    expect(pValue).toBeGreaterThan(0.5); // the same 10 % in both arms
    const head = (await page.locator('[data-testid=metric-signup] thead').textContent()) ?? '';
    expect(head).toContain('95% confidence interval');
    expect(head).toContain('p-value');
    expect(await page.locator('[data-testid=metric-signup] [data-testid=cell-p]').textContent()).toBe(
      pValue.toFixed(4),
    );
    await expectText(page, '[data-testid=recommendation-action]', 'Keep running');
    await fx.screenshot(page, 'experiment-srm');
    await context.close();

    // On a phone the tables become cards: nothing wider than the screen.
    const phone = await fx.newPage({ width: 390, height: 844 });
    await fx.logIn(phone.page, fx.s.ownerToken, `/experiments/${SKEWED}`);
    await phone.page.locator('[data-testid=metric-signup] [data-testid=cell-p]').waitFor();
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await fx.screenshot(phone.page, 'experiment-srm-phone');
    await phone.context.close();
  });

  it('creates a draft through the form, explains how to start it, and starts it', async () => {
    const { context, page } = await fx.newPage();
    await fx.logIn(page, fx.s.ownerToken, '/experiments');
    await page.getByRole('button', { name: 'New experiment' }).click();
    const form = page.getByTestId('experiment-form');
    await form.getByLabel('Name', { exact: true }).fill('Pricing headline');
    expect(await form.getByLabel('Key', { exact: true }).inputValue()).toBe('pricing-headline');
    await form.getByLabel('aiftw.be').check();
    await form.getByRole('button', { name: 'Add a variation' }).click();
    expect(await form.getByLabel('Variation 3 weight').inputValue()).toBe('33');
    expect(await form.getByLabel('Variation 1 weight').inputValue()).toBe('34');
    await form.getByLabel('Goal event').fill('Signup');
    await fx.screenshot(page, 'experiment-form');
    await form.getByRole('button', { name: 'Create draft' }).click();

    await page.waitForURL(/\/experiments\/pricing-headline$/);
    const empty = page.getByTestId('experiment-not-started');
    await empty.waitFor();
    expect(await empty.textContent()).toContain("portfolio.variant('pricing-headline')");
    await expectText(page, '.page-head [data-testid=experiment-status]', 'draft');
    await page.getByRole('button', { name: 'Start' }).click();
    await expectText(page, '.page-head [data-testid=experiment-status]', 'running');
    await page.getByTestId('no-exposures').waitFor();
    await fx.screenshot(page, 'experiment-started');

    await page.getByRole('link', { name: 'Experiments', exact: true }).first().click();
    const row = page.locator('[data-testid=experiment-row][data-key="pricing-headline"]');
    await row.waitFor();
    expect(await row.getByTestId('experiment-status').textContent()).toBe('running');
    const stored = await api('GET', '/api/v1/experiments/pricing-headline');
    expect(stored.definition.variations.map((v: { weight: number }) => v.weight)).toEqual([0.34, 0.33, 0.33]);
    expect(stored.definition.metrics.primary).toMatchObject({ kind: 'conversion', event: 'Signup' });
    await context.close();
  });

  it('shows an analyst the results without the buttons', async () => {
    const token = await addAnalyst(fx.s, 'reader@example.com');
    const { context, page } = await fx.newPage();
    await fx.logIn(page, token, `/experiments/${SKEWED}`);
    await page.getByTestId('srm-warning').waitFor();
    expect(await page.getByTestId('experiment-actions').count()).toBe(0);
    await page.goto(`${fx.s.url}/experiments`);
    await page.locator('[data-testid=experiment-row]').first().waitFor();
    expect(await page.getByRole('button', { name: 'New experiment' }).count()).toBe(0);
    await context.close();
  });

  it('ran every page above without a script error or a content security policy violation', () => {
    expect(fx.pageErrors).toEqual([]);
  });
});
