import { isIPv4, isIPv6 } from 'node:net';

/** What an IP address reaches; everything but `public` is refused as a notification target by default. */
export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cgnat'
  | 'unique-local'
  | 'site-local'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'benchmarking'
  | 'reserved';

interface Range {
  prefix: Uint8Array;
  bits: number;
  kind: Exclude<AddressClass, 'public'>;
}

// Order matters: the first match wins (255.255.255.255 is broadcast before 240/4 is reserved).
const IPV4_RANGES: Range[] = [
  range('0.0.0.0/8', 'unspecified'),
  range('10.0.0.0/8', 'private'),
  range('100.64.0.0/10', 'cgnat'),
  range('127.0.0.0/8', 'loopback'),
  range('169.254.0.0/16', 'link-local'),
  range('172.16.0.0/12', 'private'),
  range('192.0.0.0/24', 'reserved'),
  range('192.0.2.0/24', 'documentation'),
  range('192.88.99.0/24', 'reserved'),
  range('192.168.0.0/16', 'private'),
  range('198.18.0.0/15', 'benchmarking'),
  range('198.51.100.0/24', 'documentation'),
  range('203.0.113.0/24', 'documentation'),
  range('224.0.0.0/4', 'multicast'),
  range('255.255.255.255/32', 'broadcast'),
  range('240.0.0.0/4', 'reserved'),
];

const IPV6_RANGES: Range[] = [
  range('::/128', 'unspecified'),
  range('::1/128', 'loopback'),
  range('64:ff9b:1::/48', 'private'),
  range('100::/64', 'reserved'),
  range('2001::/32', 'reserved'),
  range('2001:db8::/32', 'documentation'),
  range('fc00::/7', 'unique-local'),
  range('fe80::/10', 'link-local'),
  range('fec0::/10', 'site-local'),
  range('ff00::/8', 'multicast'),
  range('::/8', 'reserved'),
];

// IPv6 forms that carry an IPv4 address the packets end up at: judged by that IPv4 address.
const EMBEDDED_IPV4: { range: Range; offset: number }[] = [
  { range: range('::ffff:0:0/96', 'reserved'), offset: 12 },
  { range: range('64:ff9b::/96', 'reserved'), offset: 12 },
  { range: range('2002::/16', 'reserved'), offset: 2 },
];

/** Classifies an IPv4 or IPv6 address (IPv6 may carry a zone, `fe80::1%eth0`); null when it is not an address. */
export function classifyAddress(address: string): AddressClass | null {
  const v4 = parseIpv4(address);
  if (v4) return classifyBytes(v4, IPV4_RANGES);
  const v6 = parseIpv6(address);
  if (!v6) return null;
  for (const { range: r, offset } of EMBEDDED_IPV4) {
    if (matches(v6, r)) return classifyBytes(v6.subarray(offset, offset + 4), IPV4_RANGES);
  }
  return classifyBytes(v6, IPV6_RANGES);
}

function classifyBytes(bytes: Uint8Array, ranges: Range[]): AddressClass {
  return ranges.find((r) => matches(bytes, r))?.kind ?? 'public';
}

function matches(bytes: Uint8Array, r: Range): boolean {
  if (bytes.length !== r.prefix.length) return false;
  for (let bit = 0; bit < r.bits; bit += 8) {
    const take = Math.min(8, r.bits - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    const i = bit / 8;
    if (((bytes[i] as number) & mask) !== ((r.prefix[i] as number) & mask)) return false;
  }
  return true;
}

function range(cidr: string, kind: Range['kind']): Range {
  const [address, bits] = cidr.split('/') as [string, string];
  const prefix = parseIpv4(address) ?? parseIpv6(address);
  if (!prefix) throw new Error(`bad range ${cidr}`);
  return { prefix, bits: Number(bits), kind };
}

export function parseIpv4(text: string): Uint8Array | null {
  if (!isIPv4(text)) return null;
  return Uint8Array.from(text.split('.').map(Number));
}

export function parseIpv6(text: string): Uint8Array | null {
  let s = text.replace(/^\[|\]$/g, '').split('%')[0] as string;
  if (!isIPv6(s)) return null;
  const lastColon = s.lastIndexOf(':');
  const tail = parseIpv4(s.slice(lastColon + 1));
  if (tail) {
    const hex = (a: number, b: number) => ((a << 8) | b).toString(16);
    s = `${s.slice(0, lastColon + 1)}${hex(tail[0] as number, tail[1] as number)}:${hex(tail[2] as number, tail[3] as number)}`;
  }
  const [head = '', rest] = s.split('::');
  const headGroups = head ? head.split(':') : [];
  const restGroups = rest ? rest.split(':') : [];
  const zeros = rest === undefined ? 0 : 8 - headGroups.length - restGroups.length;
  const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...restGroups];
  if (groups.length !== 8) return null;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = Number.parseInt(g, 16);
    bytes[i * 2] = n >> 8;
    bytes[i * 2 + 1] = n & 0xff;
  });
  return bytes;
}
