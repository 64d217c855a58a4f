import type { PersonIdentity } from './identities.ts';
import type { DemoSite, Person } from './population.ts';
import type { Random } from './random.ts';
import type { PageSpec, SiteProfile } from './site-profiles.ts';
import { pickSource } from './traffic-sources.ts';

// One person's visits to one domain on one UTC day, as the events their browser and the site's
// server would report: page views with a landing source, custom events, sign-ups and purchases.

/** An event as `POST /api/v1/events` takes it. */
export interface DemoEvent {
  name: string;
  eventId: string;
  occurredAt: string;
  visitorId: string;
  sessionId: string;
  url: string;
  userId?: string;
  referrer?: string;
  props?: Record<string, string | number | boolean>;
  revenue?: { amount: string; currency: string };
  userAgent?: string;
}

/** Money a visit produced, sent through the revenue API or the CSV import. */
export interface DemoSale {
  kind: 'order' | 'nft' | 'one_time' | 'other' | 'click';
  site: number;
  externalId: string;
  amountCents: number;
  occurredAt: Date;
  email?: string | undefined;
}

export interface VisitInput {
  rng: Random;
  date: string;
  site: DemoSite;
  person: Person;
  identity: PersonIdentity;
  /** First visit to this domain ever: a newcomer's landing (and a member's sign-up). */
  firstVisit: boolean;
  /** The person starts a subscription or trial today (planned by the subscription plan). */
  subscribe?: { event: string; plan: string } | undefined;
  /** Host of the person's first domain when this is their first visit to another one. */
  crossDomainFrom?: string | undefined;
  userAgent?: string | undefined;
  /** Hour weights in UTC for this date (the site's Brussels curve shifted by the offset). */
  utcHours: readonly number[];
}

const DAY_MS = 86_400_000;
const SESSION_GAP_MS = 31 * 60_000;
const MAX_STEP_MS = 25 * 60_000;

type Step = { page: string } | { event: string; props?: DemoEvent['props']; revenue?: number };

function pickPage(rng: Random, pages: readonly PageSpec[], mode: 'entry' | 'browse', avoid?: string): string {
  const choices = pages
    .filter((p) => p.path !== avoid)
    .map((p) => ({ value: p.path, weight: mode === 'entry' ? p.entry : p.browse }))
    .filter((c) => c.weight > 0);
  return rng.weighted(choices);
}

function propsOf(rng: Random, spec?: Record<string, readonly string[]>): DemoEvent['props'] | undefined {
  if (!spec) return undefined;
  return Object.fromEntries(Object.entries(spec).map(([k, values]) => [k, rng.pick(values)]));
}

/** Purchases a visit can end with, per site kind: chance per visit and the price. */
function saleOf(
  kind: string,
): { event: string; sale: DemoSale['kind']; member: number; anonymous: number; median: number } | null {
  switch (kind) {
    case 'e-commerce':
      return { event: 'Purchase', sale: 'order', member: 0.035, anonymous: 0.006, median: 39 };
    case 'nft-marketplace':
      return { event: 'NFT Purchase', sale: 'nft', member: 0.03, anonymous: 0, median: 60 };
    case 'dating':
      return { event: 'Premium Purchased', sale: 'one_time', member: 0.012, anonymous: 0, median: 14.99 };
    default:
      return null;
  }
}

/** The steps of one visit: landing page, browsing, and the conversions planned for it. */
function visitSteps(input: VisitInput, first: boolean, profile: SiteProfile, member: boolean): Step[] {
  const { rng } = input;
  const steps: Step[] = [{ page: pickPage(rng, profile.pages, 'entry') }];
  const signup = first && input.firstVisit && member;
  const forced = signup || (first && input.subscribe !== undefined);
  const bounce = !forced && rng.chance(member ? profile.bounceRate * 0.7 : profile.bounceRate);
  if (bounce) return steps;
  const pages = 1 + rng.poisson(Math.max(0, profile.extraPages - 1));
  let last = (steps[0] as { page: string }).page;
  for (let i = 0; i < pages; i++) {
    last = pickPage(rng, profile.pages, 'browse', last);
    steps.push({ page: last });
  }
  if (signup) {
    for (const page of profile.signup.pages) steps.push({ page });
    steps.push({ event: profile.signup.event });
  }
  for (const e of profile.browsing) {
    if (!rng.chance(member ? e.member : e.anonymous)) continue;
    if (e.page) steps.push({ page: e.page });
    const props = propsOf(rng, e.props);
    steps.push({ event: e.name, ...(props ? { props } : {}) });
  }
  if (first && input.subscribe) {
    steps.push({ page: '/pricing' }, { page: '/checkout' });
    steps.push({ event: input.subscribe.event, props: { plan: input.subscribe.plan } });
  }
  const sale = saleOf(input.site.kind);
  if (sale && rng.chance(member ? sale.member : sale.anonymous)) {
    const euros = Math.min(400, Math.max(5, rng.logNormal(sale.median, 0.45)));
    steps.push({ page: '/checkout' });
    steps.push({ event: sale.event, revenue: Math.round(euros * 100) });
  }
  return steps;
}

