import { type DemoClient, inParallel } from './demo-client.ts';
import { type DemoPlan, dayActivity } from './demo-plan.ts';
import { identityOf } from './identities.ts';
import { addDaysUtc, SITE_SLOTS } from './population.ts';
import type { DemoEvent, DemoSale } from './visits.ts';

// Visitors' activity through the collection API: first every signed-up person is identified on
// each domain they use (by e-mail, so one person is one user across domains), then each day's
// events go out in batches of at most 1,000 per domain, with the domain's secret key.

const EVENT_BATCH = 1000;
const CONCURRENCY = 4;

export interface ActivityReport {
  identified: number;
  usersCreated: number;
  events: number;
  sales: DemoSale[];
}

/** Signed-up persons and the domains they are active on during the period. */
export function identifications(plan: DemoPlan): { person: number; site: number }[] {
  const seen = new Set<number>();
  const out: { person: number; site: number }[] = [];
  for (const day of plan.population.plan.active) {
    for (const packed of day) {
      const person = plan.population.plan.persons[Math.floor(packed / SITE_SLOTS)];
      if (!person?.member || seen.has(packed)) continue;
      seen.add(packed);
      out.push({ person: person.id, site: packed % SITE_SLOTS });
    }
  }
  return out.sort((a, b) => a.person - b.person || a.site - b.site);
}

export async function sendActivity(input: {
  client: DemoClient;
  plan: DemoPlan;
  keys: ReadonlyMap<string, string>;
  userAgents: boolean;
  now: Date;
  progress: (line: string) => void;
}): Promise<ActivityReport> {
  const { client, plan, keys, now, progress } = input;
  const report: ActivityReport = { identified: 0, usersCreated: 0, events: 0, sales: [] };
  const keyOf = (site: number) => keys.get(plan.sites[site]?.host ?? '') as string;

  // One person's domains one after the other: two first identifications of the same new e-mail
  // at once would race to create the user.
  const toIdentify = identifications(plan);
  const byPerson = new Map<number, number[]>();
  for (const { person, site } of toIdentify) byPerson.set(person, [...(byPerson.get(person) ?? []), site]);
  progress(
    `identifying ${toIdentify.length.toLocaleString('en')} sign-ups of ${byPerson.size.toLocaleString('en')} users`,
  );
  await inParallel([...byPerson], 8, async ([person, sites]) => {
    const who = plan.population.plan.persons[person];
    if (!who) return;
    const identity = identityOf(plan.options.seed, who);
    for (const site of sites) {
      const res = await client.request<{ created: boolean }>('POST', '/api/v1/identify', {
        token: keyOf(site),
        body: {
          visitorId: identity.visitorId(site),
          externalId: identity.externalId(site),
          email: identity.email,
        },
      });
      report.identified += 1;
      if (res.created) report.usersCreated += 1;
      if (report.identified % 2000 === 0) progress(`  identified ${report.identified.toLocaleString('en')}`);
    }
  });

  const send = async (batches: { site: number; events: DemoEvent[] }[]) =>
    inParallel(batches, CONCURRENCY, async ({ site, events }) => {
      const res = await client.request<{ accepted: number }>('POST', '/api/v1/events', {
        token: keyOf(site),
        body: { events },
      });
      report.events += res.accepted;
    });
  // Day d+1 is generated while day d is being sent.
  let sending: Promise<void> = Promise.resolve();
  for (let day = 0; day < plan.options.days; day++) {
    const activity = dayActivity(plan, day, { userAgents: input.userAgents });
    const batches: { site: number; events: DemoEvent[] }[] = [];
    for (const [site, events] of activity.events) {
      const past = events.filter((e) => Date.parse(e.occurredAt) <= now.getTime());
      for (let i = 0; i < past.length; i += EVENT_BATCH)
        batches.push({ site, events: past.slice(i, i + EVENT_BATCH) });
    }
    report.sales.push(...activity.sales.filter((s) => s.occurredAt.getTime() <= now.getTime()));
    await sending;
    sending = send(batches);
    if ((day + 1) % 10 === 0 || day === plan.options.days - 1) {
      progress(
        `  events up to ${addDaysUtc(plan.startDate, day)} (day ${day + 1}/${plan.options.days}): ${report.events.toLocaleString('en')} sent`,
      );
    }
  }
  await sending;
  return report;
}
