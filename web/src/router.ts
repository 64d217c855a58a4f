import { useSyncExternalStore } from 'react';

// Client-side routing on the History API: the server answers index.html for any app path.
// The query string carries the filters, so a copied URL opens the same view.

const NAVIGATE_EVENT = 'pos:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

/** The current path and query string; re-renders on navigation. */
export function useLocation(): { path: string; search: URLSearchParams } {
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, window.location.origin);
  return { path: url.pathname, search: url.searchParams };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
  if (!options.replace) window.scrollTo(0, 0);
}

export type Route =
  | { page: 'login' }
  | { page: 'overview' }
  | { page: 'domain'; host: string }
  | { page: 'revenue' }
  | { page: 'users' }
  | { page: 'kpis' }
  | { page: 'alerts' }
  | { page: 'uptime' }
  | { page: 'experiments' }
  | { page: 'experiment'; key: string }
  | { page: 'rewards' }
  | { page: 'not-found' };

export function matchRoute(path: string): Route {
  if (path === '/' || path === '') return { page: 'overview' };
  if (path === '/login') return { page: 'login' };
  if (path === '/revenue') return { page: 'revenue' };
  if (path === '/users') return { page: 'users' };
  if (path === '/kpis') return { page: 'kpis' };
  if (path === '/alerts') return { page: 'alerts' };
  if (path === '/uptime') return { page: 'uptime' };
  if (path === '/experiments') return { page: 'experiments' };
  if (path === '/rewards') return { page: 'rewards' };
  const domain = /^\/domains\/([^/]+)\/?$/.exec(path);
  if (domain?.[1]) return { page: 'domain', host: decodeURIComponent(domain[1]) };
  const experiment = /^\/experiments\/([^/]+)\/?$/.exec(path);
  if (experiment?.[1]) return { page: 'experiment', key: decodeURIComponent(experiment[1]) };
  return { page: 'not-found' };
}
