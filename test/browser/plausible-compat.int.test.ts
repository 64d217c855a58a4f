import { expect, it } from 'vitest';
import { onPglite, type StoredEvent, useTrackerFixture } from './tracker-fixture.ts';

// Plausible's own trackers pointed at our server: their events must be counted like ours.
onPglite("Plausible's trackers against our server", () => {
  const fx = useTrackerFixture();

  it("counts events from Plausible's own tracker package the same way as ours", async () => {
    // plausible-tracker's ES module build, pointed at our server; it has no WebDriver check, and
    // trackLocalhost lets it send from 127.0.0.1.
    fx.pages.page(
      '/cmp/page',
      `<!doctype html><html><head><title>plausible</title>
<script type="module">
  const via = new URLSearchParams(location.search).get('via');
  if (via === 'plausible') {
    const { default: Plausible } = await import('/plausible-tracker/index.js');
    const { trackPageview, trackEvent } = Plausible({ domain: 'seobiz.be', apiHost: '${fx.s.url}', trackLocalhost: true });
    trackPageview();
    trackEvent('Signup', { props: { plan: 'pro' } });
  } else {
    const tag = document.createElement('script');
    tag.src = '${fx.s.url}/js/script.js';
    tag.dataset.domain = 'seobiz.be';
    tag.setAttribute('data-allow-localhost', '');
    tag.setAttribute('data-allow-automation', '');
    tag.onload = () => window.portfolio('Signup', { props: { plan: 'pro' } });
    document.head.append(tag);
  }
</script></head><body><p>compare</p></body></html>`,
    );
    await fx.page.goto(`${fx.pages.origin}/cmp/page?via=plausible`, { referer: 'http://news.example/' });
    const theirs = await fx.waitForEvents('/cmp/', 2);
    await fx.page.goto(`${fx.pages.origin}/cmp/page?via=ours`, { referer: 'http://news.example/' });
    const all = await fx.waitForEvents('/cmp/', 4);
    const ours = all.slice(theirs.length);

    const counted = (rows: StoredEvent[]) =>
      rows.map(({ url: _url, visitor_id: _visitor, user_id: _user, ...rest }) => rest);
    expect(theirs.map((r) => [r.name, r.url])).toEqual([
      ['pageview', `${fx.pages.origin}/cmp/page?via=plausible`],
      ['Signup', `${fx.pages.origin}/cmp/page?via=plausible`],
    ]);
    expect(ours.map((r) => [r.name, r.url])).toEqual([
      ['pageview', `${fx.pages.origin}/cmp/page?via=ours`],
      ['Signup', `${fx.pages.origin}/cmp/page?via=ours`],
    ]);
    expect(counted(ours)).toEqual(counted(theirs));
    expect(theirs[1]).toMatchObject({ host: 'seobiz.be', pathname: '/cmp/page', props: { plan: 'pro' } });
  });

  // Plausible's current script (plausible/analytics, tracker/src/track.js and engagement.js; also
  // the newer @plausible-analytics/tracker package) adds fields the npm plausible-tracker 0.3.9
  // does not: `v` (its version) on every event, and `engagement` events with `sd` (scroll depth, %)
  // and `e` (engaged ms). They must be accepted; engagement pings are not stored as events.
  const postFromPage = (body: Record<string, unknown>) =>
    fx.page.evaluate(
      async ({ api, payload }) => {
        const res = await fetch(api, {
          method: 'POST',
          body: JSON.stringify({ ...payload, u: location.href }),
          headers: { 'content-type': 'text/plain' },
        });
        return res.status;
      },
      { api: `${fx.s.url}/api/event`, payload: body },
    );

  it("accepts the version field `v` of Plausible's current script", async () => {
    await fx.page.goto(`${fx.pages.origin}/plausible-v/page`);
    expect(await postFromPage({ n: 'pageview', v: 33, d: 'seobiz.be', r: null })).toBe(202);
    expect((await fx.waitForEvents('/plausible-v/', 1)).map((r) => r.name)).toEqual(['pageview']);
  });

  it("accepts the engagement events of Plausible's current script, without storing them", async () => {
    await fx.page.goto(`${fx.pages.origin}/plausible-engagement/page`);
    const engagement = { n: 'engagement', sd: 42, e: 3100, v: 33, d: 'seobiz.be', p: {} };
    expect(await postFromPage(engagement)).toBe(202);
    expect(await postFromPage({ n: 'pageview', v: 33, d: 'seobiz.be', r: null })).toBe(202);
    expect((await fx.waitForEvents('/plausible-engagement/', 1)).map((r) => r.name)).toEqual(['pageview']);
  });
});
