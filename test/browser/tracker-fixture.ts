import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import { describeIntegration } from '../../src/test-support/integration.ts';
import { testBackend } from '../../src/test-support/test-db.ts';
import { startTestServer, type TestServer } from '../../src/test-support/test-server.ts';
import { launchChromium } from './chromium.ts';
import { type PageServer, startPageServer, type TrackerPageOptions, trackerPage } from './page-server.ts';

/**
 * Browser suites run once, on the pglite project: what they test is the browser side, the same
 * whatever database stores the events.
 */
export const onPglite = testBackend() === 'pglite' ? describeIntegration : describe.skip;

export interface StoredEvent {
  name: string;
  url: string;
  hostname: string;
  pathname: string;
  referrer: string | null;
  props: Record<string, unknown>;
  revenue_amount: string | null;
  revenue_currency: string | null;
  value_eur: string | null;
  interactive: boolean;
  browser: string | null;
  os: string | null;
  device: string | null;
  channel: string | null;
  visitor_id: string;
  user_id: string | null;
  host: string;
}

async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  // Generous: CI runs several suites and a browser on two cores at once.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** What a browser test works with; fields are set by the hooks `useTrackerFixture` registers. */
export class TrackerFixture {
  s!: TestServer;
  pages!: PageServer;
  browser!: Browser;
  context!: BrowserContext;
  page!: Page;
  readonly waitFor = poll;

  /** Registers a page with our tracker pointed at the API server. */
  setUp(path: string, options: Omit<TrackerPageOptions, 'api'>): void {
    this.pages.page(path, trackerPage({ api: this.s.url, ...options }));
  }

  /** Waits until the tracker has run: the queue snippet defines window.portfolio too, without identify(). */
  async trackerLoaded(on: Page = this.page): Promise<void> {
    await on.waitForFunction(() => 'identify' in window.portfolio);
  }

  async eventsUnder(prefix: string): Promise<StoredEvent[]> {
    const res = await this.s.db.query<StoredEvent>(
      `SELECT e.name, e.url, e.hostname, e.pathname, e.referrer, e.props, e.revenue_amount, e.revenue_currency,
              e.value_eur, e.interactive, e.browser, e.os, e.device, e.channel, e.visitor_id, e.user_id, d.host
         FROM events e JOIN domains d ON d.id = e.domain_id
        WHERE e.pathname LIKE $1 ORDER BY e.occurred_at, e.name <> 'pageview', e.name`,
      [`${prefix}%`],
    );
    return res.rows;
  }

  /** Polls until `count` events under a path prefix are stored (beacons are fire-and-forget). */
  waitForEvents(prefix: string, count: number): Promise<StoredEvent[]> {
    return poll(
      () => this.eventsUnder(prefix),
      (rows) => rows.length >= count,
    );
  }
}

/**
 * For a suite: an API server over a fresh database, the page server and Chromium; for each test a
 * fresh context and page. Call it at the top of a `describe`; read the fields inside tests.
 */
export function useTrackerFixture(): TrackerFixture {
  const fx = new TrackerFixture();
  let visitor = 0;
  beforeAll(async () => {
    [fx.s, fx.pages] = await Promise.all([startTestServer(), startPageServer()]);
    fx.browser = await launchChromium();
  });
  afterAll(async () => {
    await fx.browser?.close();
    await fx.pages?.close();
    await fx.s?.close();
  });
  // A user agent per test: the server treats HeadlessChrome as a bot, and a distinct agent makes
  // each test a distinct visitor (the visitor id hashes IP and agent).
  beforeEach(async () => {
    visitor += 1;
    fx.context = await fx.browser.newContext({
      userAgent: `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.${visitor}.0 Safari/537.36`,
    });
    fx.context.setDefaultTimeout(10_000);
    fx.page = await fx.context.newPage();
  });
  afterEach(async () => {
    await fx.context.close();
  });
  return fx;
}

declare global {
  interface Window {
    portfolio: ((name: string, options?: Record<string, unknown>) => void) & {
      q?: unknown[];
      identify: (externalId: string) => Promise<unknown>;
    };
  }
}
