import { type Address, type Client, type Hex, hashMessage, verifyMessage } from 'viem';
import { getCode, verifyHash } from 'viem/actions';
import { AppError } from '../../shared/app-error.ts';
import { type CheckedSiweMessage, checkSiweMessage, siweError } from './siwe-message.ts';
import type { SiweCtx } from './wallet-ctx.ts';

export interface SignatureInput {
  message: string;
  address: Address;
  signature: Hex;
  /**
   * A client of the rewards chain. Without one only externally owned accounts can sign in
   * (ECDSA recovery, offline); with one, smart-contract wallets too (EIP-1271, and ERC-6492
   * for wallets not deployed yet), which asks the chain.
   */
  chainClient?: Client | undefined;
}

async function signedByKey(input: SignatureInput): Promise<boolean> {
  try {
    return await verifyMessage({
      address: input.address,
      message: input.message,
      signature: input.signature,
    });
  } catch {
    return false; // not a recoverable 65-byte signature
  }
}

/** Throws 401 (field signature) unless the message was signed for its address. */
export async function requireValidSignature(input: SignatureInput): Promise<void> {
  // Every EOA is settled offline; the chain is asked only for what recovery cannot prove.
  if (await signedByKey(input)) return;
  if (input.chainClient) {
    let valid: boolean;
    try {
      // viem reports an unreachable chain as an invalid signature: ask for the code first so an
      // outage is a 503 (retry), not a 401 (wrong signature).
      await getCode(input.chainClient, { address: input.address });
      valid = await verifyHash(input.chainClient, {
        address: input.address,
        hash: hashMessage(input.message),
        signature: input.signature,
      });
    } catch (err) {
      throw new AppError(
        'unavailable',
        `cannot check a smart-contract wallet signature now: the chain did not answer (${(err as Error).name})`,
        'signature',
        undefined,
        5,
      );
    }
    if (valid) return;
  }
  throw siweError(
    'unauthenticated',
    'bad_signature',
    'signature',
    input.chainClient
      ? `the signature is not valid for ${input.address}`
      : `the signature was not made by the key of ${input.address} (smart-contract wallets are not accepted by this server)`,
  );
}

/**
 * Everything about a submitted message that needs no database: its fields against this server's
 * settings and the clock, then its signature. Returns the message and its lowercase address.
 */
export async function verifySiweSubmission(
  ctx: SiweCtx,
  input: { message: string; signature: string },
): Promise<{ message: CheckedSiweMessage; address: string }> {
  const message = checkSiweMessage(input.message, ctx.siwe, ctx.now);
  await requireValidSignature({
    message: input.message,
    address: message.address,
    signature: input.signature as Hex,
    chainClient: ctx.chainClient,
  });
  return { message, address: message.address.toLowerCase() };
}
