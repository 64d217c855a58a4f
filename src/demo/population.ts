import { Random } from './random.ts';
import type { SiteProfile } from './site-profiles.ts';

// Who visits the portfolio and on which days: the part of the demo the calibration tunes. People
// arrive on one domain (more each day, growing by the monthly rate), a share of them sign up,
// some keep coming back (loyal, each with a daily habit, until they churn), and a share of the
// signed-up users also use other domains of the portfolio. Pages and events come later.

export interface DemoSite {
  index: number;
  host: string;
  kind: string;
  profile: SiteProfile;
}

export interface PopulationParams {
  /** New people per day at the end of the period (the trend, before weekday swings). */
  arrivalsPerDay: number;
  /** Daily growth of arrivals: ln(1.15) / 30 is 15% a month. */
  growthPerDay: number;
  /** Share of anonymous newcomers who come back regularly. */
  loyalShare: number;
  /** Share of signed-up users who come back regularly (30-day retention follows it). */
  memberLoyalShare: number;
  /** Share of signed-up users who also use at least one other domain. */
  crossDomainShare: number;
  /** Mean days a loyal person keeps coming back. */
  meanLifetimeDays: number;
}

export interface DomainUse {
  site: number;
  /** First day on this domain (period day index). */
  from: number;
  /** Daily chance of a visit, before the weekday factor. */
  rate: number;
}

export interface Person {
  id: number;
  /** Arrival number on its day: with the date, what the person's random draws are keyed on. */
  slot: number;
  /** Day index of the first visit; negative: before the period (their history is not sent). */
  arrival: number;
  member: boolean;
  loyal: boolean;
  /** Domains used; the first is the one the person arrived on. */
  uses: DomainUse[];
  /** Last day the person may be active (churn). */
  until: number;
}

export interface PopulationPlan {
  days: number;
  /** UTC date (YYYY-MM-DD) of day index 0. */
  startDate: string;
  persons: Person[];
  /** Per period day: active (person, site) pairs packed as person * SITE_SLOTS + site. */
  active: number[][];
}

export const SITE_SLOTS = 32;
const DAY_MS = 86_400_000;
const MIN_RATE = 0.03;
const MAX_RATE = 0.6;

