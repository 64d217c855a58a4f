import { describe, expect, it } from 'vitest';
import { type Channel, classifyTraffic, type TrafficSource } from './traffic-source.ts';

const OWN = ['example.com'];
const PAGE = 'https://example.com/pricing';

const fromReferrer = (referrer: string | null, url: string | null = PAGE): TrafficSource =>
  classifyTraffic({ url, referrer, ownHosts: OWN });

// Untagged landing page: the referrer alone decides. [referrer, channel, source, referrerHost].
type ReferrerRow = [referrer: string, channel: Channel, source: string | null, referrerHost: string | null];
const referrerRows: ReferrerRow[] = [
  // Same site
  ['https://example.com/', 'Internal', null, 'example.com'],
  ['https://www.example.com/blog', 'Internal', null, 'example.com'],
  ['https://docs.example.com/a', 'Internal', null, 'docs.example.com'],
  ['HTTP://EXAMPLE.COM:8080/x', 'Internal', null, 'example.com'],
  // Other sites, including look-alikes and other domains of the same owner
  ['https://notexample.com/', 'Referral', 'notexample.com', 'notexample.com'],
  ['https://example-shop.io/cart', 'Referral', 'example-shop.io', 'example-shop.io'],
  ['https://news.example.org/story', 'Referral', 'news.example.org', 'news.example.org'],
  ['https://docs.google.com/document/d/1', 'Referral', 'docs.google.com', 'docs.google.com'],
  // Search engines
  ['https://www.google.com/', 'Organic Search', 'Google', 'google.com'],
  ['https://www.google.co.uk/', 'Organic Search', 'Google', 'google.co.uk'],
  ['https://www.google.com.br/', 'Organic Search', 'Google', 'google.com.br'],
  [
    'android-app://com.google.android.googlequicksearchbox/',
    'Organic Search',
    'Google',
    'com.google.android.googlequicksearchbox',
  ],
  ['https://www.bing.com/search?q=x', 'Organic Search', 'Bing', 'bing.com'],
  ['https://cn.bing.com/', 'Organic Search', 'Bing', 'cn.bing.com'],
  ['https://duckduckgo.com/', 'Organic Search', 'DuckDuckGo', 'duckduckgo.com'],
  ['https://uk.search.yahoo.com/', 'Organic Search', 'Yahoo', 'uk.search.yahoo.com'],
  ['https://www.ecosia.org/', 'Organic Search', 'Ecosia', 'ecosia.org'],
  ['https://www.qwant.com/', 'Organic Search', 'Qwant', 'qwant.com'],
  ['https://m.baidu.com/', 'Organic Search', 'Baidu', 'baidu.com'],
  ['https://yandex.ru/', 'Organic Search', 'Yandex', 'yandex.ru'],
  ['https://search.brave.com/', 'Organic Search', 'Brave Search', 'search.brave.com'],
  ['https://www.startpage.com/', 'Organic Search', 'Startpage', 'startpage.com'],
  // Social networks (l./lm./m. are Facebook's and Instagram's link shims and mobile sites)
  ['https://l.facebook.com/', 'Organic Social', 'Facebook', 'facebook.com'],
  ['https://lm.facebook.com/', 'Organic Social', 'Facebook', 'facebook.com'],
  ['https://m.facebook.com/', 'Organic Social', 'Facebook', 'facebook.com'],
  ['https://l.instagram.com/', 'Organic Social', 'Instagram', 'instagram.com'],
  ['https://t.co/abc', 'Organic Social', 'Twitter', 't.co'],
  ['https://x.com/someone', 'Organic Social', 'Twitter', 'x.com'],
  ['https://www.linkedin.com/', 'Organic Social', 'LinkedIn', 'linkedin.com'],
  ['https://lnkd.in/abc', 'Organic Social', 'LinkedIn', 'lnkd.in'],
  ['https://old.reddit.com/r/x', 'Organic Social', 'Reddit', 'old.reddit.com'],
  ['https://www.pinterest.co.uk/', 'Organic Social', 'Pinterest', 'pinterest.co.uk'],
  ['https://m.youtube.com/watch?v=1', 'Organic Social', 'YouTube', 'youtube.com'],
  ['https://www.tiktok.com/', 'Organic Social', 'TikTok', 'tiktok.com'],
  ['https://www.threads.net/', 'Organic Social', 'Threads', 'threads.net'],
  ['https://bsky.app/profile/x', 'Organic Social', 'Bluesky', 'bsky.app'],
  // Webmail
  ['https://mail.google.com/', 'Email', 'Gmail', 'mail.google.com'],
  ['android-app://com.google.android.gm/', 'Email', 'Gmail', 'com.google.android.gm'],
  ['https://outlook.live.com/', 'Email', 'Outlook', 'outlook.live.com'],
  ['https://mail.yahoo.com/', 'Email', 'Yahoo Mail', 'mail.yahoo.com'],
];

describe('classifyTraffic: by referrer', () => {
  it.each(referrerRows)('%s → %s / %s', (referrer, channel, source, referrerHost) => {
    expect(fromReferrer(referrer)).toEqual({ channel, source, referrerHost, medium: null, campaign: null });
  });

  it.each([
    ['no referrer', null],
    ['empty referrer', ''],
    ['unparseable referrer', '::::'],
    ['browser-internal referrer', 'chrome://newtab/'],
    ['script referrer', 'javascript:alert(1)'],
  ])('%s is Direct', (_label, referrer) => {
    expect(fromReferrer(referrer)).toEqual({
      channel: 'Direct',
      source: null,
      medium: null,
      campaign: null,
      referrerHost: null,
    });
  });

  it('treats the page host as own even when ownHosts misses it', () => {
    const staging = 'https://staging.example.net/a';
    expect(fromReferrer(staging, 'https://staging.example.net/').channel).toBe('Internal');
  });

  it('does not treat the parent domain of an own subdomain as internal', () => {
    const result = classifyTraffic({
      url: 'https://blog.acme.dev/post',
      referrer: 'https://acme.dev/',
      ownHosts: ['blog.acme.dev'],
    });
    expect(result).toMatchObject({ channel: 'Referral', source: 'acme.dev' });
  });

  it('matches own hosts case-insensitively and with www', () => {
    const result = classifyTraffic({
      url: null,
      referrer: 'https://shop.example.com/',
      ownHosts: ['WWW.Example.com'],
    });
    expect(result.channel).toBe('Internal');
  });

  it('treats an empty ownHosts entry as matching nothing', () => {
    expect(classifyTraffic({ url: null, referrer: 'https://a.com/', ownHosts: [''] }).channel).toBe(
      'Referral',
    );
  });

  it('still uses the referrer when the page URL is invalid', () => {
    expect(fromReferrer('https://www.google.com/', 'nope')).toMatchObject({
      channel: 'Organic Search',
      source: 'Google',
    });
  });

  it('never throws on hostile input', () => {
    for (const junk of [
      '',
      ' ',
      'http://',
      'http://[::1',
      '%',
      'javascript:alert(1)',
      'https://exa mple.com',
    ]) {
      expect(() => classifyTraffic({ url: junk, referrer: junk, ownHosts: [junk] })).not.toThrow();
    }
  });
});
