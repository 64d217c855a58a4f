import { inspect } from 'node:util';
import { type Address, getAddress, isAddress, zeroAddress } from 'viem';
import { z } from 'zod';

/**
 * The chain's settings (docs/chain.md): a fragment of src/config/settings.ts. Its variables, fields
 * and cross-field rule are spread into ENVIRONMENT, Settings and ENV_TO_KEY there, so this file
 * imports nothing from it (no import cycle).
 */
export const CHAIN_ENVIRONMENT = {
  CHAIN:
    'Where the rewards token lives: embedded (an in-process development chain kept in the database), rpc (any EVM JSON-RPC) or off (default: rpc when CHAIN_RPC_URL is set, embedded otherwise).',
  CHAIN_RPC_URL:
    'http(s) JSON-RPC endpoint of the chain when CHAIN=rpc (logged by host only; it may carry an API key). Also CHAIN_RPC_URL_FILE.',
  CHAIN_PRIVATE_KEY:
    'Key that deploys the token and relays rewards with CHAIN=rpc (0x + 64 hex digits; never logged). Prefer CHAIN_PRIVATE_KEY_FILE.',
  CHAIN_CONFIRMATIONS:
    'Confirmations a transaction needs to count as final, the block that includes it being the first (default 1 embedded, 3 rpc).',
  CHAIN_RPC_TIMEOUT_SECONDS: 'Timeout of one JSON-RPC request in seconds (default 20).',
  TOKEN_TREASURY_ADDRESS:
    "Address that receives the token's 20 % treasury allocation when it is deployed (default: the deployer).",
} as const;

/** A secret that prints, logs and serialises as "[redacted]"; `reveal()` is its only way out. */
export interface SecretValue {
  reveal(): string;
  toString(): string;
  toJSON(): string;
}

const REDACTED = '[redacted]';

export function secretValue(value: string): SecretValue {
  return Object.freeze({
    reveal: () => value,
    toString: () => REDACTED,
    toJSON: () => REDACTED,
    [inspect.custom]: () => REDACTED,
  });
}

// The order of secp256k1: a private key is an integer in [1, n).
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const PRIVATE_KEY_RE = /^(0x)?[0-9a-fA-F]{64}$/;

// Messages never repeat the value: a key or an RPC URL with an API key must not reach a log.
const privateKey = z
  .string()
  .regex(PRIVATE_KEY_RE, 'must be 0x followed by 64 hex digits')
  .refine((v) => {
    const k = BigInt(`0x${v.replace(/^0x/, '')}`);
    return k > 0n && k < SECP256K1_N;
  }, 'is not a valid secp256k1 private key')
  .transform((v) => secretValue(`0x${v.replace(/^0x/, '').toLowerCase()}`));

const httpUrl = z.string().refine((v) => {
  try {
    const { protocol } = new URL(v);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}, 'must be an http:// or https:// URL');

const address = z
  .string()
  .refine(
    (v) => isAddress(v, { strict: true }),
    'must be an address: 0x + 40 hex digits (valid checksum if mixed case)',
  )
  .refine((v) => v.toLowerCase() !== zeroAddress, 'must not be the zero address')
  .transform((v) => getAddress(v) as Address);

export const CHAIN_MODES = ['embedded', 'rpc', 'off'] as const;
export type ChainMode = (typeof CHAIN_MODES)[number];

/** The fields spread into Settings' strictObject. */
export const chainSettingsShape = {
  chain: z.enum(CHAIN_MODES).optional(),
  chainRpcUrl: httpUrl.optional(),
  chainPrivateKey: privateKey.optional(),
  chainConfirmations: z.coerce.number().int().min(1).max(100).optional(),
  chainRpcTimeoutSeconds: z.coerce.number().int().min(1).max(300).default(20),
  tokenTreasuryAddress: address.optional(),
};

export const CHAIN_ENV_TO_KEY = {
  CHAIN: 'chain',
  CHAIN_RPC_URL: 'chainRpcUrl',
  CHAIN_PRIVATE_KEY: 'chainPrivateKey',
  CHAIN_CONFIRMATIONS: 'chainConfirmations',
  CHAIN_RPC_TIMEOUT_SECONDS: 'chainRpcTimeoutSeconds',
  TOKEN_TREASURY_ADDRESS: 'tokenTreasuryAddress',
} as const satisfies Record<keyof typeof CHAIN_ENVIRONMENT, keyof typeof chainSettingsShape>;

/** The fragment, plus Settings' CHAIN_ID (31337 when absent: the embedded chain's id). */
export type ChainSettings = z.infer<z.ZodObject<typeof chainSettingsShape>> & { chainId?: number };

/** embedded unless CHAIN says otherwise or CHAIN_RPC_URL is set. */
export function chainModeOf(settings: ChainSettings): ChainMode {
  return settings.chain ?? (settings.chainRpcUrl ? 'rpc' : 'embedded');
}

/**
 * The rules between fields, as issues on the field to fix (Settings' superRefine). CHAIN_ID has a
 * default, so a missing one shows at open instead: the node answers another id.
 */
export function refineChainSettings(settings: ChainSettings, ctx: z.RefinementCtx): void {
  const problem = (key: keyof ChainSettings, message: string) =>
    ctx.addIssue({ code: 'custom', path: [key], message });
  const mode = chainModeOf(settings);
  if (mode === 'rpc') {
    if (!settings.chainRpcUrl) problem('chainRpcUrl', 'required when CHAIN=rpc');
    if (!settings.chainPrivateKey)
      problem('chainPrivateKey', 'required when CHAIN=rpc (or CHAIN_PRIVATE_KEY_FILE)');
  }
  if (mode === 'embedded') {
    if (settings.chainRpcUrl) problem('chainRpcUrl', 'is set but CHAIN=embedded: set CHAIN=rpc to use it');
    if (settings.chainPrivateKey)
      problem(
        'chainPrivateKey',
        'is for CHAIN=rpc: the embedded chain signs with its public development key',
      );
    if ((settings.chainConfirmations ?? 1) > 1)
      problem('chainConfirmations', 'must be 1 with the embedded chain (a block there is final)');
  }
}
