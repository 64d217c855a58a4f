import { useEffect, useState } from 'react';
import { formatCount } from '../format.ts';

export interface LiveCounts {
  total: number;
  byHost: Record<string, number>;
  connected: boolean;
}

interface LiveMessage {
  total: number;
  domains: { host: string; visitors: number }[];
}

/** Visitors now over Server-Sent Events (`/api/v1/live/visitors`); the browser reconnects by itself. */
export function useLiveVisitors(hosts: string[]): LiveCounts | null {
  const [counts, setCounts] = useState<LiveCounts | null>(null);
  const key = hosts.join(',');

  useEffect(() => {
    const url = key ? `/api/v1/live/visitors?domains=${encodeURIComponent(key)}` : '/api/v1/live/visitors';
    const source = new EventSource(url, { withCredentials: true });
    source.addEventListener('visitors', (e) => {
      const m = JSON.parse((e as MessageEvent<string>).data) as LiveMessage;
      setCounts({
        total: m.total,
        byHost: Object.fromEntries(m.domains.map((d) => [d.host, d.visitors])),
        connected: true,
      });
    });
    source.addEventListener('error', () => {
      setCounts((c) => (c ? { ...c, connected: source.readyState === EventSource.OPEN } : c));
    });
    return () => source.close();
  }, [key]);

  return counts;
}

/** The pill: "● 12 visitors now". */
export function LiveBadge(props: { counts: LiveCounts | null; host?: string }) {
  const { counts, host } = props;
  const n = counts ? (host ? (counts.byHost[host] ?? 0) : counts.total) : null;
  const online = counts?.connected ?? false;
  return (
    <span
      className={`live${online ? '' : ' offline'}`}
      title="Distinct visitors in the last 5 minutes, updated live"
      data-testid="live-visitors"
      aria-live="polite"
    >
      <span className="live-dot" aria-hidden="true" />
      <span className="num" data-testid="live-count">
        {n === null ? '–' : formatCount(n, true)}
      </span>
      {n === 1 ? 'visitor now' : 'visitors now'}
    </span>
  );
}
