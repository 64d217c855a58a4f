import type { Random, Weighted } from './random.ts';

// Where a visit comes from: a referrer and/or UTM tags on the landing URL, which the server turns
// into source, medium, campaign and channel exactly as for real traffic. Newcomers come mostly
// from search and social; returning visitors type the address or click the newsletter.

export type AcquisitionChannel =
  | 'Direct'
  | 'Organic Search'
  | 'Paid Search'
  | 'Organic Social'
  | 'Paid Social'
  | 'Email'
  | 'Referral'
  | 'Affiliates'
  | 'Display';

export interface VisitSource {
  channel: AcquisitionChannel;
  referrer?: string;
  /** Query string for the landing URL (UTM tags, click ids), without '?'. */
  query?: string;
}

const FIRST_VISIT: Weighted<AcquisitionChannel>[] = [
  { value: 'Organic Search', weight: 34 },
  { value: 'Direct', weight: 19 },
  { value: 'Organic Social', weight: 11 },
  { value: 'Paid Search', weight: 10 },
  { value: 'Paid Social', weight: 8 },
  { value: 'Referral', weight: 9 },
  { value: 'Email', weight: 2 },
  { value: 'Affiliates', weight: 3 },
  { value: 'Display', weight: 4 },
];

const RETURNING: Weighted<AcquisitionChannel>[] = [
  { value: 'Direct', weight: 46 },
  { value: 'Organic Search', weight: 20 },
  { value: 'Email', weight: 14 },
  { value: 'Organic Social', weight: 9 },
  { value: 'Referral', weight: 5 },
  { value: 'Paid Search', weight: 4 },
  { value: 'Paid Social', weight: 2 },
];

const SEARCH = [
  { value: 'https://www.google.com/', weight: 80 },
  { value: 'https://www.bing.com/', weight: 7 },
  { value: 'https://duckduckgo.com/', weight: 6 },
  { value: 'https://www.ecosia.org/', weight: 4 },
  { value: 'https://www.qwant.com/', weight: 3 },
];

const SOCIAL = [
  { value: 'https://www.instagram.com/', weight: 28 },
  { value: 'https://l.facebook.com/', weight: 20 },
  { value: 'https://www.reddit.com/', weight: 15 },
  { value: 'https://www.youtube.com/', weight: 13 },
  { value: 'https://www.linkedin.com/', weight: 10 },
  { value: 'https://t.co/', weight: 6 },
  { value: 'https://www.tiktok.com/', weight: 8 },
];

const REFERRERS = [
  { value: 'https://medium.com/', weight: 20 },
  { value: 'https://www.producthunt.com/', weight: 10 },
  { value: 'https://github.com/', weight: 6 },
  { value: 'https://www.trustpilot.com/', weight: 14 },
  { value: 'https://www.lesoir.be/', weight: 8 },
  { value: 'https://www.hln.be/', weight: 8 },
  { value: 'https://www.tweakers.net/', weight: 6 },
  { value: 'https://chatgpt.com/', weight: 18 },
];

const PARTNERS = ['awin', 'tradetracker', 'daisycon'];

/** A landing source; `crossDomainFrom`: the portfolio domain whose link brought the visitor (a referral). */
export function pickSource(
  rng: Random,
  input: { returning: boolean; campaigns: readonly string[]; crossDomainFrom?: string | undefined },
): VisitSource {
  if (input.crossDomainFrom) return { channel: 'Referral', referrer: `https://${input.crossDomainFrom}/` };
  const channel = rng.weighted(input.returning ? RETURNING : FIRST_VISIT);
  const campaign = input.campaigns.length > 0 ? rng.pick(input.campaigns) : 'always-on';
  switch (channel) {
    case 'Direct':
      return { channel };
    case 'Organic Search':
      return { channel, referrer: rng.weighted(SEARCH) };
    case 'Organic Social':
      return { channel, referrer: rng.weighted(SOCIAL) };
    case 'Referral':
      return { channel, referrer: rng.weighted(REFERRERS) };
    case 'Paid Search':
      return {
        channel,
        referrer: 'https://www.google.com/',
        query: `utm_source=google&utm_medium=cpc&utm_campaign=${campaign}&gclid=${rng.hex(20)}`,
      };
    case 'Paid Social': {
      const network = rng.chance(0.6) ? 'facebook' : 'instagram';
      return {
        channel,
        referrer: network === 'facebook' ? 'https://l.facebook.com/' : 'https://www.instagram.com/',
        query: `utm_source=${network}&utm_medium=paid_social&utm_campaign=${campaign}`,
      };
    }
    case 'Email':
      return { channel, query: `utm_source=newsletter&utm_medium=email&utm_campaign=${campaign}` };
    case 'Affiliates':
      return {
        channel,
        query: `utm_source=${rng.pick(PARTNERS)}&utm_medium=affiliate&utm_campaign=${campaign}`,
      };
    case 'Display':
      return { channel, query: `utm_source=google&utm_medium=display&utm_campaign=retargeting-${campaign}` };
  }
}
