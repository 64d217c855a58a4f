import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { systemActor } from '../../src/auth/actor.ts';
import { addOperator } from '../../src/auth/add-operator.ts';
import { refreshRollups } from '../../src/metrics/rollups/refresh-rollups.ts';
import { startTestServer, type TestServer } from '../../src/test-support/test-server.ts';
import { launchChromium } from './chromium.ts';

const BUILD_SCRIPT = fileURLToPath(new URL('../../bin/build-dashboard.mjs', import.meta.url));
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-results/screenshots', import.meta.url));

const DAY_MS = 86_400_000;

/** Waits until the element's text is `expected`; on timeout fails showing the text it had. */
export async function expectText(page: Page, selector: string, expected: string): Promise<void> {
  try {
    await page.waitForFunction(
      ([sel, exp]) => document.querySelector(sel as string)?.textContent?.trim() === exp,
      [selector, expected],
    );
  } catch {
    expect(await page.locator(selector).first().textContent(), selector).toBe(expected);
  }
}

/**
 * Builds web/dist when it is missing or older than its sources, with the same script `npm start`
 * runs first, so a fresh clone's `npm test` works.
 */
export async function ensureDashboardBuilt(): Promise<void> {
  await promisify(execFile)(process.execPath, [BUILD_SCRIPT], {
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

/** Adds an analyst (optionally limited to some hosts) and returns their login token. */
export async function addAnalyst(s: TestServer, email: string, domains?: string[]): Promise<string> {
  const ctx = { db: s.db, actor: systemActor('test'), now: new Date() };
  const input = { email, role: 'analyst' as const, ...(domains ? { domains } : {}) };
  return (await addOperator({ ctx, input })).token;
}

/**
 * The traffic the suite stores, per domain: `visitors` people, each on one day 1–10 days ago
 * (so none is "live" and daily uniques add up to the range's), each viewing `/` and `/pricing`
 * in one session, arriving from Google (every other visitor) or directly.
 */
export const TRAFFIC: Record<string, { visitors: number }> = {
  'adaptogenic-mushrooms.com': { visitors: 24 },
  'fixie.run': { visitors: 9 },
  'aiftw.be': { visitors: 6 },
  'puffs-store.com': { visitors: 4 },
};
// Portfolio totals over the last 30 days: 24 + 9 + 6 + 4 = 43 visitors; 2 page views each = 86.
export const TOTAL_VISITORS = 43;
export const TOTAL_PAGEVIEWS = 86;
/** On adaptogenic-mushrooms.com every third visitor (v = 0, 3, … 21: 8 of 24) signs up after /pricing. */
export const SIGNUP_DOMAIN = 'adaptogenic-mushrooms.com';
export const SIGNUPS = 8;

/** Orders (EUR, completed) per domain: adaptogenic 3 × €40 = €120; puffs-store 2 × €15 = €30. */
export const ORDERS: { domain: string; amount: string; count: number }[] = [
  { domain: 'adaptogenic-mushrooms.com', amount: '40.00', count: 3 },
  { domain: 'puffs-store.com', amount: '15.00', count: 2 },
];

async function post(s: TestServer, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${s.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.ownerToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
}

/** Stores TRAFFIC and ORDERS through the public APIs (server-side events and revenue), then folds the rollups. */
export async function seedPortfolio(s: TestServer, now = new Date()): Promise<void> {
  for (const [domain, { visitors }] of Object.entries(TRAFFIC)) {
    const events = [];
    for (let v = 0; v < visitors; v++) {
      const day = 1 + (v % 10);
      const at = new Date(now.getTime() - day * DAY_MS);
      const visitor = `${domain}-visitor-${v}`;
      const referrer = v % 2 === 0 ? 'https://www.google.com/' : undefined;
      for (const [i, path] of ['/', '/pricing'].entries()) {
        events.push({
          name: 'pageview',
          eventId: `${visitor}-${i}`,
          visitorId: visitor,
          sessionId: `${visitor}-session`,
          occurredAt: new Date(at.getTime() + i * 30_000).toISOString(),
          url: `https://${domain}${path}`,
          ...(referrer && i === 0 ? { referrer } : {}),
        });
      }
      if (domain === SIGNUP_DOMAIN && v % 3 === 0) {
        events.push({
          name: 'Signup',
          eventId: `${visitor}-signup`,
          visitorId: visitor,
          sessionId: `${visitor}-session`,
          occurredAt: new Date(at.getTime() + 60_000).toISOString(),
          url: `https://${domain}/pricing`,
        });
      }
    }
    await post(s, '/api/v1/events', { domain, events });
  }
  for (const o of ORDERS) {
    for (let i = 0; i < o.count; i++) {
      await post(s, '/api/v1/revenue', {
        domain: o.domain,
        kind: 'order',
        amount: o.amount,
        currency: 'EUR',
        externalId: `order-${o.domain}-${i}`,
        occurredAt: new Date(now.getTime() - (2 + i) * DAY_MS).toISOString(),
      });
    }
  }
  await refreshRollups(s.db);
}

/** What a dashboard browser test works with; fields are set by the hooks `useDashboardFixture` registers. */
export class DashboardFixture {
  s!: TestServer;
  browser!: Browser;
  /** Errors the pages logged or threw (a blocked script or style shows up here), for a test to check. */
  readonly pageErrors: string[] = [];

  /** A fresh browser context (UTC, a desktop window, light scheme unless asked) and its page. */
  async newPage(
    options: { colorScheme?: 'light' | 'dark'; width?: number; height?: number } = {},
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await this.browser.newContext({
      timezoneId: 'UTC',
      viewport: { width: options.width ?? 1360, height: options.height ?? 900 },
      colorScheme: options.colorScheme ?? 'light',
    });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    page.on('pageerror', (err) => this.pageErrors.push(err.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text()))
        this.pageErrors.push(m.text());
    });
    return { context, page };
  }

  /** Logs in through the login form with a token. */
  async logIn(page: Page, token: string, path = '/'): Promise<void> {
    await page.goto(`${this.s.url}${path}`);
    await page.getByLabel('Login token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.topbar').waitFor();
  }

  async screenshot(page: Page, name: string): Promise<void> {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0)); // else the sticky top bar is drawn mid-page
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  }
}

/** For a suite: the built dashboard, a server over a fresh database with the seeded portfolio, and Chromium. */
export function useDashboardFixture(): DashboardFixture {
  const fx = new DashboardFixture();
  beforeAll(async () => {
    await ensureDashboardBuilt();
    fx.s = await startTestServer();
    await seedPortfolio(fx.s);
    fx.browser = await launchChromium();
  });
  afterAll(async () => {
    await fx.browser?.close();
    await fx.s?.close();
  });
  return fx;
}
