// Number formatting, one place: compact counts, euros, percentages, durations.

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en');

/** Numbers may arrive as exact decimal strings (money) or be missing. */
export function toNumber(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

export function formatCount(value: unknown, exact = false): string {
  const n = toNumber(value);
  if (n === null) return '—';
  if (exact || Math.abs(n) < 10_000) return whole.format(Math.round(n * 10) / 10);
  return compact.format(n);
}

export function formatEur(value: unknown, options: { exact?: boolean } = {}): string {
  const n = toNumber(value);
  if (n === null) return '—';
  if (!options.exact && Math.abs(n) >= 1_000_000) {
    return `€${compact.format(n)}`;
  }
  const cents = Math.abs(n) < 1000 && !Number.isInteger(n);
  return new Intl.NumberFormat('en-IE', {
    style: 'currency',
    currency: 'EUR',
    minimumFractionDigits: cents ? 2 : 0,
    maximumFractionDigits: cents ? 2 : 0,
  }).format(n);
}

/** A ratio (0.153) as a percentage (15.3%). */
export function formatPercent(ratio: unknown, digits = 1): string {
  const n = toNumber(ratio);
  if (n === null) return '—';
  if (n === 0) return '0%';
  return `${(n * 100).toFixed(Math.abs(n) >= 1 ? 0 : digits)}%`;
}

export function formatDuration(seconds: unknown): string {
  const n = toNumber(seconds);
  if (n === null) return '—';
  const s = Math.round(n);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

export function formatMonths(value: unknown): string {
  const n = toNumber(value);
  return n === null ? '—' : `${n.toFixed(1)} mo`;
}

export function formatRatio(value: unknown): string {
  const n = toNumber(value);
  return n === null ? '—' : `${n.toFixed(1)}×`;
}

/** A change (0.12) as "+12%"; null when there is nothing to compare with. */
export function formatChange(change: number | null | undefined): string | null {
  if (change === null || change === undefined || !Number.isFinite(change)) return null;
  const pct = change * 100;
  const digits = Math.abs(pct) < 10 ? 1 : 0;
  return `${pct > 0 ? '+' : pct < 0 ? '−' : ''}${Math.abs(pct).toFixed(digits)}%`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Labels for chart buckets: '2026-11-26' → 'Nov 26', '2026-11' → 'Nov 2026', hours → '14:00'. */
export function formatBucket(bucket: string, interval?: string): string {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ](\d{2}):(\d{2}))?/.exec(bucket);
  if (!m) return bucket;
  const month = MONTHS[Number(m[2]) - 1] ?? m[2];
  if (interval === 'hour' && m[4]) return `${m[4]}:${m[5]}`;
  if (interval === 'month' || !m[3]) return `${month} ${m[1]}`;
  return `${month} ${Number(m[3])}`;
}

export function formatDay(date: string): string {
  return formatBucket(date, 'day');
}

/** '2026-10-28'…'2026-11-26' → 'Oct 28 – Nov 26, 2026'. */
export function formatRange(from: string, to: string): string {
  const year = (d: string) => d.slice(0, 4);
  const start = year(from) === year(to) ? formatDay(from) : `${formatDay(from)}, ${year(from)}`;
  return from === to ? `${formatDay(to)}, ${year(to)}` : `${start} – ${formatDay(to)}, ${year(to)}`;
}
