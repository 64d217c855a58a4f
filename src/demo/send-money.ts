import { type DemoClient, DemoError, inParallel } from './demo-client.ts';
import type { DemoPlan } from './demo-plan.ts';
import { commissionsCsv, costsCsv, revenueItems } from './money-facts.ts';
import { stripeEventOf, stripeSignature } from './stripe-payloads.ts';
import type { DemoSale } from './visits.ts';

// Money through the money APIs: sales as revenue facts (batches of 500 per domain), subscriptions
// as signed Stripe webhook deliveries in the order Stripe would send them, commissions and costs
// as CSV imports. Every fact carries an id derived from the seed, so a re-run changes nothing.

const REVENUE_BATCH = 500;
const DAY_MS = 86_400_000;

interface BatchResult {
  created: number;
  updated: number;
  duplicates: number;
}
interface ImportResult {
  inserted: number;
  updated: number;
  unchanged: number;
  rejectedCount: number;
  rejected: { line: number; field: string; message: string }[];
}
interface WebhookReceipt {
  duplicate: boolean;
  outcome: string;
}

export interface MoneyReport {
  revenue: { items: number; created: number; duplicates: number; eur: number };
  webhooks: { sent: number; applied: number; duplicate: number; other: number };
  commissions: ImportResult | null;
  costs: ImportResult | null;
}

function checkImport(kind: string, result: ImportResult): ImportResult {
  if (result.rejectedCount > 0) {
    const first = result.rejected[0];
    throw new DemoError(
      `the ${kind} import rejected ${result.rejectedCount} row(s)${first ? `; line ${first.line} ${first.field}: ${first.message}` : ''}`,
    );
  }
  return result;
}

export async function sendMoney(input: {
  client: DemoClient;
  plan: DemoPlan;
  keys: ReadonlyMap<string, string>;
  stripeSecrets: ReadonlyMap<string, string>;
  streams: ReadonlyMap<number, string>;
  sales: readonly DemoSale[];
  now: Date;
  progress: (line: string) => void;
}): Promise<MoneyReport> {
  const { client, plan, now, progress } = input;
  const hostOf = (site: number) => plan.sites[site]?.host ?? '';
  const report: MoneyReport = {
    revenue: { items: 0, created: 0, duplicates: 0, eur: 0 },
    webhooks: { sent: 0, applied: 0, duplicate: 0, other: 0 },
    commissions: null,
    costs: null,
  };

  const bySite = revenueItems(input.sales, input.streams);
  const batches = [...bySite].flatMap(([site, items]) =>
    Array.from({ length: Math.ceil(items.length / REVENUE_BATCH) }, (_, i) => ({
      site,
      items: items.slice(i * REVENUE_BATCH, (i + 1) * REVENUE_BATCH),
    })),
  );
  progress(
    `recording ${[...bySite.values()].reduce((n, l) => n + l.length, 0)} orders, NFT fees, purchases and leads`,
  );
  await inParallel(batches, 2, async ({ site, items }) => {
    const res = await client.request<BatchResult>('POST', '/api/v1/revenue/batch', {
      token: input.keys.get(hostOf(site)),
      body: { items },
    });
    report.revenue.items += items.length;
    report.revenue.created += res.created;
    report.revenue.duplicates += res.duplicates;
    report.revenue.eur += items.reduce((sum, item) => sum + Number(item.amount), 0);
  });

  // Subscriptions still running at the start of the period (or started since): their lifecycle
  // events, and their invoices inside the period, in time order.
  const start = Date.parse(`${plan.startDate}T00:00:00Z`);
  const deliveries = plan.subscriptions
    .filter((sub) => !sub.steps.some((s) => s.type === 'customer.subscription.deleted' && s.at < start))
    .flatMap((sub) =>
      sub.steps
        .map((step, index) => ({ sub, step, index }))
        .filter(({ step }) => step.at <= now.getTime() && (step.type !== 'invoice.paid' || step.at >= start)),
    )
    .sort((a, b) => a.step.at - b.step.at || a.index - b.index);
  progress(
    `delivering ${deliveries.length} Stripe webhook events for ${plan.subscriptions.length} subscriptions`,
  );
  // In time order per customer (one customer's e-mail creates one user); customers in parallel.
  const byCustomer = new Map<string, typeof deliveries>();
  for (const d of deliveries) {
    const key = d.sub.customerId;
    byCustomer.set(key, [...(byCustomer.get(key) ?? []), d]);
  }
  await inParallel([...byCustomer.values()], 4, async (own) => {
    for (const { sub, step, index } of own) {
      const host = hostOf(sub.site);
      const payload = JSON.stringify(stripeEventOf(sub, step, index));
      const signature = stripeSignature(
        payload,
        input.stripeSecrets.get(host) as string,
        Math.floor(Date.now() / 1000),
      );
      const receipt = await client.request<WebhookReceipt>('POST', `/api/v1/webhooks/stripe/${host}`, {
        raw: { text: payload, contentType: 'application/json' },
        headers: { 'stripe-signature': signature },
      });
      report.webhooks.sent += 1;
      if (receipt.duplicate) report.webhooks.duplicate += 1;
      else if (receipt.outcome === 'applied') report.webhooks.applied += 1;
      else report.webhooks.other += 1;
    }
  });

  for (const site of plan.sites.filter((s) => s.kind === 'affiliate')) {
    const csv = commissionsCsv(
      plan,
      input.sales.filter((s) => s.site === site.index),
      now,
    );
    progress(`importing ${csv.split('\n').length - 2} affiliate commissions of ${site.host}`);
    const result = await client.request<ImportResult>(
      'POST',
      `/api/v1/import/commissions?domain=${site.host}`,
      {
        raw: { text: csv, contentType: 'text/csv' },
      },
    );
    report.commissions = checkImport('commissions', result);
  }

  // Payments per domain and day: cost of goods and payment fees follow them.
  const payments = new Map<string, { cents: number; count: number }>();
  const addPayment = (site: number, at: number, cents: number) => {
    const key = `${site}:${Math.floor((at - start) / DAY_MS)}`;
    const current = payments.get(key) ?? { cents: 0, count: 0 };
    payments.set(key, { cents: current.cents + cents, count: current.count + 1 });
  };
  for (const sale of input.sales)
    if (sale.amountCents > 0) addPayment(sale.site, sale.occurredAt.getTime(), sale.amountCents);
  for (const { sub, step } of deliveries)
    if (step.type === 'invoice.paid') addPayment(sub.site, step.at, step.price.amountCents);
  const costs = costsCsv(plan, { payments }, now);
  progress(
    `importing ${costs.split('\n').length - 2} cost lines (marketing by channel, hosting, team, cost of goods, fees)`,
  );
  report.costs = checkImport(
    'costs',
    await client.request<ImportResult>('POST', '/api/v1/import/costs', {
      raw: { text: costs, contentType: 'text/csv' },
    }),
  );
  return report;
}
