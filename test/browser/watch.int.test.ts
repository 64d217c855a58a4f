import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAlertEvaluator } from '../../src/alerts/runtime/evaluate-alerts.ts';
import { resolveReceiversLeniently } from '../../src/alerts/runtime/runtime-receivers.ts';
import { startTestServer } from '../../src/test-support/test-server.ts';
import { launchChromium } from './chromium.ts';
import { addAnalyst, DashboardFixture, ensureDashboardBuilt, expectText } from './dashboard-fixture.ts';
import { onPglite } from './tracker-fixture.ts';
import {
  DOWN_HOST,
  insertKpiSnapshots,
  insertUptime,
  LCP_P75_TEXT,
  RECOVERED_HOST,
  RECOVERED_UPTIME_TEXT,
} from './watch-fixture.ts';

// The watch pages (KPIs, uptime, alerts, the overview's health score) in a browser, over KPI
// snapshots and uptime results written as the snapshot job and the uptime scheduler write them.
onPglite('the watch pages in a browser', () => {
  const fx = new DashboardFixture();
  beforeAll(async () => {
    await ensureDashboardBuilt();
    fx.s = await startTestServer();
    const now = new Date();
    await insertKpiSnapshots(fx.s.db, now);
    await insertUptime(fx.s.db, now);
    fx.browser = await launchChromium();
  });
  afterAll(async () => {
    await fx.browser?.close();
    await fx.s?.close();
  });

  it('shows each KPI with its progress, trend and verdict', async () => {
    const api = await fx.s.request('GET', '/api/v1/kpis/progress?days=90', { token: fx.s.ownerToken });
    expect(api.status).toBe(200);
    const byKey = Object.fromEntries(api.json.kpis.map((k: { key: string }) => [k.key, k]));
    expect(byKey.mrr.verdict).toBe('on-track');
    expect(byKey.dau.verdict).toBe('off-track');

    const { context, page } = await fx.newPage();
    await fx.logIn(page, fx.s.ownerToken, '/kpis');
    const mrr = page.locator('[data-testid=kpi-row][data-key=mrr]');
    await mrr.waitFor();
    expect(await mrr.getAttribute('data-verdict')).toBe('on-track');
    expect(await mrr.getByTestId('kpi-verdict').textContent()).toBe('On track');
    expect(await mrr.getByTestId('kpi-current').textContent()).toBe('€25,350');
    expect(await mrr.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    expect(await mrr.getByTestId('kpi-detail').textContent()).toContain('trend +€4,500/month'); // 150 a day
    await mrr.locator('[data-testid=kpi-spark-mrr] .spark-trend').waitFor();

    const dau = page.locator('[data-testid=kpi-row][data-key=dau]');
    expect(await dau.getByTestId('kpi-verdict').textContent()).toBe('Off track');
    const offTrack = api.json.kpis.filter((k: { verdict: string }) => k.verdict === 'off-track').length;
    await expectText(page, '[data-testid=kpi-count-off-track]', String(offTrack));
    await fx.screenshot(page, 'kpis');
    await context.close();
  });

  it('tells an operator limited to some domains why KPIs are not shown', async () => {
    const token = await addAnalyst(fx.s, 'kpi-limited@example.com', ['fixie.run']);
    const { context, page } = await fx.newPage();
    await fx.logIn(page, token, '/kpis');
    const message = page.getByTestId('kpis-no-access');
    await message.waitFor();
    expect(await message.textContent()).toContain('KPIs are portfolio-wide');
    await context.close();
  });

  it('shows uptime per domain, the open incident first, and draws incidents on the chart', async () => {
    const { context, page } = await fx.newPage();
    await fx.logIn(page, fx.s.ownerToken, '/uptime');
    const rows = page.locator('[data-testid=uptime-table] tbody tr');
    await rows.first().waitFor();
    expect(await rows.first().getAttribute('data-host')).toBe(DOWN_HOST);
    await expectText(page, '[data-testid=uptime-down]', '1');
    expect(await rows.first().getByTestId('uptime-incident').textContent()).toContain('connection');
    const recovered = page.locator(`[data-testid=uptime-table] tr[data-host="${RECOVERED_HOST}"]`);
    expect(await recovered.getByTestId('uptime-30d').textContent()).toBe(RECOVERED_UPTIME_TEXT);

    // The down domain is selected by default; picking the other one draws its incident.
    await page.locator(`[data-testid=uptime-history] .panel-head`, { hasText: DOWN_HOST }).waitFor();
    await recovered.getByRole('button').click();
    await page.waitForURL(new RegExp(`host=${RECOVERED_HOST}`));
    await page.locator('[data-testid=uptime-history] .panel-head', { hasText: RECOVERED_HOST }).waitFor();
    await expectText(page, '[data-testid=history-incidents]', '1');
    const bands = page.locator('[data-testid=uptime-chart] [data-testid=incident-band]');
    await bands.first().waitFor();
    expect(await bands.count()).toBe(1);
    expect(await bands.first().textContent()).toContain('status 503');

    const lcp = page.locator(`[data-testid=web-vitals] tr[data-host="${RECOVERED_HOST}"] td[data-label=LCP]`);
    expect(await lcp.textContent()).toBe(LCP_P75_TEXT);
    await fx.screenshot(page, 'uptime');
    await context.close();

    const dark = await fx.newPage({ colorScheme: 'dark' });
    await fx.logIn(dark.page, fx.s.ownerToken, `/uptime?host=${RECOVERED_HOST}`);
    await dark.page.locator('[data-testid=uptime-chart] [data-testid=incident-band]').waitFor();
    await fx.screenshot(dark.page, 'uptime-dark');
    await dark.context.close();

    const phone = await fx.newPage({ width: 390, height: 844 });
    await fx.logIn(phone.page, fx.s.ownerToken, '/uptime');
    await phone.page.locator('[data-testid=uptime-chart] svg').waitFor();
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await fx.screenshot(phone.page, 'uptime-phone');
    await phone.context.close();
  });

  it('lists a firing alert, acknowledges it and silences it from the page; the overview shows the health score', async () => {
    // Rules evaluated as the server's evaluator does, 3 minutes apart: availability_low (for: 2m)
    // fires on fixie.run, which refused every connection of the last 15 minutes.
    const evaluator = createAlertEvaluator({
      db: fx.s.db,
      portfolio: () => fx.s.portfolio.current()?.portfolio ?? null,
      receivers: resolveReceiversLeniently([], { env: {} }),
    });
    const now = Date.now();
    await evaluator.evaluate(new Date(now - 3 * 60_000));
    await evaluator.evaluate(new Date(now));
    const listed = await fx.s.request('GET', '/api/v1/alerts', { token: fx.s.ownerToken });
    expect(listed.status).toBe(200);
    const target = listed.json.alerts.find(
      (a: { rule: string; labels: { domain?: string } }) =>
        a.rule === 'availability_low' && a.labels.domain === DOWN_HOST,
    );
    expect(target?.status).toBe('firing');

    const { context, page } = await fx.newPage();
    await fx.logIn(page, fx.s.ownerToken, '/alerts');
    const row = page.locator(`[data-testid=alert-row][data-fingerprint="${target.fingerprint}"]`);
    await page.locator(`[data-testid=alerts-firing] [data-fingerprint="${target.fingerprint}"]`).waitFor();
    expect(await row.getAttribute('data-status')).toBe('firing');
    await fx.screenshot(page, 'alerts');

    await row.getByRole('button', { name: 'Acknowledge' }).click();
    await page
      .locator(`[data-testid=alert-row][data-fingerprint="${target.fingerprint}"][data-status=acknowledged]`)
      .waitFor();
    expect(await row.getByTestId('alert-status').textContent()).toBe('Acknowledged');
    const acked = await fx.s.request('GET', '/api/v1/alerts', { token: fx.s.ownerToken });
    const ackedAlert = acked.json.alerts.find(
      (a: { fingerprint: string }) => a.fingerprint === target.fingerprint,
    );
    expect(ackedAlert.acknowledgedBy).toBeTruthy();

    await row.getByRole('button', { name: 'Silence' }).click();
    await row.getByLabel('Why').fill('fixie.run is being moved to a new host');
    await row.getByRole('button', { name: 'Silence', exact: true }).click();
    const silenced = page.locator(
      `[data-testid=alerts-silenced] [data-testid=alert-row][data-fingerprint="${target.fingerprint}"]`,
    );
    await silenced.waitFor();
    expect(await silenced.getAttribute('data-status')).toBe('silenced');
    await page
      .locator('[data-testid=silence-row]', { hasText: 'fixie.run is being moved to a new host' })
      .waitFor();
    await fx.screenshot(page, 'alerts-silenced');

    // The overview's score is the API's: 100 − 30/15/5/1 per firing critical/high/medium/low alert.
    const health = (await fx.s.request('GET', '/api/v1/alerts/health', { token: fx.s.ownerToken })).json;
    const c = health.overall.counts;
    expect(health.overall.score).toBe(
      Math.max(0, 100 - 30 * c.critical - 15 * c.high - 5 * c.medium - c.low),
    );
    await page.getByRole('link', { name: 'Overview' }).click();
    await expectText(page, '[data-testid=health-score-value]', String(health.overall.score));
    expect(await page.getByTestId('health-status').textContent()).toBe(health.overall.status);
    await fx.screenshot(page, 'overview-health');
    await context.close();
  });

  it('ran every page above without a script error or a content security policy violation', () => {
    expect(fx.pageErrors).toEqual([]);
  });
});
