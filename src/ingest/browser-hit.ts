import { classifyTraffic } from './enrich/traffic-source.ts';
import { parseUserAgentCached } from './enrich/user-agent-cache.ts';
import { visitorHash } from './enrich/visitor-id.ts';
import type { Props, Revenue } from './event-limits.ts';
import { type EventRow, emptyEvent } from './event-row.ts';
import { centsOfNumeric, convertToEurCents, formatCents } from './revenue/money.ts';

/** What every browser-side endpoint (ours, Plausible's, Umami's) boils down to. */
export interface BrowserHit {
  name: string;
  url: string;
  referrer: string | null;
  props: Props;
  revenue: Revenue | null;
  interactive: boolean;
  screen: string | null;
  language: string | null;
}

export interface HitContext {
  domainId: string;
  host: string;
  ip: string;
  userAgent: string;
  salt: string;
  now: Date;
  /** EUR per unit of the revenue currency; null when the currency is unknown. */
  eurPerUnit: string | null;
}

/** Turns a hit into a stored event, or null for bots (counted as accepted, as Plausible does). */
export function eventFromHit(hit: BrowserHit, ctx: HitContext): EventRow | null {
  const agent = parseUserAgentCached(ctx.userAgent);
  if (agent.bot) return null;
  const url = new URL(hit.url);
  const traffic = classifyTraffic({
    url: hit.url,
    referrer: hit.referrer,
    ownHosts: [ctx.host, url.hostname],
  });
  const row = emptyEvent(ctx.domainId, hit.name, ctx.now);
  row.visitorId = visitorHash({
    salt: ctx.salt,
    domainId: ctx.domainId,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
  });
  row.url = hit.url;
  row.hostname = url.hostname;
  row.pathname = url.pathname + url.hash; // the hash is only kept in hash-routing mode
  row.referrer = traffic.channel === 'Internal' ? null : hit.referrer || null;
  row.source = traffic.source;
  row.medium = traffic.medium;
  row.campaign = traffic.campaign;
  row.channel = traffic.channel;
  row.browser = agent.browser;
  row.os = agent.os;
  row.device = agent.device;
  row.screen = hit.screen;
  row.language = hit.language;
  row.props = hit.props;
  row.interactive = hit.interactive;
  if (hit.revenue) {
    row.revenueAmount = hit.revenue.amount;
    row.revenueCurrency = hit.revenue.currency;
    row.valueEur = ctx.eurPerUnit === null ? null : toEur(hit.revenue.amount, ctx.eurPerUnit);
  }
  return row;
}

/** Converts a decimal amount to EUR exactly, rounded half away from zero to cents (as PostgreSQL does). */
export function toEur(amount: string, eurPerUnit: string): string {
  return formatCents(convertToEurCents(centsOfNumeric(amount), eurPerUnit));
}
