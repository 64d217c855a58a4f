import type { Portfolio } from '../config/portfolio-schema.ts';

/** Domains a revenue stream earns on; an empty list means cross-platform (portfolio-wide). */
export function streamHosts(stream: Portfolio['revenueStreams'][number]): string[] {
  return stream.domain ? [stream.domain] : [];
}

export type ScopedPortfolio = Pick<
  Portfolio,
  'version' | 'name' | 'currency' | 'domains' | 'revenueStreams'
> &
  Partial<Portfolio>;

/**
 * The part of the portfolio a caller may read. Unscoped callers get everything; a caller limited
 * to some domains gets those domains and the revenue streams earned only on them — portfolio-wide
 * plans and financials reveal other domains' numbers, so they are left out.
 */
export function scopePortfolio(
  portfolio: Portfolio,
  visibleHosts: ReadonlySet<string> | null,
): ScopedPortfolio {
  if (visibleHosts === null) return portfolio;
  return {
    version: portfolio.version,
    name: portfolio.name,
    currency: portfolio.currency,
    domains: portfolio.domains.filter((d) => visibleHosts.has(d.host)),
    revenueStreams: portfolio.revenueStreams.filter((s) => {
      const hosts = streamHosts(s);
      return hosts.length > 0 && hosts.every((h) => visibleHosts.has(h));
    }),
  };
}
