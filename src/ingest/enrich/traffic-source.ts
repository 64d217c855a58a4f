// Where a visit came from: campaign tags on the landing URL, else the referrer, grouped into the
// GA4/Plausible default channels so reports compare with what owners already know.
import {
  type KnownSource,
  lookupHost,
  lookupSourceName,
  normalizeHost,
  type SourceKind,
} from './known-hosts.ts';

export type Channel =
  | 'Direct'
  | 'Organic Search'
  | 'Paid Search'
  | 'Organic Social'
  | 'Paid Social'
  | 'Email'
  | 'Affiliates'
  | 'Display'
  | 'Referral'
  | 'Internal';

export interface TrafficInput {
  url: string | null;
  referrer: string | null;
  /** The current site's host(s); a referrer on one of them (or a subdomain) is internal navigation. */
  ownHosts: readonly string[];
}

export interface TrafficSource {
  source: string | null;
  medium: string | null;
  campaign: string | null;
  channel: Channel;
  /** Normalised (lowercase, no `www.`/`m.`/`l.`/`lm.`), also for internal referrers; null without one. */
  referrerHost: string | null;
}

export const MAX_TRAFFIC_FIELD_LENGTH = 200;

// Ad click ids appended by the platforms themselves. gclid/msclkid are paid clicks; fbclid is added to
// every outbound Facebook link, paid or not, so it only names the source.
const CLICK_IDS: ReadonlyArray<{ param: string; source: KnownSource; medium: string | null }> = [
  { param: 'gclid', source: { name: 'Google', kind: 'search' }, medium: 'cpc' },
  { param: 'gbraid', source: { name: 'Google', kind: 'search' }, medium: 'cpc' },
  { param: 'wbraid', source: { name: 'Google', kind: 'search' }, medium: 'cpc' },
  { param: 'msclkid', source: { name: 'Bing', kind: 'search' }, medium: 'cpc' },
  { param: 'fbclid', source: { name: 'Facebook', kind: 'social' }, medium: null },
];

// Medium keywords, after GA4's default channel group definitions.
const PAID_MEDIUM = /^(?:.*cp.*|ppc|retargeting|paid.*)$/;
const DISPLAY_MEDIUM = /^(?:display|banner|expandable|interstitial|cpm)$/;
const EMAIL_KEYWORD = /^(?:e[-_ ]?mail|newsletter)s?$/;
const AFFILIATE_MEDIUM = /^affiliates?$/;
const SOCIAL_MEDIUM = /^(?:social|social[-_ ](?:network|media)|sm)$/;
const REFERRER_PROTOCOLS = new Set(['http:', 'https:', 'android-app:']);

export function classifyTraffic(input: TrafficInput): TrafficSource {
  const page = parseUrl(input.url);
  const params = page ? queryParams(page) : new Map<string, string>();
  const referrer = parseUrl(input.referrer);
  const referrerHost =
    referrer && REFERRER_PROTOCOLS.has(referrer.protocol) && referrer.hostname
      ? normalizeHost(referrer.hostname)
      : null;

  // The page's own host counts as own too: a self-referral is internal even if ownHosts is stale.
  const ownHosts = [...input.ownHosts, ...(page?.hostname ? [page.hostname] : [])].map(normalizeHost);
  const internal = referrerHost !== null && ownHosts.some((own) => isSameOrSubdomain(referrerHost, own));

  const taggedSource = params.get('utm_source') ?? params.get('ref') ?? params.get('source') ?? null;
  const click = CLICK_IDS.find(({ param }) => params.has(param)) ?? null;

  let source: string | null = null;
  let kind: SourceKind | null = null;
  if (taggedSource !== null) {
    const known = lookupSourceName(taggedSource);
    source = known?.name ?? taggedSource;
    kind = known?.kind ?? null;
  } else if (click) {
    ({ name: source, kind } = click.source);
  } else if (referrerHost !== null && !internal) {
    const known = lookupHost(referrerHost);
    source = known?.name ?? referrerHost;
    kind = known?.kind ?? null;
  }
  // A click id implies its medium only for its own platform (utm_source=newsletter&gclid=… stays untyped).
  const medium = params.get('utm_medium') ?? (click && source === click.source.name ? click.medium : null);

  return {
    source: truncate(source),
    medium: truncate(medium),
    campaign: truncate(params.get('utm_campaign') ?? null),
    channel: channelFor(source, medium, kind, internal),
    referrerHost,
  };
}

/**
 * First match wins. Paid with a source that is neither search nor social becomes Display: we have
 * no "Paid Other" channel, and such clicks are nearly always ad-network placements. Anything else
 * naming a source or medium we cannot place is a Referral.
 */
function channelFor(
  source: string | null,
  medium: string | null,
  kind: SourceKind | null,
  internal: boolean,
): Channel {
  if (source === null && medium === null) return internal ? 'Internal' : 'Direct';
  const m = medium?.toLowerCase() ?? '';
  const s = source?.toLowerCase() ?? '';
  if (PAID_MEDIUM.test(m)) {
    if (kind === 'search') return 'Paid Search';
    if (kind === 'social') return 'Paid Social';
    return 'Display';
  }
  if (DISPLAY_MEDIUM.test(m)) return 'Display';
  if (kind === 'email' || EMAIL_KEYWORD.test(m) || EMAIL_KEYWORD.test(s)) return 'Email';
  if (AFFILIATE_MEDIUM.test(m)) return 'Affiliates';
  if (kind === 'social' || SOCIAL_MEDIUM.test(m)) return 'Organic Social';
  if (kind === 'search' || m === 'organic') return 'Organic Search';
  if (source === null && internal) return 'Internal';
  return 'Referral';
}

function isSameOrSubdomain(host: string, own: string): boolean {
  return own !== '' && (host === own || host.endsWith(`.${own}`));
}

function parseUrl(value: string | null): URL | null {
  if (!value) return null;
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** Lowercased parameter names, first non-blank value wins, values trimmed. */
function queryParams(url: URL): Map<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    const key = name.toLowerCase();
    const trimmed = value.trim();
    if (trimmed !== '' && !params.has(key)) params.set(key, trimmed);
  }
  return params;
}

function truncate(value: string | null): string | null {
  return value === null ? null : value.slice(0, MAX_TRAFFIC_FIELD_LENGTH);
}
