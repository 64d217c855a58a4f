import { describe, expect, it } from 'vitest';
import { MAX_USER_AGENT_LENGTH, type ParsedUserAgent, parseUserAgent } from './user-agent.ts';

// Real UA strings as sent by current browsers, crawlers and tools.
const UA = {
  chromeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  chromeMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  chromeLinux:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  chromeOs:
    'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  firefoxWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
  firefoxMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:125.0) Gecko/20100101 Firefox/125.0',
  firefoxUbuntu: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  firefoxFedora: 'Mozilla/5.0 (X11; Fedora; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  safariMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  edgeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51',
  edgeMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51',
  operaWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0',
  ie11: 'Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko',
  iphoneSafari:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
  iphoneChrome:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1',
  ipadSafari:
    'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  androidChromePhone:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36',
  androidChromeTablet:
    'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  androidFirefox: 'Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0',
  androidWebView:
    'Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36',
  operaAndroid:
    'Mozilla/5.0 (Linux; Android 10; VOG-L29) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36 OPR/81.2.4292.78437',
  samsungInternet:
    'Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36',
  samsungTv:
    'Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  googlebotSmartphone:
    'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.60 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  bingbot: 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  headlessChrome:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.6367.60 Safari/537.36',
  curl: 'curl/8.4.0',
} as const;

type Case = [name: keyof typeof UA, expected: ParsedUserAgent];
const human = (browser: string, browserVersion: string, os: string, device: ParsedUserAgent['device']) => ({
  browser,
  browserVersion,
  os,
  device,
  bot: false,
});

describe('parseUserAgent: browsers, OS and device of real user agents', () => {
  const cases: Case[] = [
    ['chromeWindows', human('Chrome', '124.0', 'Windows', 'desktop')],
    ['chromeMac', human('Chrome', '124.0', 'macOS', 'desktop')],
    ['chromeLinux', human('Chrome', '124.0', 'Linux', 'desktop')],
    ['chromeOs', human('Chrome', '124.0', 'ChromeOS', 'desktop')],
    ['firefoxWindows', human('Firefox', '125.0', 'Windows', 'desktop')],
    ['firefoxMac', human('Firefox', '125.0', 'macOS', 'desktop')],
    ['firefoxUbuntu', human('Firefox', '125.0', 'Linux', 'desktop')],
    ['firefoxFedora', human('Firefox', '125.0', 'Linux', 'desktop')],
    ['safariMac', human('Safari', '17.4', 'macOS', 'desktop')],
    ['edgeWindows', human('Edge', '124.0', 'Windows', 'desktop')],
    ['edgeMac', human('Edge', '124.0', 'macOS', 'desktop')],
    ['operaWindows', human('Opera', '110.0', 'Windows', 'desktop')],
    ['ie11', human('Internet Explorer', '11.0', 'Windows', 'desktop')],
    ['iphoneSafari', human('Safari', '17.4', 'iOS', 'mobile')],
    ['iphoneChrome', human('Chrome', '124.0', 'iOS', 'mobile')],
    ['ipadSafari', human('Safari', '16.6', 'iOS', 'tablet')],
    ['androidChromePhone', human('Chrome', '124.0', 'Android', 'mobile')],
    ['androidChromeTablet', human('Chrome', '124.0', 'Android', 'tablet')],
    ['androidFirefox', human('Firefox', '125.0', 'Android', 'mobile')],
    ['androidWebView', human('Chrome', '124.0', 'Android', 'mobile')],
    ['operaAndroid', human('Opera', '81.2', 'Android', 'mobile')],
    ['samsungInternet', human('Samsung Internet', '24.0', 'Android', 'mobile')],
    // A TV is none of desktop/mobile/tablet.
    ['samsungTv', human('Samsung Internet', '4.0', 'Tizen', null)],
  ];
  it.each(cases)('%s', (name, expected) => {
    expect(parseUserAgent(UA[name])).toEqual(expected);
  });
});

