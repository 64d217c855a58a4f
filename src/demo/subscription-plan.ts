import { type DemoSite, type Person, type PopulationPlan, SITE_SLOTS } from './population.ts';
import { Random } from './random.ts';
import {
  addInterval,
  CATALOGS,
  type Catalog,
  CHANNELS,
  type Price,
  priceOf,
} from './subscription-catalog.ts';

export type { Price } from './subscription-catalog.ts';

// Subscriptions of the SaaS and web3-app domains, day by day, so that MRR follows the baseline's
// curve (€5.25k at the end, 15% a month before): churn, upgrades and downgrades happen at steady
// monthly rates, and new subscriptions are added whenever MRR falls below the curve. Everything
// is in EUR, so the MRR the API reports is the plan's, to the cent.

export type SubscriptionStepType =
  | 'customer.subscription.created'
  | 'customer.subscription.updated'
  | 'customer.subscription.deleted'
  | 'invoice.paid';

export interface SubscriptionStep {
  type: SubscriptionStepType;
  at: number;
  status: 'trialing' | 'active' | 'canceled';
  price: Price;
}

export interface PlannedSubscription {
  id: string;
  site: number;
  customerId: string;
  email: string;
  /** The person paying, when they are one of the demo's visitors. */
  person: number | null;
  channel: string;
  startedAt: number;
  trialEnd: number | null;
  steps: SubscriptionStep[];
}

/** A conversion event to add to a person's visit: `${person}:${site}:${day}` → event and plan. */
export type ConversionEvents = Map<string, { event: string; plan: string }>;

const DAY_MS = 86_400_000;
/** Subscriptions are simulated from this many days before the period: older ones have churned or are in MRR at day 0. */
const HISTORY_DAYS = 540;

export interface SubscriptionPlanInput {
  seed: number;
  sites: readonly DemoSite[];
  population: PopulationPlan;
  mrrTargetCents: number;
  monthlyGrowth: number;
  email: (person: Person) => string;
  customerId: (person: Person) => string;
}

interface Live {
  sub: PlannedSubscription;
  tier: number;
  yearly: boolean;
  price: Price;
  nextInvoice: number;
  activeSince: number;
}

