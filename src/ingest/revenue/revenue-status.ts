import { z } from 'zod';

export const RevenueKind = z.enum(['order', 'subscription', 'affiliate', 'nft', 'token', 'refund', 'other']);
export type RevenueKind = z.infer<typeof RevenueKind>;

/**
 * `completed`: a sale settled at once (orders, NFT and token sales). Affiliate commissions move
 * `pending → approved → paid`. `reversed` undoes any of them; `failed` is a payment attempt that
 * did not go through (a retry may still succeed). Only `completed`, `approved` and `paid` are earned.
 */
export const RevenueStatus = z.enum(['pending', 'approved', 'paid', 'reversed', 'completed', 'failed']);
export type RevenueStatus = z.infer<typeof RevenueStatus>;

// Forward only: a status never goes back (paid → approved), and reversed is final.
const NEXT: Record<RevenueStatus, readonly RevenueStatus[]> = {
  pending: ['approved', 'paid', 'completed', 'failed', 'reversed'],
  approved: ['paid', 'reversed'],
  paid: ['reversed'],
  completed: ['reversed'],
  failed: ['paid', 'completed'],
  reversed: [],
};

export type StatusChange = 'same' | 'allowed' | 'illegal';

export function statusChange(from: RevenueStatus, to: RevenueStatus): StatusChange {
  if (from === to) return 'same';
  return NEXT[from].includes(to) ? 'allowed' : 'illegal';
}

export function allowedNextStatuses(from: RevenueStatus): readonly RevenueStatus[] {
  return NEXT[from];
}

/** The status of a new row when the source does not say: commissions start pending. */
export function defaultStatus(kind: RevenueKind): RevenueStatus {
  return kind === 'affiliate' ? 'pending' : 'completed';
}
