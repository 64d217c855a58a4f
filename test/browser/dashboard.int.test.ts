import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import {
  addAnalyst,
  expectText,
  SIGNUPS,
  TOTAL_PAGEVIEWS,
  TOTAL_VISITORS,
  TRAFFIC,
  useDashboardFixture,
} from './dashboard-fixture.ts';
import { onPglite } from './tracker-fixture.ts';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

const hostsInTable = (page: Page) =>
  page.$$eval('[data-testid=domains-table] tbody tr', (rows) => rows.map((r) => r.getAttribute('data-host')));

// The dashboard as an operator uses it: built by Vite, served by the server with the metrics API,
// over traffic and orders stored through the public APIs (dashboard-fixture.ts has the figures).
onPglite('the dashboard in a browser', () => {
  const fx = useDashboardFixture();

  it('asks for a login, explains a refused token, and opens the overview with the right one', async () => {
    const { context, page } = await fx.newPage();
    await page.goto(`${fx.s.url}/`);
    await page.waitForURL(/\/login$/);
    await page.getByLabel('Login token').fill('pos_op_not-a-real-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('login-error').waitFor();
    expect(await page.getByTestId('login-error').textContent()).toContain('not accepted');
    await fx.screenshot(page, 'login-refused');

    await page.getByLabel('Login token').fill(fx.s.ownerToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Portfolio overview' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await context.close();
  });

  it('shows every domain side by side with the portfolio totals', async () => {
    const { context, page } = await fx.newPage();
    await fx.logIn(page, fx.s.ownerToken);
    await expectText(page, '[data-testid=total-visitors]', String(TOTAL_VISITORS)); // 43
    await expectText(page, '[data-testid=total-pageviews]', String(TOTAL_PAGEVIEWS)); // 86
    await expectText(page, '[data-testid=total-revenueEur]', '€150'); // 3 × €40 + 2 × €15
    await expectText(page, '[data-testid=total-conversionRate]', '18.6%'); // 8 signups ÷ 43 visitors
    // All seven domains of the portfolio, busiest first.
    const hosts = await hostsInTable(page);
    expect(hosts).toHaveLength(7);
    expect(hosts.slice(0, 4)).toEqual([
      'adaptogenic-mushrooms.com',
      'fixie.run',
      'aiftw.be',
      'puffs-store.com',
    ]);
    for (const [host, { visitors }] of Object.entries(TRAFFIC)) {
      await expectText(page, `tr[data-host="${host}"] [data-testid=cell-visitors]`, String(visitors));
    }
    await page.locator('[data-testid=portfolio-chart] svg').waitFor();
    await fx.screenshot(page, 'overview');
    await context.close();
  });

  it('narrows the figures to the domains picked in the filter, and keeps the choice in the URL', async () => {
    const { context, page } = await fx.newPage();
    await fx.logIn(page, fx.s.ownerToken);
    await expectText(page, '[data-testid=total-visitors]', String(TOTAL_VISITORS));

    await page.getByTestId('domain-filter').click();
    await page.locator('[role=menuitemcheckbox][data-host="fixie.run"]').click();
    await page.waitForURL(/domains=fixie\.run$/);
    await expectText(page, '[data-testid=total-visitors]', '9');
    await expectText(page, '[data-testid=total-revenueEur]', '€0');
    expect(await hostsInTable(page)).toEqual(['fixie.run']);

    await page.locator('[role=menuitemcheckbox][data-host="aiftw.be"]').click();
    await page.waitForURL(/domains=fixie\.run,aiftw\.be$/);
    await expectText(page, '[data-testid=total-visitors]', '15'); // 9 + 6

    // A shared link opens the same view.
    await page.reload();
    await expectText(page, '[data-testid=total-visitors]', '15');
    expect(await hostsInTable(page)).toEqual(['fixie.run', 'aiftw.be']);
    await fx.screenshot(page, 'overview-filtered');
    await context.close();
  });

  it('moves the live visitors counter when a visitor arrives', async () => {
    const { context, page } = await fx.newPage();
    await fx.logIn(page, fx.s.ownerToken);
    await page.waitForFunction(() =>
      /^\d+$/.test(document.querySelector('[data-testid=live-count]')?.textContent ?? ''),
    );
    const before = Number(await page.getByTestId('live-count').textContent());
    const fixieBefore = Number(await page.locator('tr[data-host="fixie.run"] td.num').first().textContent());

    const res = await fetch(`${fx.s.url}/api/event`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'user-agent': CHROME },
      body: JSON.stringify({ n: 'pageview', u: 'https://fixie.run/live', d: 'fixie.run' }),
    });
    expect(res.status).toBe(202);

    await expectText(page, '[data-testid=live-count]', String(before + 1));
    await expectText(page, 'tr[data-host="fixie.run"] td.num', String(fixieBefore + 1));
    await fx.screenshot(page, 'overview-live');
    await context.close();
  });

  it('shows an operator limited to some domains only those', async () => {
    const token = await addAnalyst(fx.s, 'limited@example.com', ['fixie.run', 'aiftw.be']);
    const { context, page } = await fx.newPage();
    await fx.logIn(page, token);
    await expectText(page, '[data-testid=total-visitors]', '15'); // 9 + 6: nothing of the other five
    expect((await hostsInTable(page)).sort()).toEqual(['aiftw.be', 'fixie.run']);
    await page.getByTestId('domain-filter').click();
    const offered = await page.$$eval('[role=menuitemcheckbox][data-host]', (items) =>
      items.map((i) => i.getAttribute('data-host')),
    );
    expect(offered.sort()).toEqual(['aiftw.be', 'fixie.run']);

    await page.goto(`${fx.s.url}/domains/adaptogenic-mushrooms.com`);
    await page.getByText('No domain adaptogenic-mushrooms.com in your scope.').waitFor();
    await context.close();
  });

  it('shows a domain as Plausible does: stats, chart, sources, pages, devices, goals and funnel', async () => {
    const { context, page } = await fx.newPage();
    await fx.logIn(page, fx.s.ownerToken, '/domains/adaptogenic-mushrooms.com');
    await expectText(page, '[data-testid=stat-visitors]', '24');
    await expectText(page, '[data-testid=stat-pageviews]', '48');
    await expectText(page, '[data-testid=stat-bounceRate]', '0%'); // two pages per visit
    await page.locator('[data-testid=pages] .bk-row', { hasText: '/pricing' }).waitFor();
    await page.locator('[data-testid=sources] .bk-row', { hasText: 'Organic Search' }).waitFor();
    await page.locator('[data-testid=domain-chart] svg').waitFor();
    // 8 of 24 visitors signed up: 33.3%.
    const signup = page.locator('[data-testid=goals] .bk-row', { hasText: 'Signup' });
    await signup.waitFor();
    expect(await signup.locator('.v').allTextContents()).toEqual([
      String(SIGNUPS),
      String(SIGNUPS),
      '33.3%',
      '—',
    ]);
    // The suggested funnel: the home page (24 visitors), then Signup (8: a third).
    await page.getByTestId('funnel-suggestion').click();
    await page.waitForURL(/funnel=\/,Signup/);
    await page.locator('[data-testid=funnel] .funnel-step').nth(1).waitFor();
    const funnel = await page.$$eval('[data-testid=funnel] .funnel-step', (steps) =>
      steps.map((s) => [s.querySelector('em')?.textContent, s.querySelector('strong')?.textContent]),
    );
    expect(funnel).toEqual([
      ['/', '24'],
      ['Signup', '8'],
    ]);
    await fx.screenshot(page, 'domain');

    // A domain without traffic explains how to install the tracker.
    await page.goto(`${fx.s.url}/domains/seobiz.be`);
    const snippet = page.getByTestId('tracker-snippet');
    await snippet.waitFor();
    expect(await snippet.textContent()).toContain(`data-domain="seobiz.be" src="${fx.s.url}/js/script.js"`);
    await fx.screenshot(page, 'domain-empty');
    await context.close();
  });

  it('shows the revenue and users pages', async () => {
    const { context, page } = await fx.newPage();
    await fx.logIn(page, fx.s.ownerToken, '/revenue');
    await expectText(page, '[data-testid=revenue-total]', '€150');
    await page.getByTestId('stream-targets').waitFor();
    await fx.screenshot(page, 'revenue');

    await page.getByRole('link', { name: 'Users' }).click();
    await page.waitForURL(/\/users$/);
    await page.locator('[data-testid=dau-chart] svg').waitFor();
    await fx.screenshot(page, 'users');
    await context.close();
  });

  it('follows a dark system theme, switches with the toggle, and fits a phone screen', async () => {
    const { context, page } = await fx.newPage({ colorScheme: 'dark' });
    await fx.logIn(page, fx.s.ownerToken);
    await expectText(page, '[data-testid=total-visitors]', String(TOTAL_VISITORS));
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.locator('[data-testid=portfolio-chart] svg').waitFor();
    await fx.screenshot(page, 'overview-dark');
    await page.getByTestId('theme-toggle').click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await context.close();

    const phone = await fx.newPage({ width: 390, height: 844 });
    await fx.logIn(phone.page, fx.s.ownerToken);
    await expectText(phone.page, '[data-testid=total-visitors]', String(TOTAL_VISITORS));
    // Nothing wider than the screen: wide tables scroll inside their panel.
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await fx.screenshot(phone.page, 'overview-phone');
    await phone.context.close();
  });

  it('ran every page above without a script error or a content security policy violation', () => {
    expect(fx.pageErrors).toEqual([]);
  });
});