/** Subscriptions of one domain: the steps of each, from HISTORY_DAYS before the period to its end. */
function planSite(input: SubscriptionPlanInput, site: DemoSite, catalog: Catalog, share: number) {
  const { population, seed } = input;
  const rng = Random.of(seed, 'subscriptions', site.host);
  const start = Date.parse(`${population.startDate}T00:00:00Z`);
  const lastDay = population.days - 1;
  const growth = Math.log(1 + input.monthlyGrowth) / 30;
  const subs: PlannedSubscription[] = [];
  const conversions: ConversionEvents = new Map();
  const customers = new Set<number>();
  const members = population.persons.filter((p) => p.member && p.uses.some((u) => u.site === site.index));
  let live: Live[] = [];
  let mrr = 0;
  const acc = { churn: 0, expansion: 0, contraction: 0 };
  const reactivations = new Map<number, PlannedSubscription[]>();

  const timeOn = (day: number) => start + day * DAY_MS + (7 + rng.int(14)) * 3_600_000 + rng.int(3_600_000);
  const pickCustomer = (day: number): Person | null => {
    const activeToday = new Set<number>();
    for (const packed of population.active[day] ?? []) {
      if (packed % SITE_SLOTS === site.index) activeToday.add(Math.floor(packed / SITE_SLOTS));
    }
    const eligible = (p: Person) =>
      !customers.has(p.id) &&
      (p.uses.find((u) => u.site === site.index)?.from ?? Infinity) <= day &&
      p.until >= day;
    const today = members.filter((p) => activeToday.has(p.id) && eligible(p));
    const pool = today.length > 0 ? today : members.filter(eligible);
    return pool.length > 0 ? rng.pick(pool) : null;
  };
  const drawPlan = () => {
    const tier = rng.weighted(catalog.tiers.map((t, i) => ({ value: i, weight: t.weight })));
    const yearly = rng.chance(catalog.yearlyShare);
    return { tier, yearly, price: priceOf(site, catalog.tiers[tier] as Catalog['tiers'][number], yearly) };
  };
  const open = (day: number, chosen: ReturnType<typeof drawPlan>, previous?: PlannedSubscription): Live => {
    const { tier, yearly, price } = chosen;
    const trial = !previous && catalog.trialDays > 0;
    const createdDay = trial ? day - catalog.trialDays : day;
    const person = previous ? null : pickCustomer(createdDay);
    if (person) customers.add(person.id);
    const tag = rng.hex(14);
    const createdAt = timeOn(createdDay);
    const activeAt = trial ? createdAt + catalog.trialDays * DAY_MS : createdAt;
    const sub: PlannedSubscription = {
      id: `sub_demo${tag}`,
      site: site.index,
      customerId: previous?.customerId ?? (person ? input.customerId(person) : `cus_demo${tag.slice(0, 12)}`),
      email: previous?.email ?? (person ? input.email(person) : `customer.${tag.slice(0, 8)}@example.com`),
      person: previous ? previous.person : (person?.id ?? null),
      channel: previous?.channel ?? rng.weighted(CHANNELS),
      startedAt: createdAt,
      trialEnd: trial ? activeAt : null,
      steps: [
        {
          type: 'customer.subscription.created',
          at: createdAt,
          status: trial ? 'trialing' : 'active',
          price,
        },
      ],
    };
    if (trial)
      sub.steps.push({ type: 'customer.subscription.updated', at: activeAt, status: 'active', price });
    sub.steps.push({ type: 'invoice.paid', at: activeAt, status: 'active', price });
    if (person && createdDay >= 0) {
      conversions.set(`${person.id}:${site.index}:${createdDay}`, {
        event: trial ? 'Trial Started' : 'Subscribe',
        plan: price.nickname,
      });
    }
    subs.push(sub);
    return { sub, tier, yearly, price, nextInvoice: addInterval(activeAt, price.interval), activeSince: day };
  };
  const failedTrial = (day: number) => {
    const person = pickCustomer(day);
    const tag = rng.hex(14);
    const createdAt = timeOn(day);
    const price = priceOf(site, catalog.tiers[0] as Catalog['tiers'][number], false);
    const endAt = createdAt + catalog.trialDays * DAY_MS;
    subs.push({
      id: `sub_demo${tag}`,
      site: site.index,
      customerId: person ? input.customerId(person) : `cus_demo${tag.slice(0, 12)}`,
      email: person ? input.email(person) : `trial.${tag.slice(0, 8)}@example.com`,
      person: person?.id ?? null,
      channel: rng.weighted(CHANNELS),
      startedAt: createdAt,
      trialEnd: endAt,
      steps: [
        { type: 'customer.subscription.created', at: createdAt, status: 'trialing', price },
        { type: 'customer.subscription.deleted', at: endAt, status: 'canceled', price },
      ],
    });
    if (person && day >= 0) {
      customers.add(person.id);
      conversions.set(`${person.id}:${site.index}:${day}`, { event: 'Trial Started', plan: price.nickname });
    }
  };

  let next = drawPlan();
  const allPlans = catalog.tiers.flatMap((tier, i) =>
    [false, true].map((yearly) => ({ tier: i, yearly, price: priceOf(site, tier, yearly) })),
  );
  const smallest = allPlans.reduce((a, b) => (b.price.mrrCents < a.price.mrrCents ? b : a));
  for (let day = -HISTORY_DAYS; day <= lastDay; day++) {
    const dayEnd = start + (day + 1) * DAY_MS;
    for (const l of live) {
      while (l.nextInvoice < dayEnd) {
        l.sub.steps.push({ type: 'invoice.paid', at: l.nextInvoice, status: 'active', price: l.price });
        l.nextInvoice = addInterval(l.nextInvoice, l.price.interval);
      }
    }
    // Up to each 30-day mark back from the end (where monthly growth is read), MRR is steered onto
    // the curve: upgrades and come-backs wait, and no new plan may overshoot it (below).
    const exact = (lastDay - day) % 30 <= 3;
    const veterans = live.filter((l) => l.activeSince < day);
    const moved = new Set<Live>();
    acc.churn += (veterans.length * catalog.monthlyChurn) / 30;
    while (acc.churn >= 1 && veterans.length > 0) {
      acc.churn -= 1;
      const gone = veterans.splice(rng.int(veterans.length), 1)[0] as Live;
      gone.sub.steps.push({
        type: 'customer.subscription.deleted',
        at: timeOn(day),
        status: 'canceled',
        price: gone.price,
      });
      live = live.filter((l) => l !== gone);
      mrr -= gone.price.mrrCents;
      if (rng.chance(0.12)) {
        const back = day + 30 + rng.int(60);
        reactivations.set(back, [...(reactivations.get(back) ?? []), gone.sub]);
      }
    }
    for (const [kind, rate, step] of [
      ['expansion', catalog.monthlyExpansion, 1],
      ['contraction', catalog.monthlyContraction, -1],
    ] as const) {
      acc[kind] += (veterans.length * rate) / 30;
      if (exact && step > 0) continue;
      // One move per subscription and day: two on one day could be replayed in the other order.
      const movable = veterans.filter((l) => catalog.tiers[l.tier + step] !== undefined && !moved.has(l));
      while (acc[kind] >= 1 && movable.length > 0) {
        acc[kind] -= 1;
        const l = movable.splice(rng.int(movable.length), 1)[0] as Live;
        moved.add(l);
        l.tier += step;
        const price = priceOf(site, catalog.tiers[l.tier] as Catalog['tiers'][number], l.yearly);
        mrr += price.mrrCents - l.price.mrrCents;
        l.price = price;
        l.sub.steps.push({ type: 'customer.subscription.updated', at: timeOn(day), status: 'active', price });
      }
    }
    for (const previous of reactivations.get(day) ?? []) {
      if (exact) {
        reactivations.set(day + 4, [...(reactivations.get(day + 4) ?? []), previous]);
        continue;
      }
      const l = open(day, drawPlan(), previous);
      live.push(l);
      mrr += l.price.mrrCents;
    }
    // New subscriptions while MRR is below the curve by more than half the next one's price, so
    // MRR stays within half a plan of it. Near a 30-day mark no plan may overshoot by more than
    // half the smallest one (the largest that fits is taken instead): there MRR is on the curve.
    const target = share * input.mrrTargetCents * Math.exp(growth * (day - lastDay));
    for (;;) {
      const gap = target - mrr;
      let chosen: ReturnType<typeof drawPlan> | null = next.price.mrrCents / 2 < gap ? next : null;
      if (exact) {
        const fits = (c: ReturnType<typeof drawPlan>) =>
          c.price.mrrCents <= gap + smallest.price.mrrCents / 2;
        const largest = allPlans.filter(fits).sort((a, b) => b.price.mrrCents - a.price.mrrCents)[0];
        chosen = fits(next) && chosen ? next : largest && largest.price.mrrCents / 2 < gap ? largest : null;
      }
      if (!chosen) break;
      const l = open(day, chosen);
      live.push(l);
      mrr += l.price.mrrCents;
      if (catalog.trialDays > 0 && rng.chance(0.6)) failedTrial(day - catalog.trialDays + rng.int(3));
      if (chosen === next) next = drawPlan();
    }
  }
  for (const sub of subs) {
    // Same-day renewals and cancellations were appended in loop order, not time order.
    sub.steps.sort((a, b) => a.at - b.at);
    const end = sub.steps.findIndex((step) => step.type === 'customer.subscription.deleted');
    if (end >= 0) sub.steps = sub.steps.slice(0, end + 1);
  }
  return { subs, conversions };
}

