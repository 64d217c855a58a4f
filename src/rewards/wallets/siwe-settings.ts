/** What every SIWE message must say to be accepted by this server (docs/wallets.md). */
export interface SiweSettings {
  /** EIP-4361 `domain`: the server's public host, with its port when it has one. */
  domain: string;
  /** The scheme of the public URL; a message that names a scheme must name this one. */
  scheme: string;
  /** EIP-4361 `URI`: the server's public origin. */
  uri: string;
  /** The chain the rewards token lives on; wallets are linked for it. */
  chainId: number;
  /** How long a nonce stays usable. */
  nonceTtlMs: number;
}

export const DEFAULT_NONCE_TTL_MS = 10 * 60_000;

/** SIWE expectations from the server's public URL (PUBLIC_URL) and the rewards chain id. */
export function siweSettings(input: {
  publicUrl: string;
  chainId: number;
  nonceTtlMs?: number;
}): SiweSettings {
  const url = new URL(input.publicUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`the public URL must be http(s): ${input.publicUrl}`);
  if (!Number.isSafeInteger(input.chainId) || input.chainId <= 0)
    throw new Error(`the chain id must be a positive integer: ${input.chainId}`);
  return {
    domain: url.host,
    scheme: url.protocol.slice(0, -1),
    uri: url.origin,
    chainId: input.chainId,
    nonceTtlMs: input.nonceTtlMs ?? DEFAULT_NONCE_TTL_MS,
  };
}
