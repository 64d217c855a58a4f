// Referrer hosts and utm_source spellings we recognise, mapped to one clean source name and its kind,
// so "google.co.uk", "www.google.de" and "utm_source=google" all count as the same "Google".
export type SourceKind = 'search' | 'social' | 'email';

export interface KnownSource {
  name: string;
  kind: SourceKind;
}

interface SourceEntry extends KnownSource {
  /** `host` = exactly that host; `.host` = it and all its subdomains; `brand.*` = brand under any country TLD. */
  hosts: readonly string[];
  /** Extra utm_source spellings; the lowercased name (with and without spaces) is always an alias. */
  aliases?: readonly string[];
}

// Android apps send `android-app://<package>/` as referrer; the package is matched like a host.
const ENTRIES: readonly SourceEntry[] = [
  { name: 'Google', kind: 'search', hosts: ['google.*', 'com.google.android.googlequicksearchbox'] },
  { name: 'Bing', kind: 'search', hosts: ['.bing.com'] },
  { name: 'DuckDuckGo', kind: 'search', hosts: ['.duckduckgo.com'], aliases: ['ddg'] },
  {
    name: 'Yahoo',
    kind: 'search',
    hosts: ['yahoo.com', '.search.yahoo.com', 'yahoo.co.jp', '.search.yahoo.co.jp'],
  },
  { name: 'Ecosia', kind: 'search', hosts: ['.ecosia.org'] },
  { name: 'Qwant', kind: 'search', hosts: ['.qwant.com'] },
  { name: 'Baidu', kind: 'search', hosts: ['baidu.com'] },
  { name: 'Yandex', kind: 'search', hosts: ['yandex.*', 'ya.ru'] },
  { name: 'Brave Search', kind: 'search', hosts: ['search.brave.com'] },
  { name: 'Startpage', kind: 'search', hosts: ['.startpage.com'] },
  { name: 'Kagi', kind: 'search', hosts: ['kagi.com'] },
  { name: 'Naver', kind: 'search', hosts: ['search.naver.com'] },
  { name: 'Seznam', kind: 'search', hosts: ['seznam.cz', 'search.seznam.cz'] },
  { name: 'Sogou', kind: 'search', hosts: ['.sogou.com'] },
  { name: 'Ask', kind: 'search', hosts: ['.ask.com'] },
  { name: 'AOL', kind: 'search', hosts: ['search.aol.com'] },
  { name: 'Mojeek', kind: 'search', hosts: ['mojeek.com'] },

  {
    name: 'Facebook',
    kind: 'social',
    hosts: ['.facebook.com', 'fb.com', 'fb.me', '.messenger.com'],
    aliases: ['fb'],
  },
  { name: 'Instagram', kind: 'social', hosts: ['.instagram.com'], aliases: ['ig'] },
  // Still "Twitter": a bare "X" is ambiguous in a report, and t.co keeps the old name alive.
  { name: 'Twitter', kind: 'social', hosts: ['.twitter.com', '.x.com', 't.co'], aliases: ['x'] },
  { name: 'LinkedIn', kind: 'social', hosts: ['.linkedin.com', 'lnkd.in', 'com.linkedin.android'] },
  { name: 'Reddit', kind: 'social', hosts: ['.reddit.com', 'redd.it', 'com.reddit.frontpage'] },
  { name: 'Pinterest', kind: 'social', hosts: ['.pinterest.*', 'pin.it'] },
  { name: 'YouTube', kind: 'social', hosts: ['.youtube.com', 'youtu.be'], aliases: ['yt'] },
  { name: 'TikTok', kind: 'social', hosts: ['.tiktok.com'] },
  { name: 'Threads', kind: 'social', hosts: ['threads.net', 'threads.com'] },
  { name: 'Bluesky', kind: 'social', hosts: ['.bsky.app'], aliases: ['bsky'] },
  { name: 'Hacker News', kind: 'social', hosts: ['news.ycombinator.com'], aliases: ['hn'] },
  { name: 'Discord', kind: 'social', hosts: ['.discord.com', 'discordapp.com'] },
  { name: 'Telegram', kind: 'social', hosts: ['t.me', 'web.telegram.org'] },
  { name: 'WhatsApp', kind: 'social', hosts: ['.whatsapp.com', 'wa.me'] },
  { name: 'Tumblr', kind: 'social', hosts: ['.tumblr.com'] },
  { name: 'VK', kind: 'social', hosts: ['vk.com'] },
  { name: 'Quora', kind: 'social', hosts: ['.quora.com'] },

  { name: 'Gmail', kind: 'email', hosts: ['mail.google.com', 'com.google.android.gm'] },
  {
    name: 'Outlook',
    kind: 'email',
    hosts: ['outlook.live.com', 'outlook.office.com', 'outlook.office365.com'],
  },
  { name: 'Yahoo Mail', kind: 'email', hosts: ['.mail.yahoo.com'] },
  { name: 'Proton Mail', kind: 'email', hosts: ['mail.proton.me'] },
  { name: 'AOL Mail', kind: 'email', hosts: ['mail.aol.com'] },
  { name: 'Yandex Mail', kind: 'email', hosts: ['mail.yandex.ru', 'mail.yandex.com'] },
  { name: 'Zoho Mail', kind: 'email', hosts: ['mail.zoho.com', 'mail.zoho.eu'] },
];

