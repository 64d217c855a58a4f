// Turns a raw User-Agent header into the few low-cardinality labels the dashboard groups by,
// plus a bot flag so crawlers, monitors and scripts never count as visitors.
import { isBot } from 'isbot';
import UAParser from 'ua-parser-js';

export type DeviceType = 'desktop' | 'mobile' | 'tablet';

export interface ParsedUserAgent {
  browser: string | null;
  /** `major.minor` only (e.g. `124.0`, `17.4`): full build numbers would explode cardinality. */
  browserVersion: string | null;
  os: string | null;
  device: DeviceType | null;
  bot: boolean;
}

/** Longer headers are truncated before parsing: real ones stay far below, and it bounds regex work. */
export const MAX_USER_AGENT_LENGTH = 1000;

/**
 * Browser labels: one label per product, whatever the platform or packaging.
 * `Mobile Safari` → Safari, `Chrome WebView`/`Chrome Headless` → Chrome, every Opera variant → Opera,
 * `Mobile Firefox`/`Firefox Focus` → Firefox, `IE`/`IEMobile` → Internet Explorer. Others keep
 * ua-parser's name (Samsung Internet, Vivaldi, Brave, Yandex, Facebook, Instagram…).
 */
const BROWSER_LABELS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(mobile )?safari$/i, 'Safari'],
  [/^chrome( mobile| webview| headless)?$/i, 'Chrome'],
  [/^(mobile )?firefox( focus| reality)?$/i, 'Firefox'],
  [/^edge$/i, 'Edge'],
  [/^opera( mini| mobi| mobile| tablet| touch| gx| coast)?$/i, 'Opera'],
  [/^ie(mobile)?$/i, 'Internet Explorer'],
  [/^gsa$/i, 'Google App'],
];

/** OS labels: Linux distributions collapse into Linux; `Mac OS` → macOS, `Chromium OS` → ChromeOS. */
const OS_LABELS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^windows$/i, 'Windows'],
  [/^mac ?os( x)?$/i, 'macOS'],
  [/^ios$/i, 'iOS'],
  [/^android(-x86)?$/i, 'Android'],
  [/^(chromium|chrome) ?os$/i, 'ChromeOS'],
  [
    /^(linux|ubuntu|debian|fedora|arch|mint|centos|red ?hat|suse|gentoo|slackware|mandriva|mageia|pclinuxos|kubuntu|xubuntu|elementary os|manjaro|zenwalk|vectorlinux|linpus|gnu)$/i,
    'Linux',
  ],
];

function relabel(name: string | undefined, labels: ReadonlyArray<readonly [RegExp, string]>): string | null {
  const trimmed = name?.trim();
  if (!trimmed) return null;
  for (const [pattern, label] of labels) if (pattern.test(trimmed)) return label;
  return trimmed;
}

function majorMinor(version: string | undefined): string | null {
  const match = version?.match(/^(\d+)(?:\.(\d+))?/);
  if (!match) return null;
  return `${match[1]}.${match[2] ?? '0'}`;
}

/**
 * ua-parser reports no device type for desktops, so "no type but a recognised browser or OS" means
 * desktop — except on iOS/Android, where a missing type still means a handheld. TVs, consoles and
 * embedded devices fit none of our three buckets and get null. Note: iPadOS 13+ sends a Mac UA by
 * default, so most iPads are (unavoidably) reported as macOS desktop.
 */
function deviceType(type: string | undefined, browser: string | null, os: string | null): DeviceType | null {
  if (type === 'mobile' || type === 'wearable') return 'mobile';
  if (type === 'tablet') return 'tablet';
  if (type !== undefined) return null;
  if (os === 'iOS' || os === 'Android') return 'mobile';
  return browser !== null || os !== null ? 'desktop' : null;
}

/**
 * isbot (v5) already covers headless Chrome, PhantomJS, Lighthouse, curl, wget, python-requests,
 * Go-http-client, node-fetch, axios, undici, okhttp, UptimeRobot, Pingdom, StatusCake, link
 * previewers (facebookexternalhit, Slackbot, Twitterbot, WhatsApp, Discordbot…), so the only rule
 * we add is "no User-Agent at all is a bot" — browsers always send one. The tests pin this coverage.
 */
function looksLikeBot(ua: string): boolean {
  return ua.trim() === '' || isBot(ua);
}

/** Parsed fields are filled even for bots (what the UA claims to be); callers decide what to keep. */
export function parseUserAgent(ua: string | null | undefined): ParsedUserAgent {
  const capped = (ua ?? '').slice(0, MAX_USER_AGENT_LENGTH);
  const bot = looksLikeBot(capped);
  if (capped.trim() === '') return { browser: null, browserVersion: null, os: null, device: null, bot };

  const result = new UAParser(capped).getResult();
  const browser = relabel(result.browser.name, BROWSER_LABELS);
  const os = relabel(result.os.name, OS_LABELS);
  return {
    browser,
    browserVersion: browser === null ? null : majorMinor(result.browser.version),
    os,
    device: deviceType(result.device.type, browser, os),
    bot,
  };
}
