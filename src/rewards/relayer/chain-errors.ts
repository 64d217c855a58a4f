import { BaseError, ContractFunctionRevertedError, decodeErrorResult, type Hex } from 'viem';
import { portfolioTokenAbi } from '../chain/artifacts/portfolio-token.ts';

/**
 * What a failed chain call means for the relayer: a revert with the contract's custom error, or
 * anything else (network, timeout, node error), which is retried with backoff.
 */
export type ChainFailure =
  | { kind: 'revert'; errorName: string; args: readonly unknown[]; message: string }
  | { kind: 'unavailable'; message: string };

/**
 * Reverts that no retry can fix: the entry itself is wrong for the contract (an unregistered
 * domain, an amount past the cap…). Pause, a missing role or a redemption above what the chain
 * shows as redeemable can change, so they are retried like an outage.
 */
export const PERMANENT_REVERTS: ReadonlySet<string> = new Set([
  'DomainNotActive',
  'ZeroAddress',
  'ZeroAmount',
  'ZeroTxId',
  'AmountAboveCap',
  'ERC20ExceededCap',
  'SafeCastOverflowedUintDowncast',
  'EmptyBatch',
]);

const MAX_MESSAGE = 500;

function shortMessage(error: unknown): string {
  const text =
    error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.message : String(error);
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

/** Classifies an error thrown by a viem call on PortfolioToken (simulate, estimate, send, read). */
export function describeChainError(error: unknown): ChainFailure {
  if (error instanceof BaseError) {
    const reverted = error.walk(
      (e) => e instanceof ContractFunctionRevertedError,
    ) as ContractFunctionRevertedError | null;
    if (reverted?.data?.errorName)
      return {
        kind: 'revert',
        errorName: reverted.data.errorName,
        args: reverted.data.args ?? [],
        message: shortMessage(reverted),
      };
    // Nodes answer a reverting eth_call / eth_estimateGas with code 3 and the revert data.
    const withData = error.walk(
      (e) => (e as { code?: unknown }).code === 3 && typeof (e as { data?: unknown }).data === 'string',
    ) as { data: Hex } | null;
    if (withData && withData.data.length >= 10) {
      try {
        const { errorName, args } = decodeErrorResult({ abi: portfolioTokenAbi, data: withData.data });
        return { kind: 'revert', errorName, args: args ?? [], message: shortMessage(error) };
      } catch {
        // Revert data of another contract or a panic: an unknown revert, retried.
      }
    }
  }
  return { kind: 'unavailable', message: shortMessage(error) };
}

/** The text stored in chain_last_error / last_error. */
export function failureText(f: ChainFailure): string {
  if (f.kind === 'unavailable') return `rpc: ${f.message}`;
  const args = f.args.map((a) => (typeof a === 'bigint' ? a.toString() : String(a))).join(', ');
  return `${f.errorName}(${args})`;
}