/** Milliseconds into the UTC day at which a visit starts, following the hour curve. */
function startOffset(rng: Random, utcHours: readonly number[]): number {
  const hour = rng.weighted(utcHours.map((weight, h) => ({ value: h, weight })));
  return hour * 3_600_000 + rng.int(3_600_000);
}

export function visitsOf(input: VisitInput, sessions: number): { events: DemoEvent[]; sales: DemoSale[] } {
  const { rng, site, person, identity, date } = input;
  const profile = site.profile;
  const dayStart = Date.parse(`${date}T00:00:00Z`);
  const visitorId = identity.visitorId(site.index);
  const userId = person.member ? identity.externalId(site.index) : undefined;
  const base = `https://${site.host}`;
  const events: DemoEvent[] = [];
  const sales: DemoSale[] = [];
  const starts = Array.from({ length: sessions }, () => startOffset(rng, input.utcHours)).sort(
    (a, b) => a - b,
  );
  let earliest = 0;
  for (let s = 0; s < starts.length; s++) {
    const steps = visitSteps(input, s === 0, profile, person.member);
    const gaps = steps.map((step, i) =>
      i === 0
        ? 0
        : Math.min(
            MAX_STEP_MS,
            Math.round(rng.logNormal(profile.gapSeconds * ('page' in step ? 1 : 0.3), 0.7) * 1000),
          ),
    );
    const length = gaps.reduce((a, b) => a + b, 0);
    // Visits stay inside the UTC day and 31 minutes apart, so each is one session and one day.
    const start = Math.min(Math.max(starts[s] as number, earliest), DAY_MS - 1000 - length);
    if (start < earliest) break;
    earliest = start + length + SESSION_GAP_MS;
    const sessionId = `${identity.visitorId(site.index).slice(0, 12)}-${date}-${s}`;
    const source = pickSource(rng, {
      returning: !input.firstVisit || s > 0,
      campaigns: profile.campaigns,
      crossDomainFrom: s === 0 ? input.crossDomainFrom : undefined,
    });
    let at = dayStart + start;
    let page = '';
    steps.forEach((step, i) => {
      at += gaps[i] as number;
      const common = {
        eventId: `${visitorId.slice(0, 16)}-${date}-${s}-${i}`,
        occurredAt: new Date(at).toISOString(),
        visitorId,
        sessionId,
        ...(userId ? { userId } : {}),
        ...(input.userAgent ? { userAgent: input.userAgent } : {}),
      };
      if ('page' in step) {
        const landing = i === 0;
        const query = landing && source.query ? `?${source.query}` : '';
        const referrer = landing ? source.referrer : `${base}${page}`;
        page = step.page;
        events.push({
          name: 'pageview',
          url: `${base}${page}${query}`,
          ...common,
          ...(referrer ? { referrer } : {}),
        });
        return;
      }
      const event: DemoEvent = { name: step.event, url: `${base}${page}`, ...common };
      if (step.props) event.props = step.props;
      if (step.revenue !== undefined) {
        event.revenue = { amount: (step.revenue / 100).toFixed(2), currency: 'EUR' };
        const sale = saleOf(site.kind);
        sales.push({
          kind: sale?.sale ?? 'order',
          site: site.index,
          externalId: `demo-${common.eventId}`,
          amountCents: step.revenue,
          occurredAt: new Date(at),
          email: person.member ? identity.email : undefined,
        });
      }
      if (
        step.event === 'Outbound Link: Click' ||
        (site.kind === 'lead-generation' && step.event === profile.signup.event)
      ) {
        sales.push({
          kind: site.kind === 'lead-generation' ? 'other' : 'click',
          site: site.index,
          externalId: `demo-${common.eventId}`,
          amountCents: 0,
          occurredAt: new Date(at),
          email: person.member ? identity.email : undefined,
        });
      }
      events.push(event);
    });
  }
  return { events, sales };
}
