import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { type AddressClass, classifyAddress } from './ip-address-class.ts';

/**
 * The SSRF guard: a notification may only reach public addresses unless its receiver allows
 * private targets. The check resolves the host and returns the checked addresses; the senders
 * connect to exactly those (never resolving again), so DNS rebinding between check and connect
 * cannot redirect a delivery to an internal service.
 */

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type Lookup = (hostname: string) => Promise<ResolvedAddress[]>;

export interface GuardOptions {
  allowPrivateTargets: boolean;
  /** DNS resolution; tests inject answers. */
  lookup?: Lookup;
}

/** `temporary`: the host did not resolve, which may pass; every other refusal stays until the config changes. */
export class TargetRefusedError extends Error {
  readonly temporary: boolean;
  constructor(message: string, options: { temporary?: boolean } = {}) {
    super(message);
    this.name = 'TargetRefusedError';
    this.temporary = options.temporary ?? false;
  }
}

const defaultLookup: Lookup = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

export interface CheckedUrl {
  url: URL;
  /** Host as written, without IPv6 brackets: for TLS server names and messages. */
  hostname: string;
  port: number;
  addresses: ResolvedAddress[];
}

/** Refuses non-http(s) URLs; see checkHost. Messages name the host, never the path (it may hold a token). */
export async function checkOutboundUrl(raw: string | URL, options: GuardOptions): Promise<CheckedUrl> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefusedError('the target is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TargetRefusedError(`the ${url.protocol} scheme is refused: only http and https are allowed`);
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const addresses = await checkHost(hostname, options);
  return { url, hostname, port, addresses };
}

/** Resolves the host (every address) and refuses it when any address is not public, unless allowed. */
export async function checkHost(hostname: string, options: GuardOptions): Promise<ResolvedAddress[]> {
  const literal = isIP(hostname);
  let addresses: ResolvedAddress[];
  if (literal) {
    addresses = [{ address: hostname, family: literal === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await (options.lookup ?? defaultLookup)(hostname);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      throw new TargetRefusedError(`cannot resolve ${hostname}: ${code}`, { temporary: true });
    }
    if (addresses.length === 0)
      throw new TargetRefusedError(`${hostname} resolves to no address`, { temporary: true });
  }
  if (options.allowPrivateTargets) return addresses;
  // One non-public address refuses the host: the connection could pick any of them.
  for (const { address } of addresses) {
    const kind = classifyAddress(address);
    if (kind !== 'public') throw new TargetRefusedError(refusal(hostname, address, kind));
  }
  return addresses;
}

function refusal(hostname: string, address: string, kind: AddressClass | null): string {
  const where = hostname === address ? address : `${hostname} (${address})`;
  return (
    `refusing to send to ${where}: it is a ${kind ?? 'unrecognised'} address. ` +
    'Set allowPrivateTargets: true on the receiver to allow non-public targets.'
  );
}
