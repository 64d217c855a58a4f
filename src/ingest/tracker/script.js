// Portfolio OS tracker: page views, custom events, outbound links, file downloads and identity
// across owned domains. No cookies, no stored identifiers. Served with indentation and comment
// lines removed (compact-script.ts): keep comments on lines of their own, no multi-line strings.
(() => {
  const w = window;
  const d = document;
  const loc = location;
  const script = d.currentScript || d.querySelector('script[data-domain]');
  if (!script) return;
  const attr = (name) => script.getAttribute(name);
  const flag = (name) => script.hasAttribute(name);
  const list = (value) =>
    (value || '')
      .trim()
      .split(/\s*,\s*/)
      .filter(Boolean);
  const domains = attr('data-domain');
  if (!domains) return;
  // Identity calls are made for the first listed domain: the site itself.
  const site = list(domains)[0];
  const api = attr('data-api') || `${new URL(script.src).origin}/api/event`;
  // Identity endpoints sit next to the events endpoint, also behind a proxy path.
  const base = api.replace(/\/api\/event$/, '');
  const hashMode = flag('data-hash') || /\.hash\./.test(script.src);
  const linkHosts = list(attr('data-link-domains'));

  const ignored = () => {
    const local = /^(localhost|127(\.\d+){3}|\[::1\])$/.test(loc.hostname) || loc.protocol === 'file:';
    if (local && !flag('data-allow-localhost')) return 'localhost';
    if (navigator.webdriver && !flag('data-allow-automation')) return 'automation';
    try {
      if (localStorage.portfolio_ignore === 'true') return 'opt-out';
    } catch (_) {
      // Storage blocked: there is no opt-out to read.
    }
  };

  // A text/plain body makes a "simple" request: no CORS preflight.
  const send = (url, body) =>
    fetch(url, { method: 'POST', body, keepalive: true, headers: { 'content-type': 'text/plain' } });
  // Identity calls need the answer; failures resolve to {} so callers never see a rejection.
  const call = (path, body) =>
    send(base + path, JSON.stringify(body))
      .then((r) => r.json())
      .catch(() => ({}));

  const track = (name, options) => {
    const o = options || {};
    const done = () => o.callback && o.callback();
    const reason = ignored();
    if (reason) {
      console.warn(`[portfolio] ignored ${name}: ${reason}`);
      return done();
    }
    const body = { n: name, u: loc.href, d: domains, r: d.referrer || null };
    if (o.props) body.p = o.props;
    if (o.revenue) body.$ = o.revenue;
    if (o.interactive === false) body.i = false;
    if (hashMode) body.h = 1;
    const json = JSON.stringify(body);
    // A beacon outlives the page, so links and callbacks may navigate away at once.
    if (navigator.sendBeacon && navigator.sendBeacon(api, new Blob([json], { type: 'text/plain' }))) done();
    else send(api, json).then(done, done);
  };

  // One page view per route: replaceState and hash changes outside hash mode are not new pages.
  let lastPage;
  const pageview = () => {
    const page = loc.pathname + (hashMode ? loc.hash : '');
    if (page !== lastPage) track('pageview');
    lastPage = page;
  };

  // Arriving from another owned domain: join both visitors, and keep the token out of page URLs.
  const url = new URL(loc.href);
  const arrivalToken = url.searchParams.get('_pos');
  if (arrivalToken) {
    url.searchParams.delete('_pos');
    history.replaceState(history.state, '', url.href);
    if (!ignored()) call('/api/v1/identify', { domain: site, linkToken: arrivalToken });
  }

  // Link tokens live 10 minutes on the server; one is reused for 5, fetched on first need.
  let token;
  const linkToken = () => {
    if (!token || Date.now() - token.at > 300000) {
      const t = { at: Date.now() };
      t.promise = call('/api/v1/link-token', { domain: site }).then((j) => {
        t.value = j.token;
        if (!t.value) t.at = 0;
      });
      token = t;
    }
    return token;
  };
  const owned = (a) =>
    a.hostname !== loc.hostname && linkHosts.some((h) => a.hostname === h || a.hostname.endsWith(`.${h}`));
  // With a token at hand the link is rewritten before the browser follows it (any tab). Otherwise
  // a plain same-tab click waits up to 1 s for one; new tabs go without (no join, no harm).
  const decorate = (a, event) => {
    const t = linkToken();
    const original = a.href;
    // The browser reads the href as the click ends; put it back after, so the token never lingers
    // in the page (a copied link must not join whoever opens it).
    const rewrite = () => {
      if (!t.value) return;
      const target = new URL(original);
      target.searchParams.set('_pos', t.value);
      a.href = target.href;
      setTimeout(() => {
        a.href = original;
      });
    };
    if (t.value) return rewrite();
    const modified = event.button || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey;
    if (modified || event.type !== 'click' || event.defaultPrevented || (a.target && a.target !== '_self'))
      return;
    event.preventDefault();
    Promise.race([t.promise, new Promise((resolve) => setTimeout(resolve, 1000))]).then(() => {
      rewrite();
      loc.href = a.href;
    });
  };

  const FILES =
    /\.(pdf|xlsx?|docx?|pptx?|csv|txt|zip|rar|7z|gz|dmg|pkg|exe|msi|apk|epub|mp3|wav|mp4|mov|avi)$/i;
  const linkOf = (event) => event.target.closest && event.target.closest('a[href]');
  const onClick = (event) => {
    const a = linkOf(event);
    if (!a || !/^https?:$/.test(a.protocol) || (event.type === 'auxclick' && event.button !== 1)) return;
    // Download URLs often carry signed query strings: record the file, not the signature.
    if (FILES.test(a.pathname)) track('File Download', { props: { url: a.origin + a.pathname } });
    else if (a.host !== loc.host) track('Outbound Link: Click', { props: { url: a.href } });
    if (owned(a) && !ignored()) decorate(a, event);
  };
  // Fetch the token as the pointer goes down, so it is usually ready by the click.
  const prefetch = (event) => {
    const a = linkOf(event);
    if (a && owned(a) && !ignored()) linkToken();
  };

  const portfolio = (name, options) => track(name, options);
  portfolio.identify = (externalId) =>
    ignored()
      ? Promise.resolve({})
      : call('/api/v1/identify', { domain: site, externalId: String(externalId) });
  // Calls queued by the snippet before the script loaded; window.plausible(...) calls of a site
  // that switched from Plausible keep working.
  const queued = [].concat((w.portfolio && w.portfolio.q) || [], (w.plausible && w.plausible.q) || []);
  w.portfolio = portfolio;
  w.plausible = portfolio;
  for (const args of queued) track(args[0], args[1]);

  d.addEventListener('click', onClick);
  d.addEventListener('auxclick', onClick);
  d.addEventListener('mousedown', prefetch);
  d.addEventListener('touchstart', prefetch, { passive: true });
  for (const method of ['pushState', 'replaceState']) {
    const original = history[method];
    history[method] = function (...args) {
      const result = original.apply(this, args);
      pageview();
      return result;
    };
  }
  w.addEventListener('popstate', pageview);
  if (hashMode) w.addEventListener('hashchange', pageview);
  // A prerendered page counts once the visitor actually sees it.
  if (d.prerendering) d.addEventListener('prerenderingchange', pageview, { once: true });
  else pageview();
})();
