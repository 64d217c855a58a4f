/** One event as it is stored: the output of every collection endpoint after validation and enrichment. */
export interface EventRow {
  domainId: string;
  occurredAt: Date;
  name: string;
  /** Client-supplied id; a second event with the same id on the same domain is a duplicate. */
  eventId: string | null;
  visitorId: string | null;
  userId: string | null;
  sessionId: string | null;
  url: string | null;
  referrer: string | null;
  hostname: string | null;
  pathname: string | null;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  channel: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
  screen: string | null;
  language: string | null;
  props: Record<string, string | number | boolean>;
  interactive: boolean;
  revenueAmount: string | null;
  revenueCurrency: string | null;
  valueEur: string | null;
}

export function emptyEvent(domainId: string, name: string, occurredAt: Date): EventRow {
  return {
    domainId,
    occurredAt,
    name,
    eventId: null,
    visitorId: null,
    userId: null,
    sessionId: null,
    url: null,
    referrer: null,
    hostname: null,
    pathname: null,
    source: null,
    medium: null,
    campaign: null,
    channel: null,
    browser: null,
    os: null,
    device: null,
    screen: null,
    language: null,
    props: {},
    interactive: true,
    revenueAmount: null,
    revenueCurrency: null,
    valueEur: null,
  };
}
