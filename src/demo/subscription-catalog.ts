import type { DemoSite } from './population.ts';

// What the subscription domains sell: plans and prices per kind of business (EUR; yearly plans
// cost ten months), and the monthly rates of churn, upgrades and downgrades the plan applies.

export interface Price {
  id: string;
  nickname: string;
  product: string;
  amountCents: number;
  interval: 'month' | 'year';
  /** Monthly value: a yearly price counts ÷ 12. */
  mrrCents: number;
}

export interface Catalog {
  /** Share of the portfolio's MRR target this kind carries. */
  share: number;
  trialDays: number;
  monthlyChurn: number;
  monthlyExpansion: number;
  monthlyContraction: number;
  yearlyShare: number;
  tiers: { name: string; monthlyCents: number; weight: number }[];
}

export const CATALOGS: Record<string, Catalog> = {
  saas: {
    share: 0.7,
    trialDays: 14,
    monthlyChurn: 0.035,
    monthlyExpansion: 0.02,
    monthlyContraction: 0.008,
    yearlyShare: 0.2,
    tiers: [
      { name: 'Starter', monthlyCents: 1900, weight: 0.5 },
      { name: 'Pro', monthlyCents: 4900, weight: 0.35 },
      { name: 'Agency', monthlyCents: 12900, weight: 0.15 },
    ],
  },
  'web3-app': {
    share: 0.3,
    trialDays: 0,
    monthlyChurn: 0.06,
    monthlyExpansion: 0.015,
    monthlyContraction: 0.01,
    yearlyShare: 0.25,
    tiers: [
      { name: 'Rider', monthlyCents: 599, weight: 0.65 },
      { name: 'Pro Rider', monthlyCents: 1299, weight: 0.35 },
    ],
  },
};

/** Acquisition channels of new subscribers (Stripe metadata `channel`, for CAC per channel). */
export const CHANNELS = [
  { value: 'Organic Search', weight: 34 },
  { value: 'Direct', weight: 22 },
  { value: 'Paid Search', weight: 16 },
  { value: 'Paid Social', weight: 10 },
  { value: 'Organic Social', weight: 8 },
  { value: 'Email', weight: 6 },
  { value: 'Referral', weight: 4 },
];

export function priceOf(site: DemoSite, tier: Catalog['tiers'][number], yearly: boolean): Price {
  const slug = `${site.host.split('.')[0]}-${tier.name.toLowerCase().replace(/\s+/g, '-')}`;
  return {
    id: `price_demo_${slug}_${yearly ? 'yearly' : 'monthly'}`,
    nickname: `${tier.name} (${yearly ? 'yearly' : 'monthly'})`,
    product: `prod_demo_${slug}`,
    amountCents: yearly ? tier.monthlyCents * 10 : tier.monthlyCents,
    interval: yearly ? 'year' : 'month',
    mrrCents: yearly ? Math.round((tier.monthlyCents * 10) / 12) : tier.monthlyCents,
  };
}

export function addInterval(at: number, interval: 'month' | 'year'): number {
  const d = new Date(at);
  if (interval === 'month') d.setUTCMonth(d.getUTCMonth() + 1);
  else d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.getTime();
}
