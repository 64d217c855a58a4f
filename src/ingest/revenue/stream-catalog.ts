import type { Portfolio } from '../../config/portfolio-schema.ts';

/** Revenue stream id → the host it is earned on, or null for a cross-platform stream. */
export type StreamCatalog = ReadonlyMap<string, string | null>;

export function streamCatalogOf(portfolio: Pick<Portfolio, 'revenueStreams'>): StreamCatalog {
  return new Map(portfolio.revenueStreams.map((s) => [s.id, s.domain ?? null]));
}

/** Why `stream` cannot be recorded on `host`, or null when it can. */
export function streamProblem(catalog: StreamCatalog, stream: string, host: string): string | null {
  if (!catalog.has(stream)) return `unknown revenue stream ${stream} (not in the portfolio file)`;
  const streamHost = catalog.get(stream);
  if (streamHost && streamHost !== host)
    return `revenue stream ${stream} belongs to ${streamHost}, not ${host}`;
  return null;
}