const exactHosts = new Map<string, KnownSource>();
const hostsWithSubdomains = new Map<string, KnownSource>();
const aliases = new Map<string, KnownSource>();
for (const { hosts, aliases: extra = [], ...source } of ENTRIES) {
  for (const host of hosts) {
    if (host.startsWith('.')) hostsWithSubdomains.set(host.slice(1), source);
    else exactHosts.set(host, source);
  }
  const lower = source.name.toLowerCase();
  for (const alias of [lower, lower.replaceAll(' ', ''), ...extra]) aliases.set(alias, source);
}

// "google.de", "google.co.uk", "google.com.br" → "google.*".
const COUNTRY_TLD = /^([a-z0-9-]+)\.(?:[a-z]{2,3}|(?:com?|org|net|gov|edu|ac|ne|or|gob)\.[a-z]{2})$/;

const MOBILE_OR_WWW_PREFIX = /^(?:www|m|l|lm)\./;

/** Lowercase, drop a trailing dot, a port, and `www.`/`m.`/`l.`/`lm.` prefixes (never the last dot). */
export function normalizeHost(host: string): string {
  let normalized = host.trim().toLowerCase().replace(/\.$/, '').replace(/:\d+$/, '');
  while (MOBILE_OR_WWW_PREFIX.test(normalized) && normalized.indexOf('.') < normalized.lastIndexOf('.')) {
    normalized = normalized.replace(MOBILE_OR_WWW_PREFIX, '');
  }
  return normalized;
}

/** The known source of a normalised host; the most specific rule wins (mail.google.com is Gmail). */
export function lookupHost(host: string): KnownSource | null {
  const exact = exactHosts.get(host) ?? exactHosts.get(wildcard(host));
  if (exact) return exact;
  const labels = host.split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const suffix = labels.slice(i).join('.');
    const found = hostsWithSubdomains.get(suffix) ?? hostsWithSubdomains.get(wildcard(suffix));
    if (found) return found;
  }
  return null;
}

/** The known source behind a utm_source/ref value: an alias ("fb", "google") or a host ("google.com"). */
export function lookupSourceName(value: string): KnownSource | null {
  const lower = value.trim().toLowerCase();
  return (
    aliases.get(lower) ?? (/^[a-z0-9.-]+\.[a-z]{2,}$/.test(lower) ? lookupHost(normalizeHost(lower)) : null)
  );
}

function wildcard(host: string): string {
  const match = COUNTRY_TLD.exec(host);
  return match ? `${match[1]}.*` : '';
}
