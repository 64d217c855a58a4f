import { z } from 'zod';
import { Amount, ChainStatus } from '../ledger/api-schemas.ts';

/** Response shapes of the relayer's and the reconciliation's read verbs (docs/relayer.md, "Dashboard"). */

export const RelayerStatusQuery = z.object({
  recentBatches: z.coerce.number().int().min(0).max(100).default(20),
});
export type RelayerStatusQuery = z.infer<typeof RelayerStatusQuery>;

export const RelayerBatchOut = z.object({
  id: z.uuid(),
  kind: z.enum(['reward', 'redemption']),
  status: z.enum(['prepared', 'sent', 'confirmed', 'failed', 'abandoned']),
  entries: z.number().int().describe('Entries of the batch the caller may see'),
  confirmed: z.number().int(),
  failed: z.number().int(),
  released: z.number().int().describe('Entries sent back to the queue (published by a later batch)'),
  txHash: z.string().nullable(),
  nonce: z.string().nullable(),
  blockNumber: z.string().nullable(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  settledAt: z.string().nullable(),
});
export type RelayerBatchOut = z.infer<typeof RelayerBatchOut>;

export const RelayerStatusOut = z.object({
  rpc: z.object({
    up: z.boolean().nullable().describe('null until the relayer first ran'),
    checkedAt: z.string().nullable(),
    downSince: z.string().nullable(),
    lastError: z.string().nullable(),
  }),
  lastRunAt: z.string().nullable(),
  queue: z.record(ChainStatus, z.number().int()).describe('Ledger transactions by chain status'),
  oldestPendingAt: z
    .string()
    .nullable()
    .describe('Booking time of the oldest pending or submitted transaction'),
  oldestPendingSeconds: z.number().nullable(),
  nextAttemptAt: z
    .string()
    .nullable()
    .describe('When the earliest pending transaction in backoff is retried'),
  lastError: z.string().nullable().describe("The most recent failed transaction's or retry's error"),
  recentBatches: z.array(RelayerBatchOut),
});
export type RelayerStatusOut = z.infer<typeof RelayerStatusOut>;

export const ReconciliationQuery = z.object({
  differences: z.coerce.number().int().min(0).max(500).default(50),
});
export type ReconciliationQuery = z.infer<typeof ReconciliationQuery>;

export const ReconciliationDifferenceOut = z.object({
  userId: z.uuid(),
  wallet: z.string(),
  ledgerEarned: Amount.describe('Confirmed rewards in the ledger'),
  ledgerEarnedInFlight: Amount.describe('Rewards sent but not yet confirmed'),
  chainEarned: Amount.describe('rewardsOf(wallet)'),
  ledgerRedeemed: Amount,
  ledgerRedeemedInFlight: Amount,
  chainRedeemed: Amount.describe('redeemedOf(wallet)'),
});
export type ReconciliationDifferenceOut = z.infer<typeof ReconciliationDifferenceOut>;

export const ReconciliationRunOut = z.object({
  id: z.uuid(),
  status: z.enum(['ok', 'differences', 'error']),
  startedAt: z.string(),
  finishedAt: z.string(),
  blockNumber: z.string().nullable(),
  usersChecked: z.number().int(),
  differences: z.number().int().describe('Users that differ, plus one when the total supply does'),
  supply: z.object({ chain: Amount, ledgerMin: Amount, ledgerMax: Amount, differs: z.boolean() }).nullable(),
  error: z.string().nullable(),
  ms: z.number().int(),
});
export type ReconciliationRunOut = z.infer<typeof ReconciliationRunOut>;

export const ReconciliationOut = z.object({
  /** The latest run (an error run included), null before the first. */
  last: ReconciliationRunOut.nullable(),
  /** The latest run that read the chain: its differences are the current ones. */
  lastCompleted: ReconciliationRunOut.nullable(),
  differences: z
    .array(ReconciliationDifferenceOut)
    .describe("lastCompleted's users, those the caller may see"),
});
export type ReconciliationOut = z.infer<typeof ReconciliationOut>;