export function addDaysUtc(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Monday = 0 … Sunday = 6 of a UTC date. */
export function weekdayOf(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** How many extra domains a cross-domain user takes up: mostly one, a few power users many. */
const EXTRA_DOMAINS = [
  { value: 1, weight: 0.7 },
  { value: 2, weight: 0.18 },
  { value: 3, weight: 0.07 },
  { value: 4, weight: 0.035 },
  { value: 5, weight: 0.015 },
];

function pickSite(rng: Random, sites: readonly DemoSite[], weekday: number, exclude: ReadonlySet<number>) {
  return rng.weighted(
    sites
      .filter((s) => !exclude.has(s.index))
      .map((s) => ({ value: s.index, weight: s.profile.arrivalWeight * (s.profile.weekday[weekday] ?? 1) })),
  );
}

/** One person, from draws that depend only on the seed, the arrival date and the arrival number. */
function makePerson(
  id: number,
  arrival: number,
  date: string,
  weekday: number,
  k: number,
  seed: number,
  sites: readonly DemoSite[],
  p: PopulationParams,
): Person {
  const rng = Random.of(seed, 'person', date, k);
  const uHome = rng.next();
  const uMember = rng.next();
  const uLoyal = rng.next();
  const uRate = rng.next();
  const uLife = rng.next();
  const uCross = rng.next();
  const home = pickSite(new Random(Math.floor(uHome * 2 ** 32)), sites, weekday, new Set());
  const homeProfile = (sites[home] as DemoSite).profile;
  const member = uMember < homeProfile.signupRate;
  const loyal = uLoyal < (member ? p.memberLoyalShare : p.loyalShare);
  const baseRate = MIN_RATE * (MAX_RATE / MIN_RATE) ** uRate;
  const uses: DomainUse[] = [
    { site: home, from: arrival, rate: Math.min(0.95, baseRate * homeProfile.habit) },
  ];
  if (member && uCross < p.crossDomainShare && sites.length > 1) {
    const extras = Math.min(rng.weighted(EXTRA_DOMAINS), sites.length - 1);
    const used = new Set([home]);
    for (let i = 0; i < extras; i++) {
      const site = pickSite(rng, sites, weekday, used);
      used.add(site);
      const habit = (sites[site] as DemoSite).profile.habit;
      uses.push({
        site,
        from: arrival + (rng.chance(0.3) ? 0 : 1 + rng.int(40)),
        rate: Math.min(0.95, baseRate * habit * rng.between(0.3, 1)),
      });
    }
  }
  const lifetime = Math.ceil(-p.meanLifetimeDays * Math.log(1 - uLife));
  return { id, slot: k, arrival, member, loyal, uses, until: loyal ? arrival + lifetime : arrival + 30 };
}

/** The days a person is active on each domain, within [0, days). */
function activityOf(person: Person, seed: number, sites: readonly DemoSite[], plan: PopulationPlan): void {
  const { days } = plan;
  const last = Math.min(days - 1, person.until);
  if (last < 0) return;
  const firstWeekday = weekdayOf(plan.startDate);
  const weekday = (day: number) => (((firstWeekday + day) % 7) + 7) % 7;
  const mark = (day: number, site: number) => {
    if (day >= 0 && day < days) plan.active[day]?.push(person.id * SITE_SLOTS + site);
  };
  for (const use of person.uses) {
    if (use.from > person.until) continue;
    const rng = Random.of(seed, 'activity', person.arrival, person.slot, use.site);
    const profile = (sites[use.site] as DemoSite).profile;
    mark(use.from, use.site);
    if (!person.loyal) {
      // Most newcomers never return; some come back once or twice within a few weeks.
      let day = use.from;
      for (const chance of [0.3, 0.12]) {
        if (!rng.chance(chance)) break;
        day += rng.geometric(0.18);
        if (day <= last) mark(day, use.site);
      }
      continue;
    }
    // Thinning: candidate days at the highest weekday rate, kept in proportion to that day's factor.
    // Visits are memoryless, so the candidates can start at the period (days before it are not sent).
    const peak = Math.max(...profile.weekday);
    const candidateRate = Math.min(1, use.rate * peak);
    const from = Math.max(use.from, -1);
    for (let day = from + rng.geometric(candidateRate); day <= last; day += rng.geometric(candidateRate)) {
      const factor = profile.weekday[weekday(day)] ?? 1;
      if (rng.next() < (use.rate * factor) / candidateRate) mark(day, use.site);
    }
  }
}

/**
 * The people and their active days for a period of `days` days starting on `startDate`. Arrivals
 * start long before the period so that returning visitors are already there on day one.
 */
export function simulatePopulation(input: {
  seed: number;
  sites: readonly DemoSite[];
  startDate: string;
  days: number;
  params: PopulationParams;
}): PopulationPlan {
  const { seed, sites, startDate, days, params } = input;
  const plan: PopulationPlan = {
    days,
    startDate,
    persons: [],
    active: Array.from({ length: days }, () => []),
  };
  const warmUp = Math.min(540, Math.ceil(3 * params.meanLifetimeDays));
  const totalWeight = sites.reduce((sum, s) => sum + s.profile.arrivalWeight, 0);
  let expected = 0;
  let created = 0;
  for (let day = -warmUp; day < days; day++) {
    const date = addDaysUtc(startDate, day);
    const weekday = weekdayOf(date);
    const seasonal = sites.reduce(
      (sum, s) => sum + s.profile.arrivalWeight * (s.profile.weekday[weekday] ?? 1),
      0,
    );
    expected +=
      params.arrivalsPerDay * Math.exp(params.growthPerDay * (day - (days - 1))) * (seasonal / totalWeight);
    // Whole arrivals from the running expectation: the count follows the trend without sampling noise.
    const arrivals = Math.floor(expected) - created;
    for (let k = 0; k < arrivals; k++) {
      const person = makePerson(plan.persons.length, day, date, weekday, k, seed, sites, params);
      plan.persons.push(person);
      activityOf(person, seed, sites, plan);
    }
    created += arrivals;
  }
  return plan;
}
