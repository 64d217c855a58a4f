import type { RewardLine } from './apply-reward-rules.ts';

/**
 * Double entry (ADR 0013): every ledger transaction is a set of postings summing to zero.
 * Accounts: `user:<uuid>` (what the portfolio owes the user), `issuance:<domain uuid>` (PTF
 * issued by a domain, negative), `redemption:<domain uuid>` (PTF spent on a domain, positive).
 * These builders are the only place postings are made; the database re-checks the sum.
 */

export type PostingLine = RewardLine['kind'] | 'redemption';

export interface Posting {
  lineNo: number;
  line: PostingLine;
  account: string;
  amountWei: bigint;
}

export const userAccount = (userId: string) => `user:${userId}`;
export const issuanceAccount = (domainId: string) => `issuance:${domainId}`;
export const redemptionAccount = (domainId: string) => `redemption:${domainId}`;

/** Each reward line credits the user and debits the domain's issuance. */
export function rewardPostings(userId: string, domainId: string, lines: readonly RewardLine[]): Posting[] {
  const postings = lines.flatMap((l, i): Posting[] => [
    { lineNo: 2 * i + 1, line: l.kind, account: userAccount(userId), amountWei: l.amountWei },
    { lineNo: 2 * i + 2, line: l.kind, account: issuanceAccount(domainId), amountWei: -l.amountWei },
  ]);
  return assertBalanced(postings);
}

/** A redemption debits the user and credits the domain's redemption account. */
export function redemptionPostings(userId: string, domainId: string, amountWei: bigint): Posting[] {
  return assertBalanced([
    { lineNo: 1, line: 'redemption', account: userAccount(userId), amountWei: -amountWei },
    { lineNo: 2, line: 'redemption', account: redemptionAccount(domainId), amountWei },
  ]);
}

export function assertBalanced(postings: Posting[]): Posting[] {
  const sum = postings.reduce((s, p) => s + p.amountWei, 0n);
  if (sum !== 0n || postings.length < 2 || postings.some((p) => p.amountWei === 0n))
    throw new Error(`unbalanced ledger postings (sum ${sum}, ${postings.length} postings)`);
  return postings;
}
