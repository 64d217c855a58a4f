import { BASELINE, type CalibratedPopulation, calibratePopulation } from './calibrate.ts';
import { DemoError } from './demo-client.ts';
import { identityOf, userAgentOf } from './identities.ts';
import type { PlanMetrics } from './plan-metrics.ts';
import { addDaysUtc, type DemoSite, SITE_SLOTS } from './population.ts';
import { Random } from './random.ts';
import { profileOf } from './site-profiles.ts';
import {
  type ConversionEvents,
  mrrAt,
  type PlannedSubscription,
  planSubscriptions,
} from './subscription-plan.ts';
import { type DemoEvent, type DemoSale, visitsOf } from './visits.ts';

// The whole demo as plain data, before anything is sent: who visits when, and the subscriptions.
// Pure and deterministic: the same seed, period and domains give the same plan.

export interface DemoOptions {
  seed: number;
  days: number;
  /** Last day of the period (UTC date, inclusive). */
  end: string;
}

export interface DemoDomain {
  host: string;
  kind: string;
}

export interface DemoPlan {
  options: DemoOptions;
  startDate: string;
  sites: DemoSite[];
  population: CalibratedPopulation;
  subscriptions: PlannedSubscription[];
  conversions: ConversionEvents;
  /** What the metrics API should report for the plan (before anything after `now` is dropped). */
  expected: PlanMetrics & { mrrEur: number; mrrEur30DaysBefore: number; mrrGrowth: number };
}

export const TIME_ZONE = 'Europe/Brussels';

export function buildDemoPlan(
  options: DemoOptions,
  domains: readonly DemoDomain[],
  onProgress?: (line: string) => void,
): DemoPlan {
  if (domains.length === 0) throw new DemoError('the portfolio has no domains to generate activity for');
  if (domains.length >= SITE_SLOTS) throw new DemoError(`the demo handles at most ${SITE_SLOTS - 1} domains`);
  const sites = [...domains]
    .sort((a, b) => a.host.localeCompare(b.host))
    .map((d, index) => ({ index, host: d.host, kind: d.kind, profile: profileOf(d.kind) }));
  const startDate = addDaysUtc(options.end, -(options.days - 1));
  const population = calibratePopulation({
    seed: options.seed,
    sites,
    startDate,
    days: options.days,
    onRound: (round, m) =>
      onProgress?.(
        `calibrating, round ${round}: DAU ${m.dau7.toFixed(0)}, MAU ${m.mau}, cross-domain ${(100 * m.crossDomainRate).toFixed(1)}%, ` +
          `retention ${(100 * m.retention30).toFixed(1)}%, growth ${(100 * m.growth).toFixed(1)}%`,
      ),
  });
  const { subscriptions, conversions } = planSubscriptions({
    seed: options.seed,
    sites,
    population: population.plan,
    mrrTargetCents: BASELINE.mrrEur * 100,
    monthlyGrowth: BASELINE.monthlyGrowth,
    email: (p) => identityOf(options.seed, p).email,
    customerId: (p) => identityOf(options.seed, p).customerId,
  });
  const endMs = Date.parse(`${options.end}T00:00:00Z`) + 86_400_000;
  const mrrEur = mrrAt(subscriptions, endMs - 1) / 100;
  const mrrEur30DaysBefore = mrrAt(subscriptions, endMs - 1 - 30 * 86_400_000) / 100;
  return {
    options,
    startDate,
    sites,
    population,
    subscriptions,
    conversions,
    expected: {
      ...population.metrics,
      mrrEur,
      mrrEur30DaysBefore,
      mrrGrowth: mrrEur / mrrEur30DaysBefore - 1,
    },
  };
}

/** Hours from UTC of a time zone on a date (at noon UTC): +1 or +2 for Brussels. */
export function utcOffsetHours(date: string, timeZone: string): number {
  const at = new Date(`${date}T12:00:00Z`);
  const local = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: 'numeric' }).format(at);
  return ((((Number(local) - 12) % 24) + 24 + 12) % 24) - 12;
}

/** Everything the visitors of one period day do, grouped by domain. */
export function dayActivity(
  plan: DemoPlan,
  day: number,
  options: { userAgents: boolean },
): { events: Map<number, DemoEvent[]>; sales: DemoSale[] } {
  const { seed } = plan.options;
  const { persons, active } = plan.population.plan;
  const date = addDaysUtc(plan.startDate, day);
  const offset = utcOffsetHours(date, TIME_ZONE);
  const utcHours = plan.sites.map((s) =>
    Array.from({ length: 24 }, (_, h) => s.profile.hours[(h + offset + 24) % 24] ?? 0),
  );
  const events = new Map<number, DemoEvent[]>();
  const sales: DemoSale[] = [];
  for (const packed of active[day] ?? []) {
    const person = persons[Math.floor(packed / SITE_SLOTS)];
    const site = plan.sites[packed % SITE_SLOTS];
    if (!person || !site) continue;
    const rng = Random.of(seed, 'visits', person.arrival, person.slot, site.index, date);
    const sessions = 1 + (rng.chance(0.15) ? 1 : 0) + (rng.chance(0.03) ? 1 : 0);
    const use = person.uses.find((u) => u.site === site.index);
    const firstVisit = use?.from === day;
    const home = person.uses[0]?.site;
    const visits = visitsOf(
      {
        rng,
        date,
        site,
        person,
        identity: identityOf(seed, person),
        firstVisit,
        subscribe: plan.conversions.get(`${person.id}:${site.index}:${day}`),
        crossDomainFrom: firstVisit && home !== site.index ? plan.sites[home ?? 0]?.host : undefined,
        userAgent: options.userAgents ? userAgentOf(seed, person) : undefined,
        utcHours: utcHours[site.index] as number[],
      },
      sessions,
    );
    const list = events.get(site.index) ?? [];
    list.push(...visits.events);
    events.set(site.index, list);
    sales.push(...visits.sales);
  }
  return { events, sales };
}