/** Every subscription domain's plan; MRR is split between SaaS (70%) and web3 apps (30%). */
export function planSubscriptions(input: SubscriptionPlanInput): {
  subscriptions: PlannedSubscription[];
  conversions: ConversionEvents;
} {
  const payers = input.sites.filter((s) => CATALOGS[s.kind]);
  const totalShare = payers.reduce((sum, s) => sum + (CATALOGS[s.kind] as Catalog).share, 0);
  const subscriptions: PlannedSubscription[] = [];
  const conversions: ConversionEvents = new Map();
  for (const site of payers) {
    const catalog = CATALOGS[site.kind] as Catalog;
    const planned = planSite(input, site, catalog, catalog.share / totalShare);
    subscriptions.push(...planned.subs);
    for (const [key, value] of planned.conversions) conversions.set(key, value);
  }
  return { subscriptions, conversions };
}

/** Counted MRR (cents) at an instant, from the planned steps: what the MRR API should report. */
export function mrrAt(subscriptions: readonly PlannedSubscription[], at: number): number {
  let total = 0;
  for (const sub of subscriptions) {
    let current = 0;
    for (const step of sub.steps) {
      if (step.at > at) break;
      if (step.type === 'invoice.paid') continue;
      current = step.status === 'active' ? step.price.mrrCents : 0;
    }
    total += current;
  }
  return total;
}
