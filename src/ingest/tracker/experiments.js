// Portfolio OS experiments extension, loaded by a tag after the tracker:
//   <script defer src="https://STATS_HOST/js/script.experiments.js"></script>
// portfolio.variant(key) returns the visitor's variation index (0, the control, when not in the
// experiment) and records one non-interactive `Experiment Viewed` event { experiment, variation }
// per page view. Assignment is GrowthBook's, as in src/experiments/assignment/standalone.ts (the
// tests hold this copy to it). No id is stored unless the tag has data-storage (see README).
(() => {
  const w = window;
  const d = document;
  const tag = d.currentScript;
  const tracker = d.querySelector('script[data-domain]');

  const fnv = (s) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
    return h >>> 0;
  };
  // v1 (legacy, biased): value then seed, 1000 buckets; v2: seed then value, hashed twice.
  const hash = (seed, value, version) => {
    if (version === 2) return (fnv(String(fnv(seed + value))) % 10000) / 10000;
    if (version === 1) return (fnv(value + seed) % 1000) / 1000;
    return null;
  };
  // Index of the variation, or -1 when not in the experiment. Each variation owns
  // [start, start + coverage × weight), starts being the cumulative weights.
  const assign = (e, count, id) => {
    if (count < 2 || e.active === false || !id) return -1;
    const ns = e.namespace;
    if (ns) {
      const h = hash(`__${ns[0]}`, id, 1);
      if (!(h >= ns[1] && h < ns[2])) return -1;
    }
    const n = hash(e.seed || e.key, id, e.hashVersion || 1);
    if (n === null) return -1;
    let weights = e.weights || [];
    const total = weights.reduce((sum, x) => sum + x, 0);
    if (weights.length !== count || total < 0.99 || total > 1.01) weights = new Array(count).fill(1 / count);
    const coverage = Math.min(1, Math.max(0, e.coverage == null ? 1 : e.coverage));
    let start = 0;
    for (let i = 0; i < count; i++) {
      if (n >= start && n < start + coverage * weights[i]) return i;
      start += weights[i];
    }
    return -1;
  };

  const init = () => {
    const portfolio = w.portfolio;
    if (!tracker || !portfolio || !portfolio.identify) return;
    const site = tracker.getAttribute('data-domain').split(',')[0].trim();
    const api = tracker.getAttribute('data-api') || `${new URL(tracker.src).origin}/api/event`;
    const hashMode = tracker.hasAttribute('data-hash') || /\.hash\./.test(tracker.src);
    const boot = w.portfolioExperiments;

    // The id hashed: the site's own user id (bootstrap or identify()), else, only with the site's
    // data-storage opt-in (it has the visitor's consent), a random id kept in localStorage.
    let userId = boot && boot.id ? String(boot.id) : '';
    const identify = portfolio.identify;
    portfolio.identify = (externalId) => {
      userId = String(externalId);
      return identify(externalId);
    };
    const stored = () => {
      if (!tag || !tag.hasAttribute('data-storage')) return '';
      try {
        if (!localStorage.portfolio_xid) {
          const bytes = crypto.getRandomValues(new Uint8Array(16));
          localStorage.portfolio_xid = Array.from(bytes, (b) => (b + 256).toString(16).slice(1)).join('');
        }
        return localStorage.portfolio_xid;
      } catch (_) {
        return '';
      }
    };

    // Page views as the tracker counts them, so exposures are recorded once per page view.
    const pageOf = () => location.pathname + (hashMode ? location.hash : '');
    let page = pageOf();
    let view = 0;
    const navigated = () => {
      if (pageOf() !== page) view += 1;
      page = pageOf();
    };
    for (const method of ['pushState', 'replaceState']) {
      const original = history[method];
      history[method] = function (...args) {
        const result = original.apply(this, args);
        navigated();
        return result;
      };
    }
    w.addEventListener('popstate', navigated);
    if (hashMode) w.addEventListener('hashchange', navigated);

    const definitions = {};
    const load = (config) => {
      for (const e of (config && config.experiments) || []) definitions[e.key] = e;
    };
    const exposed = {};
    portfolio.variant = (key) => {
      const e = definitions[key];
      // Only the visitor id is known here: experiments hashing another attribute show the control.
      if (!e || (e.hashAttribute && e.hashAttribute !== 'id')) return 0;
      const count = typeof e.variations === 'number' ? e.variations : e.variations.length;
      const assigned = assign(e, count, userId || stored());
      if (assigned < 0) return 0;
      // A forced variation is shown to whoever would be included, but is not an exposure.
      if (e.force != null) return e.force >= 0 && e.force < count ? e.force : 0;
      const mark = `${key}:${assigned}`;
      if (exposed[mark] !== view) {
        exposed[mark] = view;
        portfolio('Experiment Viewed', {
          props: { experiment: key, variation: assigned },
          interactive: false,
        });
      }
      return assigned;
    };
    if (boot) {
      load(boot);
      portfolio.experimentsReady = Promise.resolve();
    } else {
      const url =
        (tag && tag.getAttribute('data-config')) ||
        `${api.replace(/\/api\/event$/, '')}/api/v1/experiments/config?domain=${encodeURIComponent(site)}`;
      portfolio.experimentsReady = fetch(url)
        .then((r) => (r.ok ? r.json() : null))
        .then(load)
        .catch(() => {});
    }
  };
  // Deferred scripts run in document order: if this tag came first, the tracker runs before
  // DOMContentLoaded.
  if (w.portfolio && w.portfolio.identify) init();
  else d.addEventListener('DOMContentLoaded', init);
})();
