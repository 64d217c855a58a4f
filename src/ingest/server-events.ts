import { AppError } from '../shared/app-error.ts';
import { toEur } from './browser-hit.ts';
import { classifyTraffic } from './enrich/traffic-source.ts';
import { parseUserAgentCached } from './enrich/user-agent-cache.ts';
import { LIMITS } from './event-limits.ts';
import { type EventRow, emptyEvent } from './event-row.ts';
import type { ServerEvent } from './events-api.ts';

/** Builds stored events from a server-side batch; rejects timestamps too far in the future or past. */
export function eventsFromServerBatch(
  events: readonly ServerEvent[],
  ctx: { domainId: string; host: string; now: Date; users: Map<string, string>; rates: Map<string, string> },
): EventRow[] {
  const earliest = ctx.now.getTime() - LIMITS.maxPastDays * 86_400_000;
  const latest = ctx.now.getTime() + LIMITS.maxFutureMs;
  return events.map((e, i) => {
    const occurredAt = e.occurredAt ? new Date(e.occurredAt) : ctx.now;
    if (occurredAt.getTime() > latest || occurredAt.getTime() < earliest) {
      throw new AppError(
        'invalid_request',
        'occurredAt must be within the last 5 years and at most 5 minutes in the future',
        `body.events.${i}.occurredAt`,
      );
    }
    const row = emptyEvent(ctx.domainId, e.name, occurredAt);
    row.eventId = e.eventId ?? null;
    row.userId = e.userId ? (ctx.users.get(e.userId) ?? null) : null;
    row.visitorId = e.visitorId ?? null;
    row.sessionId = e.sessionId ?? null;
    row.props = e.props ?? {};
    if (e.url) {
      const url = new URL(e.url);
      const traffic = classifyTraffic({
        url: e.url,
        referrer: e.referrer ?? null,
        ownHosts: [ctx.host, url.hostname],
      });
      row.url = e.url;
      row.hostname = url.hostname;
      row.pathname = url.pathname;
      row.referrer = e.referrer ?? null;
      row.source = traffic.source;
      row.medium = traffic.medium;
      row.campaign = traffic.campaign;
      row.channel = traffic.channel;
    }
    if (e.userAgent) {
      const agent = parseUserAgentCached(e.userAgent);
      row.browser = agent.browser;
      row.os = agent.os;
      row.device = agent.device;
    }
    if (e.revenue) {
      const rate = ctx.rates.get(e.revenue.currency);
      if (rate === undefined) {
        throw new AppError(
          'invalid_request',
          `unknown currency ${e.revenue.currency}`,
          `body.events.${i}.revenue.currency`,
        );
      }
      row.revenueAmount = e.revenue.amount;
      row.revenueCurrency = e.revenue.currency;
      row.valueEur = toEur(e.revenue.amount, rate);
    }
    return row;
  });
}
