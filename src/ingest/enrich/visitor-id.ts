// Cookieless visitor ids: a keyed hash of site + IP + user agent under a rotating salt, so visits
// can be counted without storing the IP and ids cannot be linked across sites or salt periods.
import { createHmac, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';

export interface VisitorHashInput {
  salt: string;
  domainId: string;
  ip: string;
  userAgent: string;
}

/** 128 bits: collisions stay negligible for any realistic number of daily visitors. */
const VISITOR_ID_HEX_LENGTH = 32;

/** HMAC-SHA256 keyed by the salt; every field is length-prefixed so ('a','bc') ≠ ('ab','c'). */
export function visitorHash({ salt, domainId, ip, userAgent }: VisitorHashInput): string {
  const hmac = createHmac('sha256', salt);
  for (const field of [domainId, ip, userAgent]) {
    const bytes = Buffer.from(field, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hmac.update(length).update(bytes);
  }
  return hmac.digest('hex').slice(0, VISITOR_ID_HEX_LENGTH);
}

/** A fresh salt: 32 random bytes, base64url (43 characters). */
export function newSalt(): string {
  return randomBytes(32).toString('base64url');
}

type Headers = Record<string, string | string[] | undefined>;

/**
 * The client's address. With trustProxy, the first valid entry of X-Forwarded-For (the original
 * client as reported to the first proxy; only safe when a proxy we run sets or overwrites it);
 * otherwise, or when no entry is valid, the socket address.
 */
export function clientIp(headers: Headers, socketIp: string, trustProxy: boolean): string {
  if (trustProxy) {
    for (const candidate of forwardedFor(headers)) {
      const ip = parseIp(candidate);
      if (ip !== null) return ip;
    }
  }
  return parseIp(socketIp) ?? socketIp.trim();
}

function forwardedFor(headers: Headers): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'x-forwarded-for' || value === undefined) continue;
    for (const line of Array.isArray(value) ? value : [value]) values.push(...line.split(','));
  }
  return values;
}

const MAPPED_IPV4 = /^(?:0{0,4}:){0,5}:?ffff:(\d{1,3}(?:\.\d{1,3}){3})$/;
const IPV4_WITH_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/;
const BRACKETED_IPV6 = /^\[([^\]]+)\](?::\d{1,5})?$/;

/** A canonical IP (IPv4-mapped IPv6 unwrapped, IPv6 lowercased, ports and brackets dropped) or null. */
function parseIp(raw: string): string | null {
  let value = raw.trim().toLowerCase();
  value = BRACKETED_IPV6.exec(value)?.[1] ?? IPV4_WITH_PORT.exec(value)?.[1] ?? value;
  const mapped = MAPPED_IPV4.exec(value)?.[1];
  if (mapped !== undefined && isIP(mapped) === 4) return mapped;
  return isIP(value) === 0 ? null : value;
}
