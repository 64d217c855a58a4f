import { type PopulationPlan, SITE_SLOTS } from './population.ts';

// The engagement figures of a population plan, computed the way the metrics API computes them
// from activity_daily (docs/metrics.md, "Engagement"): a person is the user when signed up
// ('u:' + user), else the visitor of one domain ('v:' + visitor id). Calibration tunes the plan
// against these, so what the API reports after a demo run is what was aimed at.

export interface PlanMetrics {
  /** Mean distinct persons per day over the last 7 days. */
  dau7: number;
  /** Mean distinct persons per day over the last 30 days, and the 30 days before. */
  dau30: number;
  dauPrevious30: number;
  /** dau30 ÷ dauPrevious30 − 1. */
  growth: number;
  /** Distinct persons over the last 30 days. */
  mau: number;
  /** Share of identified persons active in the last 30 days who were active on ≥ 2 domains. */
  crossDomainRate: number;
  identifiedActive30: number;
  /** 30-day retention for the range of the last 30 days (see retention30). */
  retention30: number;
  /** Identified users active in the last 30 days by number of domains: ≥ 5, 3–4, 1–2. */
  segments: { power: number; multi: number; single: number };
}

const IDENTIFIED_SLOT = SITE_SLOTS - 1;

/** The person key of an active (person, site) pair: one key per signed-up user across domains. */
export function personKey(plan: PopulationPlan, packed: number): number {
  const person = plan.persons[Math.floor(packed / SITE_SLOTS)];
  return person?.member ? Math.floor(packed / SITE_SLOTS) * SITE_SLOTS + IDENTIFIED_SLOT : packed;
}

/** Distinct person keys of each day, computed once per plan. */
const keysByDay = new WeakMap<PopulationPlan, Set<number>[]>();

function distinctPerDay(plan: PopulationPlan, day: number): Set<number> {
  let all = keysByDay.get(plan);
  if (!all) {
    all = plan.active.map((packedList) => new Set(packedList.map((packed) => personKey(plan, packed))));
    keysByDay.set(plan, all);
  }
  return all[day] ?? new Set();
}

function meanDau(plan: PopulationPlan, from: number, to: number): number {
  let total = 0;
  for (let day = from; day <= to; day++) total += distinctPerDay(plan, day).size;
  return total / (to - from + 1);
}

/** Retained at 30 days: active again on one of these days after the first (docs/metrics.md). */
const RETENTION_FIRST_DAY = 30;
const RETENTION_LAST_DAY = 59;

/**
 * 30-day retention as the engagement API reports it for the range [from, to] (day indices): of
 * the identified users first seen on a day of [from − 59, to − 59], the share active again on any
 * day 30 to 59 after their first. "First seen" is within the data sent, as the API sees it.
 */
export function retention30(plan: PopulationPlan, from: number, to: number): number {
  const first = new Map<number, number>();
  const days = new Map<number, number[]>();
  for (let day = 0; day < plan.days; day++) {
    for (const key of distinctPerDay(plan, day)) {
      if (key % SITE_SLOTS !== IDENTIFIED_SLOT) continue;
      if (!first.has(key)) first.set(key, day);
      const list = days.get(key) ?? [];
      list.push(day);
      days.set(key, list);
    }
  }
  let cohort = 0;
  let retained = 0;
  for (const [key, day] of first) {
    if (day < from - RETENTION_LAST_DAY || day > to - RETENTION_LAST_DAY) continue;
    cohort += 1;
    const again = days.get(key) ?? [];
    if (again.some((d) => d >= day + RETENTION_FIRST_DAY && d <= day + RETENTION_LAST_DAY)) retained += 1;
  }
  return cohort === 0 ? 0 : retained / cohort;
}

export function planMetrics(plan: PopulationPlan): PlanMetrics {
  const last = plan.days - 1;
  const dau7 = meanDau(plan, Math.max(0, last - 6), last);
  const dau30 = meanDau(plan, Math.max(0, last - 29), last);
  const dauPrevious30 = plan.days >= 60 ? meanDau(plan, last - 59, last - 30) : Number.NaN;

  const everyone = new Set<number>();
  const domainsOf = new Map<number, Set<number>>();
  for (let day = Math.max(0, last - 29); day <= last; day++) {
    for (const packed of plan.active[day] ?? []) {
      const key = personKey(plan, packed);
      everyone.add(key);
      if (key % SITE_SLOTS !== IDENTIFIED_SLOT) continue;
      const sites = domainsOf.get(key) ?? new Set<number>();
      sites.add(packed % SITE_SLOTS);
      domainsOf.set(key, sites);
    }
  }
  const segments = { power: 0, multi: 0, single: 0 };
  let multiDomain = 0;
  for (const sites of domainsOf.values()) {
    if (sites.size >= 2) multiDomain += 1;
    if (sites.size >= 5) segments.power += 1;
    else if (sites.size >= 3) segments.multi += 1;
    else segments.single += 1;
  }
  return {
    dau7,
    dau30,
    dauPrevious30,
    growth: dau30 / dauPrevious30 - 1,
    mau: everyone.size,
    crossDomainRate: domainsOf.size === 0 ? 0 : multiDomain / domainsOf.size,
    identifiedActive30: domainsOf.size,
    retention30: retention30(plan, Math.max(0, last - 29), last),
    segments,
  };
}
