import { describe, expect, it } from 'vitest';
import {
  type Channel,
  classifyTraffic,
  MAX_TRAFFIC_FIELD_LENGTH,
  type TrafficSource,
} from './traffic-source.ts';

const OWN = ['example.com'];
const PAGE = 'https://example.com/pricing';
const GOOGLE = 'https://www.google.com/';

// Tagged landing pages: [query string, referrer, expected fields (others unconstrained)].
type TagRow = [
  query: string,
  referrer: string | null,
  expected: Partial<TrafficSource> & { channel: Channel },
];
const tagRows: TagRow[] = [
  // Click ids
  ['gclid=Cj0KCQ', null, { channel: 'Paid Search', source: 'Google', medium: 'cpc' }],
  ['gclid=Cj0KCQ', GOOGLE, { channel: 'Paid Search', source: 'Google', referrerHost: 'google.com' }],
  ['gbraid=0AAAAA', null, { channel: 'Paid Search', source: 'Google', medium: 'cpc' }],
  ['msclkid=abc', 'https://www.bing.com/', { channel: 'Paid Search', source: 'Bing', medium: 'cpc' }],
  ['fbclid=IwAR0abc', null, { channel: 'Organic Social', source: 'Facebook', medium: null }],
  ['gclid=', null, { channel: 'Direct', source: null, medium: null }],
  // A click id's medium only applies to its own platform.
  ['utm_source=newsletter&gclid=x', null, { channel: 'Email', source: 'newsletter', medium: null }],
  ['utm_source=google&gclid=x', null, { channel: 'Paid Search', source: 'Google', medium: 'cpc' }],
  // Paid mediums
  [
    'utm_source=google&utm_medium=cpc&utm_campaign=brand',
    null,
    { channel: 'Paid Search', campaign: 'brand' },
  ],
  ['utm_source=bing&utm_medium=ppc', null, { channel: 'Paid Search', source: 'Bing', medium: 'ppc' }],
  ['utm_source=google&utm_medium=cpm', null, { channel: 'Paid Search' }],
  [
    'utm_source=fb&utm_medium=paid',
    'https://l.facebook.com/',
    { channel: 'Paid Social', source: 'Facebook' },
  ],
  ['utm_source=ig&utm_medium=paid_social', null, { channel: 'Paid Social', source: 'Instagram' }],
  ['utm_source=linkedin&utm_medium=retargeting', null, { channel: 'Paid Social', source: 'LinkedIn' }],
  ['utm_source=taboola&utm_medium=cpc', null, { channel: 'Display', source: 'taboola' }],
  ['utm_source=gdn&utm_medium=display', null, { channel: 'Display', medium: 'display' }],
  ['utm_source=partner&utm_medium=banner', null, { channel: 'Display' }],
  ['utm_source=facebook&utm_medium=display', null, { channel: 'Display', source: 'Facebook' }],
  // Email, affiliates, social
  ['utm_source=mailchimp&utm_medium=email&utm_campaign=may', null, { channel: 'Email', source: 'mailchimp' }],
  ['utm_source=acme&utm_medium=Newsletter', null, { channel: 'Email', medium: 'Newsletter' }],
  ['utm_source=acme&utm_medium=e-mail', null, { channel: 'Email' }],
  ['utm_source=newsletter', null, { channel: 'Email', source: 'newsletter', medium: null }],
  ['utm_medium=email', null, { channel: 'Email', source: null, medium: 'email' }],
  [
    'utm_source=partner&utm_medium=affiliate',
    'https://example.com/',
    { channel: 'Affiliates', source: 'partner' },
  ],
  ['utm_source=mastodon.social&utm_medium=social-network', null, { channel: 'Organic Social' }],
  ['utm_source=acme&utm_medium=social', null, { channel: 'Organic Social', source: 'acme' }],
  ['utm_source=acme&utm_medium=organic', null, { channel: 'Organic Search', source: 'acme' }],
  // Tags beat the referrer; source spellings are cleaned up
  ['utm_source=twitter&utm_medium=social', GOOGLE, { channel: 'Organic Social', source: 'Twitter' }],
  ['utm_source=www.facebook.com', null, { channel: 'Organic Social', source: 'Facebook' }],
  ['utm_source=producthunt', null, { channel: 'Referral', source: 'producthunt', medium: null }],
  ['utm_source=producthunt', 'https://example.com/', { channel: 'Referral', source: 'producthunt' }],
  ['ref=producthunt', 'https://www.producthunt.com/', { channel: 'Referral', source: 'producthunt' }],
  ['source=hn', null, { channel: 'Organic Social', source: 'Hacker News' }],
  ['ref=a&utm_source=b', null, { channel: 'Referral', source: 'b' }],
  ['UTM_SOURCE=Google&UTM_MEDIUM=organic', null, { channel: 'Organic Search', source: 'Google' }],
  ['utm_source=a&utm_source=b', null, { channel: 'Referral', source: 'a' }],
  // Blank or partial tags
  [
    'utm_source=%20&utm_medium=',
    'https://duckduckgo.com/',
    { channel: 'Organic Search', source: 'DuckDuckGo' },
  ],
  [
    'utm_campaign=spring',
    'https://www.bing.com/',
    { channel: 'Organic Search', source: 'Bing', campaign: 'spring' },
  ],
  ['utm_campaign=spring', null, { channel: 'Direct', source: null, campaign: 'spring' }],
  ['utm_campaign=spring', 'https://example.com/', { channel: 'Internal', campaign: 'spring' }],
  ['utm_medium=banner-footer', 'https://example.com/', { channel: 'Internal', source: null }],
  ['utm_medium=qr', null, { channel: 'Referral', source: null, medium: 'qr' }],
];

describe('classifyTraffic: campaign tags and click ids', () => {
  it.each(tagRows)('?%s (referrer %s)', (query, referrer, expected) => {
    expect(classifyTraffic({ url: `${PAGE}?${query}`, referrer, ownHosts: OWN })).toMatchObject(expected);
  });

  it('truncates source, medium and campaign', () => {
    const long = 'x'.repeat(500);
    const query = `utm_source=${long}&utm_medium=${long}&utm_campaign=${long}`;
    const result = classifyTraffic({ url: `${PAGE}?${query}`, referrer: null, ownHosts: OWN });
    expect(result.source).toHaveLength(MAX_TRAFFIC_FIELD_LENGTH);
    expect(result.medium).toHaveLength(MAX_TRAFFIC_FIELD_LENGTH);
    expect(result.campaign).toHaveLength(MAX_TRAFFIC_FIELD_LENGTH);
  });

  it('decodes and trims tag values', () => {
    const url = `${PAGE}?utm_source=%20spring%20sale%20&utm_campaign=black+friday`;
    expect(classifyTraffic({ url, referrer: null, ownHosts: OWN })).toMatchObject({
      source: 'spring sale',
      campaign: 'black friday',
    });
  });

  it('ignores tags in the referrer URL', () => {
    const referrer = 'https://partner.io/?utm_source=google&utm_medium=cpc';
    expect(classifyTraffic({ url: PAGE, referrer, ownHosts: OWN })).toMatchObject({
      channel: 'Referral',
      source: 'partner.io',
      medium: null,
    });
  });
});
