import { webcrypto } from 'node:crypto';
import { createContext, Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { AGREEMENT_CASES, visitorIds } from '../../experiments/assignment/agreement-cases.ts';
import { assignVariation } from '../../experiments/assignment/standalone.ts';
import { loadScript } from './tracker-routes.ts';

// The extension as served, run in a minimal window: the tracker's side (window.portfolio and its
// identify) is recorded, so what the extension hands the tracker is what we assert on.
// Assignment parity and exposure bookkeeping are checked here; test/browser covers a real page.

interface Sent {
  name: string;
  options: { props: Record<string, unknown>; interactive: boolean };
}

interface Page {
  sent: Sent[];
  identified: string[];
  storage: Record<string, string>;
  variant: (key: string) => number;
  identify: (id: string) => void;
  navigate: (path: string, method?: 'pushState' | 'replaceState') => void;
  ready: () => Promise<void>;
  fetched: string[];
}

const served = (await loadScript('./experiments.js')).body;

function openPage(options: {
  bootstrap?: unknown;
  storage?: Record<string, string>;
  addonAttributes?: Record<string, string>;
}): Page {
  const sent: Sent[] = [];
  const identified: string[] = [];
  const fetched: string[] = [];
  const storage = options.storage ?? {};
  const attributes = (values: Record<string, string>) => ({
    getAttribute: (name: string) => values[name] ?? null,
    hasAttribute: (name: string) => name in values,
  });
  const location = { pathname: '/home', hash: '' };
  const portfolio = Object.assign(
    (name: string, opts: Sent['options']) => sent.push({ name, options: opts }),
    {
      identify: (id: string) => {
        identified.push(id);
        return Promise.resolve({});
      },
    },
  );
  const history = {
    pushState: (_s: unknown, _t: string, url: string) => {
      location.pathname = url;
    },
    replaceState: (_s: unknown, _t: string, url: string) => {
      location.pathname = url;
    },
  };
  const tracker = {
    src: 'https://stats.example/js/script.js',
    ...attributes({ 'data-domain': 'fixie.run, other.example' }),
  };
  const window: Record<string, unknown> = {
    portfolio,
    portfolioExperiments: options.bootstrap,
    location,
    history,
    localStorage: storage,
    crypto: webcrypto,
    URL,
    addEventListener: () => {},
    document: {
      currentScript: attributes(options.addonAttributes ?? {}),
      querySelector: () => tracker,
      addEventListener: () => {},
    },
    fetch: (url: string) => {
      fetched.push(url);
      return Promise.resolve({ ok: false });
    },
  };
  window.window = window;
  new Script(served).runInContext(createContext(window));
  const p = window.portfolio as typeof portfolio & {
    variant: (key: string) => number;
    experimentsReady: Promise<void>;
  };
  return {
    sent,
    identified,
    storage,
    fetched,
    variant: (key) => p.variant(key),
    identify: (id) => p.identify(id),
    navigate: (path, method = 'pushState') => history[method](null, '', path),
    ready: () => p.experimentsReady,
  };
}

describe('the experiments extension', () => {
  it.each(Object.entries(AGREEMENT_CASES))('assigns 20,000 ids as the core does: %s', (_name, experiment) => {
    const page = openPage({ bootstrap: { experiments: [experiment] } });
    const mismatches: string[] = [];
    for (const id of visitorIds(20_000)) {
      page.identify(id);
      const expected = assignVariation(experiment, { id }).variationId;
      if (page.variant(experiment.key) !== expected) mismatches.push(id);
    }
    expect(mismatches).toEqual([]);
  });

  it('records one non-interactive exposure per page view and variation, with the site user id', async () => {
    const experiment = { key: 'pricing-page', variations: 3, weights: [0.5, 0.25, 0.25], hashVersion: 2 };
    const page = openPage({ bootstrap: { id: 'user-42', experiments: [experiment] } });
    await page.ready();
    const expected = assignVariation(experiment, { id: 'user-42' });
    expect(expected.inExperiment).toBe(true);

    expect(page.variant('pricing-page')).toBe(expected.variationId);
    expect(page.variant('pricing-page')).toBe(expected.variationId);
    expect(page.sent).toEqual([
      {
        name: 'Experiment Viewed',
        options: {
          props: { experiment: 'pricing-page', variation: expected.variationId },
          interactive: false,
        },
      },
    ]);
    // Same path again is not a new page view; another path, and coming back, are.
    page.navigate('/home', 'replaceState');
    page.variant('pricing-page');
    page.navigate('/pricing');
    page.variant('pricing-page');
    page.navigate('/home');
    page.variant('pricing-page');
    expect(page.sent).toHaveLength(3);
    expect(page.variant('unknown')).toBe(0);
    expect(page.sent).toHaveLength(3);
  });

  it('uses the id passed to identify(), which still reaches the tracker', () => {
    const experiment = { key: 'hero', variations: 2, hashVersion: 2 };
    const page = openPage({ bootstrap: { experiments: [experiment] } });
    // Anonymous and no consent to store an id: the control, nothing recorded or stored.
    expect(page.variant('hero')).toBe(0);
    expect(page.sent).toEqual([]);
    expect(page.storage).toEqual({});

    const id = ['1', '2', '3', '4'].find(
      (i) => assignVariation(experiment, { id: i }).variationId === 1,
    ) as string;
    page.identify(id);
    expect(page.identified).toEqual([id]);
    expect(page.variant('hero')).toBe(1);
    expect(page.sent).toHaveLength(1);
  });

  it('keeps a random id in localStorage only with data-storage, the same on the next page', () => {
    const experiment = { key: 'hero', variations: 2, hashVersion: 2 };
    const storage: Record<string, string> = {};
    const first = openPage({
      bootstrap: { experiments: [experiment] },
      storage,
      addonAttributes: { 'data-storage': '' },
    });
    const shown = first.variant('hero');
    expect(storage.portfolio_xid).toMatch(/^[0-9a-f]{32}$/);
    expect(shown).toBe(assignVariation(experiment, { id: storage.portfolio_xid }).variationId);
    expect(first.sent).toHaveLength(1);
    const stored = storage.portfolio_xid;
    const next = openPage({
      bootstrap: { experiments: [experiment] },
      storage,
      addonAttributes: { 'data-storage': '' },
    });
    expect(next.variant('hero')).toBe(shown);
    expect(storage.portfolio_xid).toBe(stored);
  });

  it('shows a forced variation without recording an exposure, and the control to other hash attributes', () => {
    const page = openPage({
      bootstrap: {
        id: 'user-42',
        experiments: [
          { key: 'forced', variations: 2, force: 1 },
          { key: 'by-company', variations: 2, hashAttribute: 'company' },
        ],
      },
    });
    expect(page.variant('forced')).toBe(1);
    expect(page.variant('by-company')).toBe(0);
    expect(page.sent).toEqual([]);
  });

  it("fetches definitions from our API next to the tracker's, or from data-config", async () => {
    const page = openPage({});
    await page.ready();
    expect(page.fetched).toEqual(['https://stats.example/api/v1/experiments/config?domain=fixie.run']);
    expect(page.variant('anything')).toBe(0);
    const own = openPage({ addonAttributes: { 'data-config': 'https://fixie.run/experiments.json' } });
    await own.ready();
    expect(own.fetched).toEqual(['https://fixie.run/experiments.json']);
  });
});
