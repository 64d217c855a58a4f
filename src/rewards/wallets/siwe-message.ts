import { type Address, getAddress } from 'viem';
import { createSiweMessage, parseSiweMessage, type SiweMessage } from 'viem/siwe';
import { AppError, type ErrorCode } from '../../shared/app-error.ts';
import type { SiweSettings } from './siwe-settings.ts';

/** Why a SIWE request was refused, in `error.details.reason` (docs/wallets.md lists them). */
export type SiweFailure =
  | 'malformed'
  | 'wrong_domain'
  | 'wrong_uri'
  | 'wrong_chain'
  | 'expired'
  | 'not_yet_valid'
  | 'bad_signature'
  | 'unknown_nonce'
  | 'wrong_purpose'
  | 'nonce_expired'
  | 'nonce_used'
  | 'nonce_for_another_user'
  | 'address_taken'
  | 'wallet_not_linked';

export function siweError(code: ErrorCode, reason: SiweFailure, field: string, message: string): AppError {
  return new AppError(code, message, field, { reason });
}

/** A message that passed every check that needs neither the database nor the signature. */
export interface CheckedSiweMessage {
  /** EIP-55 checksummed, as signed. */
  address: Address;
  nonce: string;
  chainId: number;
  uri: string;
  domain: string;
  issuedAt: Date;
  expirationTime: Date | undefined;
}

const TIMESTAMP_LABELS = ['Issued At: ', 'Expiration Time: ', 'Not Before: '];

function malformed(detail: string): AppError {
  return siweError('invalid_request', 'malformed', 'message', `not a valid EIP-4361 message: ${detail}`);
}

/**
 * The message must be exactly what viem would write for its own fields (timestamps may use any
 * RFC 3339 form): parseSiweMessage alone skips unknown lines, and what was signed must be what
 * was checked.
 */
function requireCanonical(message: string, fields: SiweMessage): void {
  let canonical: string;
  try {
    canonical = createSiweMessage(fields);
  } catch (err) {
    throw malformed((err as Error).message.split('\n')[0] ?? 'invalid field');
  }
  const given = message.split('\n');
  const expected = canonical.split('\n');
  const same = (a: string, b: string) => {
    if (a === b) return true;
    const label = TIMESTAMP_LABELS.find((l) => a.startsWith(l) && b.startsWith(l));
    return label !== undefined && Date.parse(a.slice(label.length)) === Date.parse(b.slice(label.length));
  };
  const line = expected.findIndex((e, i) => !same(given[i] ?? '', e));
  if (given.length !== expected.length || line >= 0) {
    const at = line >= 0 ? line + 1 : Math.min(given.length, expected.length) + 1;
    throw malformed(`line ${at} differs from the EIP-4361 layout (expected "${expected[at - 1] ?? ''}")`);
  }
}

function validDate(d: Date | undefined): boolean {
  return d === undefined || !Number.isNaN(d.getTime());
}

/**
 * Parses a SIWE message and checks it against this server's settings and the clock: layout,
 * domain (and scheme when given), URI, chain, expiration and not-before. The nonce and the
 * signature are checked by the caller.
 */
export function checkSiweMessage(message: string, expected: SiweSettings, now: Date): CheckedSiweMessage {
  const p = parseSiweMessage(message);
  if (!p.domain || !p.address || !p.uri || !p.version || p.chainId === undefined || !p.nonce || !p.issuedAt)
    throw malformed('missing domain, address, URI, version, chain id, nonce or issued-at');
  if (!validDate(p.issuedAt) || !validDate(p.expirationTime) || !validDate(p.notBefore))
    throw malformed('timestamps must be RFC 3339 date-times');
  if (p.address !== getAddress(p.address)) throw malformed('the address must be EIP-55 checksummed');
  requireCanonical(message, { ...(p as SiweMessage), version: '1' });
  if (p.domain !== expected.domain || (p.scheme !== undefined && p.scheme !== expected.scheme))
    throw siweError(
      'invalid_request',
      'wrong_domain',
      'domain',
      `the message is for ${p.scheme ? `${p.scheme}://` : ''}${p.domain}; this server signs in as ${expected.domain}`,
    );
  if (p.uri !== expected.uri)
    throw siweError('invalid_request', 'wrong_uri', 'uri', `the message's URI must be ${expected.uri}`);
  if (p.chainId !== expected.chainId)
    throw siweError(
      'invalid_request',
      'wrong_chain',
      'chainId',
      `the message is for chain ${p.chainId}; rewards are on chain ${expected.chainId}`,
    );
  if (p.expirationTime && now >= p.expirationTime)
    throw siweError(
      'invalid_request',
      'expired',
      'message',
      `the message expired at ${p.expirationTime.toISOString()}; sign a new one`,
    );
  if (p.notBefore && now < p.notBefore)
    throw siweError(
      'invalid_request',
      'not_yet_valid',
      'message',
      `the message is not valid before ${p.notBefore.toISOString()}`,
    );
  return {
    address: p.address,
    nonce: p.nonce,
    chainId: p.chainId,
    uri: p.uri,
    domain: p.domain,
    issuedAt: p.issuedAt,
    expirationTime: p.expirationTime,
  };
}
