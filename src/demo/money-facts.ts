import type { DemoPlan } from './demo-plan.ts';
import { addDaysUtc } from './population.ts';
import { hashKeys, Random } from './random.ts';
import { mrrAt } from './subscription-plan.ts';
import type { DemoSale } from './visits.ts';

// What the visits and subscriptions earned and cost, in the shapes the money APIs take: revenue
// facts for `POST /api/v1/revenue/batch`, and commissions and costs as CSV files for the import API.

export const REVENUE_SOURCE = 'demo';

/** One item of `POST /api/v1/revenue/batch`. */
export interface RevenueItem {
  kind: 'order' | 'nft' | 'other';
  amount: string;
  currency: 'EUR';
  occurredAt: string;
  externalId: string;
  source: string;
  status?: 'completed';
  email?: string;
  stream?: string;
  chain?: string;
  transactionHash?: string;
  metadata?: Record<string, string | number>;
}

const euros = (cents: number) => (cents / 100).toFixed(2);
const NFT_FEE = 0.05;
const LEAD_PRICE_CENTS = 4500;

/** Revenue facts of the visits' sales, per domain; `streams` maps a domain to its stream id. */
export function revenueItems(
  sales: readonly DemoSale[],
  streams: ReadonlyMap<number, string>,
): Map<number, RevenueItem[]> {
  const out = new Map<number, RevenueItem[]>();
  for (const sale of sales) {
    const base = {
      currency: 'EUR' as const,
      occurredAt: sale.occurredAt.toISOString(),
      externalId: sale.externalId,
      source: REVENUE_SOURCE,
      ...(sale.email ? { email: sale.email } : {}),
      ...(streams.has(sale.site) ? { stream: streams.get(sale.site) as string } : {}),
    };
    let item: RevenueItem | null = null;
    if (sale.kind === 'order' || sale.kind === 'one_time') {
      item = {
        ...base,
        kind: 'order',
        amount: euros(sale.amountCents),
        ...(sale.kind === 'one_time' ? { metadata: { product: 'premium credits' } } : {}),
      };
    } else if (sale.kind === 'nft') {
      // The marketplace earns its fee on each sale; the sale price stays in the metadata.
      const fee = Math.max(50, Math.round(sale.amountCents * NFT_FEE));
      const hash = Random.of('tx', sale.externalId).hex(64);
      item = {
        ...base,
        kind: 'nft',
        amount: euros(fee),
        chain: 'polygon',
        transactionHash: `0x${hash}`,
        metadata: { salePriceEur: euros(sale.amountCents), feeRate: NFT_FEE },
      };
    } else if (sale.kind === 'other' && hashKeys('lead', sale.externalId) % 2 === 0) {
      // Half of the leads qualify and are sold to a partner.
      item = { ...base, kind: 'other', amount: euros(LEAD_PRICE_CENTS), metadata: { lead: 'qualified' } };
    }
    if (!item) continue;
    const list = out.get(sale.site) ?? [];
    list.push(item);
    out.set(sale.site, list);
  }
  return out;
}

const NETWORKS = ['awin', 'tradetracker', 'amazon-associates'];
const PROGRAMS = ['Elf Bar EU', 'Lost Mary Benelux', 'VapeStore NL', 'Amazon.de'];

