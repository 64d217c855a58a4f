import { DemoClient } from './demo-client.ts';
import { buildDemoPlan, type DemoOptions, type DemoPlan } from './demo-plan.ts';
import { createCredentials, readServerSetup, removeCredentials } from './demo-setup.ts';
import { SITE_SLOTS } from './population.ts';
import { sendActivity } from './send-activity.ts';
import { type MoneyReport, sendMoney } from './send-money.ts';

// `portfolio-os demo`: plans the period, then sends it to a running server over its public HTTP
// API with the owner's (or an admin's) token — never a direct database write.

export interface DemoSummary {
  seed: number;
  from: string;
  to: string;
  days: number;
  domains: number;
  people: number;
  identifiedUsers: number;
  events: number;
  revenue: MoneyReport['revenue'];
  webhooks: MoneyReport['webhooks'];
  subscriptions: number;
  commissions: { inserted: number; updated: number; unchanged: number } | null;
  costs: { inserted: number; updated: number; unchanged: number } | null;
  /** The figures the plan was calibrated to, as the metrics API should report them. */
  expected: {
    dau: number;
    mau: number;
    crossDomainRate: number;
    retention30: number;
    monthlyGrowth: number;
    mrrEur: number;
    mrrGrowth: number;
  };
  requests: number;
  retries: number;
  seconds: number;
}

function peopleActive(plan: DemoPlan): number {
  const people = new Set<number>();
  for (const day of plan.population.plan.active)
    for (const packed of day) people.add(Math.floor(packed / SITE_SLOTS));
  return people.size;
}

export async function runDemo(input: {
  url: string;
  token: string;
  options: DemoOptions;
  now?: Date;
  progress?: (line: string) => void;
}): Promise<DemoSummary> {
  const started = Date.now();
  const now = input.now ?? new Date();
  const progress = input.progress ?? (() => undefined);
  const client = new DemoClient(input.url.replace(/\/+$/, ''), input.token);

  const setup = await readServerSetup(client);
  progress(
    `planning ${input.options.days} days ending ${input.options.end} for ${setup.domains.length} domains (seed ${input.options.seed})`,
  );
  const plan = buildDemoPlan(input.options, setup.domains, progress);
  const streams = new Map<number, string>();
  for (const site of plan.sites) {
    const stream = setup.domains.find((d) => d.host === site.host)?.stream;
    if (stream) streams.set(site.index, stream);
  }
  const stripeHosts = [...new Set(plan.subscriptions.map((s) => plan.sites[s.site]?.host ?? ''))];
  const credentials = await createCredentials(
    client,
    plan.sites.map((s) => s.host),
    stripeHosts,
    `portfolio-os demo (seed ${input.options.seed})`,
  );
  try {
    const activity = await sendActivity({
      client,
      plan,
      keys: credentials.keys,
      userAgents: setup.userAgents,
      now,
      progress,
    });
    const money = await sendMoney({
      client,
      plan,
      keys: credentials.keys,
      stripeSecrets: credentials.stripeSecrets,
      streams,
      sales: activity.sales,
      now,
      progress,
    });
    const e = plan.expected;
    const counts = (r: MoneyReport['costs']) =>
      r && { inserted: r.inserted, updated: r.updated, unchanged: r.unchanged };
    return {
      seed: input.options.seed,
      from: plan.startDate,
      to: input.options.end,
      days: input.options.days,
      domains: plan.sites.length,
      people: peopleActive(plan),
      identifiedUsers: activity.identified,
      events: activity.events,
      revenue: money.revenue,
      webhooks: money.webhooks,
      subscriptions: new Set(
        plan.subscriptions.filter((s) => s.steps[0] && s.steps[0].at <= now.getTime()).map((s) => s.id),
      ).size,
      commissions: counts(money.commissions),
      costs: counts(money.costs),
      expected: {
        dau: e.dau7,
        mau: e.mau,
        crossDomainRate: e.crossDomainRate,
        retention30: e.retention30,
        monthlyGrowth: e.growth,
        mrrEur: e.mrrEur,
        mrrGrowth: e.mrrGrowth,
      },
      requests: client.requests,
      retries: client.retries,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
  } finally {
    await removeCredentials(client, credentials);
  }
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const n = (x: number) => Math.round(x).toLocaleString('en');

export function formatSummary(s: DemoSummary): string[] {
  return [
    `Demo data for ${s.from} … ${s.to} (${s.days} days, seed ${s.seed}, ${s.domains} domains) in ${s.seconds}s:`,
    `  ${n(s.events)} events sent (duplicates of an earlier run are dropped by event id) from ${n(s.people)} people; ` +
      `${n(s.identifiedUsers)} sign-ups identified`,
    `  ${n(s.revenue.items)} orders, NFT fees, purchases and leads: €${n(s.revenue.eur)} (${n(s.revenue.created)} new, ${n(s.revenue.duplicates)} already there)`,
    `  ${n(s.subscriptions)} subscriptions: ${n(s.webhooks.sent)} Stripe webhooks (${n(s.webhooks.applied)} applied, ${n(s.webhooks.duplicate)} already received)`,
    `  commissions: ${s.commissions ? `${n(s.commissions.inserted)} new, ${n(s.commissions.updated)} updated, ${n(s.commissions.unchanged)} unchanged` : 'none'}; ` +
      `costs: ${s.costs ? `${n(s.costs.inserted)} new, ${n(s.costs.updated)} updated, ${n(s.costs.unchanged)} unchanged` : 'none'}`,
    `Calibrated to the seed's baseline at ${s.to} (what the metrics API should show):`,
    `  DAU ${n(s.expected.dau)} (last 7 days), MAU ${n(s.expected.mau)}, cross-domain ${pct(s.expected.crossDomainRate)}, ` +
      `30-day retention ${pct(s.expected.retention30)}, growth ${pct(s.expected.monthlyGrowth)} a month`,
    `  MRR €${n(s.expected.mrrEur)} (${pct(s.expected.mrrGrowth)} over the last 30 days)`,
  ];
}
