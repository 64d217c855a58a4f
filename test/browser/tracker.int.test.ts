import { expect, it } from 'vitest';
import { onPglite, useTrackerFixture } from './tracker-fixture.ts';

// Our tracker in a real browser against a real server: pages on another origin (the page server),
// events read back from the database.
onPglite('the tracker in a browser', () => {
  const fx = useTrackerFixture();

  it('records a page view with its url, path and referrer, and SPA navigations as new page views', async () => {
    fx.setUp('/pv/robot', { domain: 'fixie.run', allow: false });
    fx.setUp('/pv/home', { domain: 'fixie.run' });
    // Without data-allow-automation a WebDriver-controlled browser sends nothing.
    await fx.page.goto(`${fx.pages.origin}/pv/robot`);
    await fx.trackerLoaded();

    await fx.page.goto(`${fx.pages.origin}/pv/home?campaign=x#intro`, {
      referer: 'http://news.example/story',
    });
    const referrer = await fx.page.evaluate(() => document.referrer);
    expect(referrer).toMatch(/^http:\/\/news\.example\//);
    const [first] = await fx.waitForEvents('/pv/home', 1);
    expect(first).toMatchObject({
      name: 'pageview',
      host: 'fixie.run',
      url: `${fx.pages.origin}/pv/home?campaign=x`,
      hostname: '127.0.0.1',
      pathname: '/pv/home',
      referrer,
      props: {},
      browser: 'Chrome',
      interactive: true,
    });

    await fx.page.evaluate(() => history.pushState({}, '', '/pv/home/about'));
    // Same path again (a router normalising its state) is not a new page.
    await fx.page.evaluate(() => history.replaceState({ x: 1 }, '', '/pv/home/about'));
    await fx.page.evaluate(() => history.pushState({}, '', '/pv/home/pricing'));
    await fx.page.goBack();
    const rows = await fx.waitForEvents('/pv/', 4);
    expect(rows.map((r) => r.pathname)).toEqual([
      '/pv/home',
      '/pv/home/about',
      '/pv/home/pricing',
      '/pv/home/about',
    ]);
    expect(new Set(rows.map((r) => r.visitor_id)).size).toBe(1);
    expect(rows.some((r) => r.pathname === '/pv/robot')).toBe(false);
  });

  it('records custom events queued before load and after, with props, revenue and its EUR value', async () => {
    fx.setUp('/custom/checkout', {
      domain: 'puffs-store.com',
      head: `<script>portfolio('Purchase', { props: { plan: 'pro', seats: 3, trial: false }, revenue: { amount: '12.50', currency: 'USD' } });</script>`,
    });
    await fx.page.goto(`${fx.pages.origin}/custom/checkout`);
    await fx.trackerLoaded();
    const called = await fx.page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          window.portfolio('Signup', { props: { plan: 'pro' }, callback: () => resolve('called') });
        }),
    );
    expect(called).toBe('called');

    const rows = await fx.waitForEvents('/custom/', 3);
    const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(Object.keys(byName).sort()).toEqual(['Purchase', 'Signup', 'pageview']);
    expect(byName.Purchase).toMatchObject({
      host: 'puffs-store.com',
      pathname: '/custom/checkout',
      props: { plan: 'pro', seats: 3, trial: false },
      revenue_amount: '12.50',
      revenue_currency: 'USD',
    });
    expect(Number(byName.Purchase?.value_eur)).toBeCloseTo(10.75, 2); // seeded rate: 0.86 EUR per USD
    expect(byName.Signup).toMatchObject({ props: { plan: 'pro' }, revenue_amount: null, value_eur: null });
  });

  it('records an outbound link click without holding up the navigation', async () => {
    const target = `${fx.pages.otherOrigin}/elsewhere/landing?from=test`;
    // Loaded by Plausible's historical script name, as a site switching from Plausible would.
    fx.setUp('/out/page', {
      domain: 'aiftw.be',
      src: '/js/plausible.js',
      body: `<a id="out" href="${target}">partner</a>`,
    });
    await fx.page.goto(`${fx.pages.origin}/out/page`);
    await fx.trackerLoaded();
    await Promise.all([fx.page.waitForURL(target), fx.page.click('#out')]);
    expect(await fx.page.textContent('body')).toContain('landed');

    const rows = await fx.waitForEvents('/out/', 2);
    expect(rows.map((r) => [r.name, r.props])).toEqual([
      ['pageview', {}],
      ['Outbound Link: Click', { url: target }],
    ]);
  });

  it('records a file download, without its query string', async () => {
    fx.setUp('/dl/page', {
      domain: 'aiftw.be',
      body: '<a id="dl" href="/files/report.pdf?signature=secret">report</a>',
    });
    await fx.page.goto(`${fx.pages.origin}/dl/page`);
    await fx.trackerLoaded();
    const [download] = await Promise.all([fx.page.waitForEvent('download'), fx.page.click('#dl')]);
    expect(download.suggestedFilename()).toBe('report.pdf');

    const rows = await fx.waitForEvents('/dl/', 2);
    expect(rows.map((r) => [r.name, r.props])).toEqual([
      ['pageview', {}],
      ['File Download', { url: `${fx.pages.origin}/files/report.pdf` }],
    ]);
  });

  it('counts hash routes as pages in hash mode', async () => {
    fx.setUp('/hash/app', { domain: 'adaptogenic-mushrooms.com', attributes: 'data-hash' });
    await fx.page.goto(`${fx.pages.origin}/hash/app#/pricing`);
    await fx.trackerLoaded();
    await fx.page.evaluate(() => {
      location.hash = '#/docs';
    });
    const rows = await fx.waitForEvents('/hash/', 2);
    expect(rows.map((r) => [r.name, r.pathname, r.url])).toEqual([
      ['pageview', '/hash/app#/pricing', `${fx.pages.origin}/hash/app#/pricing`],
      ['pageview', '/hash/app#/docs', `${fx.pages.origin}/hash/app#/docs`],
    ]);
  });

  it("identifies the visitor with the site's own user id, and links its earlier events", async () => {
    fx.setUp('/ident/account', { domain: 'affinitylove.eu' });
    await fx.page.goto(`${fx.pages.origin}/ident/account`);
    const [view] = await fx.waitForEvents('/ident/', 1);
    const answer = await fx.page.evaluate(() => window.portfolio.identify('customer-42'));
    expect(answer).toMatchObject({ created: true, userId: expect.any(String) });
    const { userId } = answer as { userId: string };

    const ids = await fx.s.db.query<{ user_id: string }>(
      `SELECT x.user_id FROM user_external_ids x JOIN domains d ON d.id = x.domain_id
        WHERE d.host = 'affinitylove.eu' AND x.external_id = 'customer-42'`,
    );
    expect(ids.rows).toEqual([{ user_id: userId }]);
    const identities = await fx.s.db.query<{ user_id: string }>(
      'SELECT user_id FROM visitor_identities WHERE visitor_id = $1',
      [view?.visitor_id],
    );
    expect(identities.rows).toEqual([{ user_id: userId }]);
    expect((await fx.eventsUnder('/ident/'))[0]?.user_id).toBe(userId);
  });

  // Two owned domains: fixie.run on 127.0.0.1 links to rhymechain.win on localhost.
  const linkedSites = (prefix: string) => {
    const target = `${fx.pages.otherOrigin}${prefix}/b?keep=1#top`;
    fx.setUp(`${prefix}/a`, {
      domain: 'fixie.run',
      attributes: 'data-link-domains="rhymechain.win, localhost"',
      body: `<a id="go" href="${target}">our other site</a>`,
    });
    fx.setUp(`${prefix}/b`, { domain: 'rhymechain.win' });
    return target;
  };
  const identitiesOf = async (visitorIds: string[]) =>
    (
      await fx.s.db.query<{ host: string; user_id: string }>(
        `SELECT d.host, v.user_id FROM visitor_identities v JOIN domains d ON d.id = v.domain_id
          WHERE v.visitor_id = ANY ($1::text[]) ORDER BY d.host`,
        [visitorIds],
      )
    ).rows;

  it('joins the visitor of two owned domains through a link token, then hides the token', async () => {
    const target = linkedSites('/link1');
    await fx.page.goto(`${fx.pages.origin}/link1/a`);
    await fx.trackerLoaded();
    // Following the link from the keyboard: no mousedown fetched a token, so the click waits for one.
    await fx.page.focus('#go');
    await Promise.all([
      fx.page.waitForURL(`${fx.pages.otherOrigin}/link1/b**`),
      fx.page.keyboard.press('Enter'),
    ]);
    await fx.page.waitForFunction(() => !location.search.includes('_pos'));
    expect(fx.page.url()).toBe(target);

    const rows = await fx.waitForEvents('/link1/', 3);
    expect(rows.map((r) => [r.host, r.name, r.url, r.props])).toEqual([
      ['fixie.run', 'pageview', `${fx.pages.origin}/link1/a`, {}],
      ['fixie.run', 'Outbound Link: Click', `${fx.pages.origin}/link1/a`, { url: target }],
      ['rhymechain.win', 'pageview', `${fx.pages.otherOrigin}/link1/b?keep=1`, {}],
    ]);
    const visitors = [...new Set(rows.map((r) => r.visitor_id))];
    expect(visitors).toHaveLength(2);
    const identities = await fx.waitFor(
      () => identitiesOf(visitors),
      (list) => list.length === 2,
    );
    expect(identities.map((i) => i.host)).toEqual(['fixie.run', 'rhymechain.win']);
    expect(identities[0]?.user_id).toBe(identities[1]?.user_id);
  });

  it('decorates the link at once when the token is ready, also for a new tab', async () => {
    linkedSites('/link2');
    await fx.page.goto(`${fx.pages.origin}/link2/a`);
    await fx.trackerLoaded();
    // Ctrl+click opens a new tab: nothing can wait there, so the token must already be at hand.
    const href = await fx.page.getAttribute('#go', 'href');
    await fx.page.hover('#go');
    await fx.page.keyboard.down('Control');
    const [token] = await Promise.all([
      fx.page.waitForResponse(`${fx.s.url}/api/v1/link-token`),
      fx.page.mouse.down(),
    ]);
    // Let the page read the answer before the button goes up.
    await token.finished();
    await fx.page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50)));
    const [popup] = await Promise.all([fx.context.waitForEvent('page'), fx.page.mouse.up()]);
    await fx.page.keyboard.up('Control');
    await popup.waitForLoadState();
    const opened = fx.pages.requested.filter((r) => r.includes('/link2/b'));
    expect(opened).toEqual([expect.stringMatching(/\/link2\/b\?keep=1&_pos=[\w-]+\.[\w-]+$/)]);
    // The token is not left in the page, where a copied link would carry it.
    await fx.page.waitForFunction(
      (original) => document.querySelector('#go')?.getAttribute('href') === original,
      href,
    );
    await popup.waitForFunction(() => location.pathname === '/link2/b' && !location.search.includes('_pos'));

    const rows = await fx.waitForEvents('/link2/', 3);
    const visitors = [...new Set(rows.map((r) => r.visitor_id))];
    const identities = await fx.waitFor(
      () => identitiesOf(visitors),
      (list) => list.length === 2,
    );
    expect(identities[0]?.user_id).toBe(identities[1]?.user_id);
  });

  it('reports Web Vitals once, when the page is hidden', async () => {
    fx.setUp('/vitals/page', {
      domain: 'seobiz.be',
      head: `<script defer src="${fx.s.url}/js/script.vitals.js"></script>`,
      // A click handler busy for 60 ms: an interaction INP must see.
      body: `<button id="slow" onclick="const t = performance.now(); while (performance.now() - t < 60);">slow</button>`,
    });
    await fx.page.goto(`${fx.pages.origin}/vitals/page`);
    await fx.trackerLoaded();
    await fx.page.click('#slow');
    await fx.page.waitForTimeout(200);
    const hide = () =>
      fx.page.evaluate(() => {
        Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      });
    await hide();
    await hide();

    const rows = await fx.waitForEvents('/vitals/', 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const vitals = (await fx.eventsUnder('/vitals/')).filter((r) => r.name === 'Web Vitals');
    expect(vitals).toHaveLength(1);
    expect(rows.map((r) => r.name)).toEqual(['pageview', 'Web Vitals']);
    const [event] = vitals;
    expect(event?.interactive).toBe(false);
    const props = event?.props as Record<string, number>;
    expect(Object.keys(props).sort()).toEqual(['cls', 'fcp', 'inp', 'lcp', 'ttfb']);
    for (const value of Object.values(props)) expect(Number.isFinite(value) && value >= 0).toBe(true);
    expect(props.inp).toBeGreaterThanOrEqual(60);
    expect(props.cls).toBe(0);
    expect(props.fcp).toBeLessThanOrEqual(props.lcp as number);
  });
});