const csvCell = (value: string | number) => {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
const csvLine = (cells: readonly (string | number)[]) => cells.map(csvCell).join(',');

/**
 * Affiliate commissions from outbound clicks: about one click in ten earns one. Statuses follow
 * the age at the end of the period, as a network reports them: pending, approved after a week,
 * paid after a month; a few are reversed.
 */
export function commissionsCsv(plan: DemoPlan, clicks: readonly DemoSale[], now: Date): string {
  const endMs = Date.parse(`${plan.options.end}T00:00:00Z`) + 86_400_000;
  const lines = [
    csvLine(['date', 'network', 'external_id', 'amount', 'currency', 'status', 'domain', 'program']),
  ];
  for (const click of clicks) {
    if (click.kind !== 'click') continue;
    const rng = Random.of(plan.options.seed, 'commission', click.externalId);
    if (!rng.chance(0.1)) continue;
    const at = click.occurredAt.getTime() + rng.int(48 * 3_600_000);
    if (at > Math.min(endMs, now.getTime())) continue;
    const ageDays = (endMs - at) / 86_400_000;
    const amount = Math.max(100, Math.round(rng.logNormal(900, 0.5)));
    const status =
      ageDays >= 10 && rng.chance(0.05)
        ? 'reversed'
        : ageDays < 7
          ? 'pending'
          : ageDays < 30
            ? 'approved'
            : 'paid';
    const host = plan.sites[click.site]?.host ?? '';
    lines.push(
      csvLine([
        new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        rng.pick(NETWORKS),
        `demo-${click.externalId}`,
        euros(amount),
        'EUR',
        status,
        host,
        rng.pick(PROGRAMS),
      ]),
    );
  }
  return `${lines.join('\n')}\n`;
}

export interface CostInputs {
  /** Payments (orders, sales, invoices) per `${site}:${day}`: cents and count, for fees and cost of goods. */
  payments: Map<string, { cents: number; count: number }>;
}

const INFRASTRUCTURE_CENTS: Record<string, number> = {
  'e-commerce': 8900,
  'web3-app': 16000,
  'nft-marketplace': 12000,
  saas: 14500,
  dating: 9900,
  affiliate: 4500,
  'lead-generation': 5500,
};

const CHANNEL_SPLIT = [
  { channel: 'Paid Search', share: 0.5, description: 'Google Ads' },
  { channel: 'Paid Social', share: 0.3, description: 'Meta Ads (Facebook, Instagram)' },
  { channel: 'Display', share: 0.1, description: 'Google Display retargeting' },
  { channel: 'Affiliates', share: 0.1, description: 'Affiliate network fees' },
];

/** The CAC the marketing budget aims at (seed KPI "Customer Acquisition Cost": €42). */
const TARGET_CAC_CENTS = 4200;
/** Share of the marketing budget spent on the subscription domains; the rest by traffic share. */
const SUBSCRIPTION_MARKETING_SHARE = 0.7;
const DAY_MS = 86_400_000;

/** Cost of serving subscribers, as a share of MRR (the seed's gross margin is 68%). */
const SERVING_COSTS: Record<string, { share: number; description: string }> = {
  saas: { share: 0.35, description: "AI APIs, crawlers and servers for customers' audits" },
  'web3-app': { share: 0.45, description: 'FIX token rewards and ride tracking for subscribers' },
};

/** When each customer first paid (their first `active` step): the "new customers" CAC divides by. */
function firstPayments(plan: DemoPlan): { site: number; at: number }[] {
  const first = new Map<string, { site: number; at: number }>();
  for (const sub of plan.subscriptions) {
    const paid = sub.steps.find((s) => s.status === 'active');
    const key = `${sub.site}:${sub.customerId}`;
    if (paid && paid.at < (first.get(key)?.at ?? Number.POSITIVE_INFINITY)) {
      first.set(key, { site: sub.site, at: paid.at });
    }
  }
  return [...first.values()];
}

/**
 * Operating costs of the period. Each month: hosting per domain; tools, team and AI portfolio-wide.
 * Each day: cost of goods (38% of the shop's sales; serving subscribers, 35–45% of MRR), payment
 * fees (1.5% + €0.25 per payment; category cogs as docs/metrics.md asks), and marketing per
 * domain and paid channel: €42 per new paying customer over the portfolio (the seed's CAC), 70%
 * on the subscription domains by their new customers, the rest by the others' traffic share.
 */
export function costsCsv(plan: DemoPlan, inputs: CostInputs, now: Date): string {
  const { seed, days } = plan.options;
  const lines = [
    csvLine(['date', 'category', 'amount', 'currency', 'domain', 'description', 'external_id', 'channel']),
  ];
  const push = (
    day: number,
    category: string,
    cents: number,
    host: string,
    description: string,
    channel = '',
  ) => {
    const date = addDaysUtc(plan.startDate, day);
    if (Date.parse(`${date}T00:00:00Z`) > now.getTime() || cents <= 0) return;
    const id = `demo-${seed}-cost-${date}-${category}-${host || 'portfolio'}-${channel || description}`;
    lines.push(csvLine([date, category, euros(Math.round(cents)), 'EUR', host, description, id, channel]));
  };
  const start = Date.parse(`${plan.startDate}T00:00:00Z`);
  const newCustomers = firstPayments(plan);
  const payers = new Set(plan.subscriptions.map((s) => s.site));
  const others = plan.sites.filter((s) => !payers.has(s.index));
  const otherWeight = others.reduce((sum, s) => sum + s.profile.arrivalWeight, 0);
  for (let day = 0; day < days; day++) {
    const date = addDaysUtc(plan.startDate, day);
    const dom = Number(date.slice(8, 10));
    const monthDays = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)), 0)).getUTCDate();
    // Monthly bills on the 1st; the period's first (partial) month is charged pro rata on day 0.
    const monthShare = dom === 1 ? 1 : day === 0 ? (monthDays - dom + 1) / monthDays : 0;
    if (monthShare > 0) {
      for (const site of plan.sites) {
        const hosting = (INFRASTRUCTURE_CENTS[site.kind] ?? 4000) * monthShare;
        push(day, 'infrastructure', hosting, site.host, 'Hosting, CDN and database');
      }
      push(day, 'tools', 29000 * monthShare, '', 'SEO, analytics and design tools');
      push(day, 'team', 240000 * monthShare, '', 'Freelance developers and content writers');
      push(day, 'ai', 38000 * monthShare, '', 'AI model APIs for content and support agents');
    }
    for (const site of plan.sites) {
      const serving = SERVING_COSTS[site.kind];
      if (serving) {
        const subs = plan.subscriptions.filter((sub) => sub.site === site.index);
        push(
          day,
          'cogs',
          (serving.share * mrrAt(subs, start + (day + 1) * DAY_MS - 1)) / 30,
          site.host,
          serving.description,
        );
      }
      const paid = inputs.payments.get(`${site.index}:${day}`);
      if (!paid) continue;
      if (site.kind === 'e-commerce')
        push(day, 'cogs', paid.cents * 0.38, site.host, 'Cost of goods and shipping');
      push(day, 'cogs', paid.cents * 0.015 + paid.count * 25, site.host, 'Payment fees');
    }
    // Marketing: €42 per new paying customer, spread over the week around each one (ad spend is
    // smooth, and any range of days then reads a CAC near €42).
    const near = newCustomers.filter(
      (c) => c.at >= start + (day - 3) * DAY_MS && c.at < start + (day + 4) * DAY_MS,
    );
    const budget = (near.length / 7) * TARGET_CAC_CENTS;
    for (const site of plan.sites) {
      const mine = near.filter((c) => c.site === site.index).length;
      const share = payers.has(site.index)
        ? (SUBSCRIPTION_MARKETING_SHARE * mine) / Math.max(1, near.length)
        : ((1 - SUBSCRIPTION_MARKETING_SHARE) * site.profile.arrivalWeight) / otherWeight;
      const rng = Random.of(seed, 'marketing', site.index, day);
      for (const split of CHANNEL_SPLIT) {
        const cents = budget * share * split.share * rng.between(0.9, 1.1);
        push(day, 'marketing', cents, site.host, split.description, split.channel);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
