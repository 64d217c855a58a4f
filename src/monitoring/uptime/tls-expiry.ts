// TLS certificate expiry warnings (docs/uptime.md "TLS"): pure, `now` is a parameter.

export const TLS_WARNING_DAYS = [21, 14, 7] as const;
export type TlsWarningLevel = '21d' | '14d' | '7d' | 'expired';
/** 'ok': more than 21 days left. */
export type TlsLevel = 'ok' | TlsWarningLevel;

const DAY_MS = 86_400_000;
/** Most severe first. */
const SEVERITY: readonly TlsWarningLevel[] = ['expired', '7d', '14d', '21d'];

/** Days left as a fraction (negative once expired). */
export function tlsDaysLeft(validTo: Date, now: Date): number {
  return (validTo.getTime() - now.getTime()) / DAY_MS;
}

/** The most severe threshold crossed: expired at notAfter, '7d' within 7 days, and so on. */
export function tlsExpiryLevel(validTo: Date, now: Date): TlsLevel {
  const left = tlsDaysLeft(validTo, now);
  if (left <= 0) return 'expired';
  for (const days of [...TLS_WARNING_DAYS].reverse()) if (left <= days) return `${days}d` as TlsWarningLevel;
  return 'ok';
}

/**
 * The warning to send now for a certificate, given the levels already sent for that same
 * certificate; null when nothing new. Crossing several thresholds at once (a certificate first
 * seen 10 days before expiry) sends only the most severe; the milder ones are then moot.
 */
export function tlsWarningDue(
  validTo: Date,
  now: Date,
  alreadyWarned: readonly TlsWarningLevel[],
): TlsWarningLevel | null {
  const level = tlsExpiryLevel(validTo, now);
  if (level === 'ok') return null;
  const rank = SEVERITY.indexOf(level);
  // Already warned at this level or a more severe one (rank ≤): nothing new.
  if (alreadyWarned.some((w) => SEVERITY.indexOf(w) <= rank)) return null;
  return level;
}
