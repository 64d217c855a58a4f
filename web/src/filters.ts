import { navigate, useLocation } from './router.ts';

// The global controls (range, comparison, domains) live in the query string: shareable views.

export const PERIODS = [
  { value: 'today', label: 'Today' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: '90d', label: 'Last 90 days' },
  { value: '12mo', label: 'Last 12 months' },
] as const;
export type Period = (typeof PERIODS)[number]['value'];

export const COMPARISONS = [
  { value: 'previous_period', label: 'Previous period' },
  { value: 'previous_year', label: 'Previous year' },
  { value: 'none', label: 'No comparison' },
] as const;
export type Compare = (typeof COMPARISONS)[number]['value'];

export interface Filters {
  period: Period | 'custom';
  from: string | null;
  to: string | null;
  compare: Compare;
  /** Hosts picked in the domain filter; empty means every domain the operator may see. */
  domains: string[];
}

const DEFAULT_PERIOD: Period = '30d';
const DEFAULT_COMPARE: Compare = 'previous_period';
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The browser's time zone: dates in the dashboard are the viewer's calendar days. */
export const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function readFilters(search: URLSearchParams): Filters {
  const from = search.get('from');
  const to = search.get('to');
  const custom = from !== null && DATE.test(from) && (to === null || DATE.test(to));
  const period = PERIODS.find((p) => p.value === search.get('period'))?.value ?? DEFAULT_PERIOD;
  const compare = COMPARISONS.find((c) => c.value === search.get('compare'))?.value ?? DEFAULT_COMPARE;
  const domains = (search.get('domains') ?? '')
    .split(',')
    .map((d) => d.trim().toLowerCase())
    .filter((d) => d !== '');
  return {
    period: custom ? 'custom' : period,
    from: custom ? from : null,
    to: custom ? to : null,
    compare,
    domains,
  };
}

/** Writes filters into a query string, leaving defaults out so URLs stay short. */
export function writeFilters(f: Filters, into = new URLSearchParams()): URLSearchParams {
  for (const key of ['period', 'from', 'to', 'compare', 'domains']) into.delete(key);
  if (f.period === 'custom' && f.from) {
    into.set('from', f.from);
    if (f.to) into.set('to', f.to);
  } else if (f.period !== DEFAULT_PERIOD && f.period !== 'custom') {
    into.set('period', f.period);
  }
  if (f.compare !== DEFAULT_COMPARE) into.set('compare', f.compare);
  if (f.domains.length > 0) into.set('domains', f.domains.join(','));
  return into;
}

function withQuery(path: string, search: URLSearchParams): string {
  // Commas and slashes are legal in a query string: leave them readable in shared links.
  const q = search.toString().replaceAll('%2C', ',').replaceAll('%2F', '/');
  return q ? `${path}?${q}` : path;
}

/** The filters of the current URL, and a setter that navigates (replacing the history entry). */
export function useFilters(): [Filters, (patch: Partial<Filters>) => void] {
  const { path, search } = useLocation();
  const filters = readFilters(search);
  const set = (patch: Partial<Filters>) => {
    const next = writeFilters({ ...filters, ...patch }, new URLSearchParams(search));
    navigate(withQuery(path, next), { replace: true });
  };
  return [filters, set];
}

/** A page-specific query parameter (chart metric, interval, tab…) kept in the URL too. */
export function useQueryParam<T extends string>(name: string, fallback: T): [T, (value: T) => void] {
  const { path, search } = useLocation();
  const value = (search.get(name) as T | null) ?? fallback;
  const set = (next: T) => {
    const s = new URLSearchParams(search);
    if (next === fallback) s.delete(name);
    else s.set(name, next);
    navigate(withQuery(path, s), { replace: true });
  };
  return [value, set];
}

/** A link target that keeps the global filters (range, comparison, domains) of the current view. */
export function hrefKeepingFilters(
  path: string,
  search: URLSearchParams,
  overrides: Partial<Filters> = {},
): string {
  const f = { ...readFilters(search), ...overrides };
  return withQuery(path, writeFilters(f));
}

/** A metrics API URL for the filters, plus endpoint-specific parameters. */
export function metricsUrl(
  endpoint: string,
  f: Filters,
  extra: Record<string, string | number | undefined | null> = {},
): string {
  const q = new URLSearchParams();
  if (f.period === 'custom' && f.from) {
    q.set('from', f.from);
    if (f.to) q.set('to', f.to);
  } else if (f.period !== 'custom') {
    q.set('period', f.period);
  }
  q.set('tz', TIME_ZONE);
  q.set('compare', f.compare);
  if (f.domains.length > 0) q.set('domains', f.domains.join(','));
  for (const [k, v] of Object.entries(extra)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  return withQuery(`/api/v1/metrics/${endpoint}`, q);
}

/** The chart interval that suits a range: hours for a day, days up to two months, then weeks or months. */
export function defaultInterval(days: number): 'hour' | 'day' | 'week' | 'month' {
  if (days <= 1) return 'hour';
  if (days <= 62) return 'day';
  if (days <= 180) return 'week';
  return 'month';
}

export function periodDays(f: Filters): number {
  if (f.period === 'custom' && f.from) {
    const to = f.to ?? new Date().toISOString().slice(0, 10);
    return Math.round((Date.parse(to) - Date.parse(f.from)) / 86_400_000) + 1;
  }
  return { today: 1, '7d': 7, '30d': 30, '90d': 90, '12mo': 365, custom: 30 }[f.period];
}