describe('parseUserAgent: bots', () => {
  it.each(['googlebot', 'googlebotSmartphone', 'bingbot', 'headlessChrome', 'curl'] as const)(
    '%s is a bot',
    (name) => {
      expect(parseUserAgent(UA[name]).bot).toBe(true);
    },
  );

  it('still reports what a bot claims to be', () => {
    expect(parseUserAgent(UA.googlebotSmartphone)).toEqual({
      browser: 'Chrome',
      browserVersion: '124.0',
      os: 'Android',
      device: 'mobile',
      bot: true,
    });
    expect(parseUserAgent(UA.headlessChrome)).toMatchObject({ browser: 'Chrome', os: 'Linux', bot: true });
  });

  it('reports nothing but the bot flag for a crawler without browser tokens', () => {
    expect(parseUserAgent(UA.googlebot)).toEqual({
      browser: null,
      browserVersion: null,
      os: null,
      device: null,
      bot: true,
    });
    expect(parseUserAgent(UA.curl)).toEqual({
      browser: null,
      browserVersion: null,
      os: null,
      device: null,
      bot: true,
    });
  });

  it.each([null, undefined, '', '   '])('a missing or blank UA (%j) is a bot with no labels', (ua) => {
    expect(parseUserAgent(ua)).toEqual({
      browser: null,
      browserVersion: null,
      os: null,
      device: null,
      bot: true,
    });
  });

  // Pins the coverage we rely on isbot for instead of keeping our own list (see looksLikeBot).
  it.each([
    'Wget/1.21.4',
    'python-requests/2.31.0',
    'python-httpx/0.27.0',
    'Python-urllib/3.11',
    'Go-http-client/1.1',
    'Go-http-client/2.0',
    'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)',
    'node-fetch',
    'axios/1.6.8',
    'undici',
    'okhttp/4.12.0',
    'PostmanRuntime/7.37.3',
    'libwww-perl/6.72',
    'Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)',
    'Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 StatusCake',
    'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
    'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
    'Twitterbot/1.0',
    'WhatsApp/2.23.20.0',
    'TelegramBot (like TwitterBot)',
    'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
    'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
    'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)',
    'DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)',
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.0; +https://openai.com/gptbot)',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)',
    'Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1',
    'Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse',
  ])('%s is a bot', (ua) => {
    expect(parseUserAgent(ua).bot).toBe(true);
  });

  it.each(Object.keys(UA).filter((name) => !/bot|headless|curl/i.test(name)))('%s is not a bot', (name) => {
    expect(parseUserAgent(UA[name as keyof typeof UA]).bot).toBe(false);
  });

  it('keeps in-app browsers as humans, under the app name', () => {
    const instagram =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 327.0.0.31.89 (iPhone14,5; iOS 17_4; en_US; en; scale=3.00; 1170x2532; 594297395)';
    expect(parseUserAgent(instagram)).toEqual(human('Instagram', '327.0', 'iOS', 'mobile'));
  });
});

describe('parseUserAgent: robustness', () => {
  it('truncates input to MAX_USER_AGENT_LENGTH before parsing', () => {
    // A bot token beyond the cap is not seen: the cap really applies before any matching.
    const padded = `${UA.chromeWindows}${' '.repeat(MAX_USER_AGENT_LENGTH)}Googlebot/2.1`;
    expect(parseUserAgent(padded)).toEqual(human('Chrome', '124.0', 'Windows', 'desktop'));
  });

  it('handles a huge header quickly', () => {
    const started = performance.now();
    parseUserAgent(`Mozilla/5.0 (${'a'.repeat(1_000_000)}`);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('gives no device when nothing was recognised', () => {
    expect(parseUserAgent('hello world')).toMatchObject({ browser: null, os: null, device: null });
  });

  it('accepts a version without a minor part', () => {
    const brave =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Brave/124';
    expect(parseUserAgent(brave)).toEqual(human('Brave', '124.0', 'Windows', 'desktop'));
  });
});
