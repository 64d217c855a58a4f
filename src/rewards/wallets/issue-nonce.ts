import { randomBytes } from 'node:crypto';
import type { NonceOut, NonceRequest } from './api-schemas.ts';
import { hashNonce } from './consume-nonce.ts';
import { insertNonce, type NoncePurpose, purgeOldNonces } from './nonces.sql.ts';
import { targetUser } from './target-user.ts';
import type { SiweCtx, WalletCtx } from './wallet-ctx.ts';

const STATEMENT: Record<NoncePurpose, string> = {
  link: 'Link this wallet to my rewards account; rewards are paid to my first linked wallet.',
  sign_in: 'Sign in to my rewards account.',
};

/** 128 random bits as 32 hex digits: EIP-4361 nonces must be alphanumeric (at least 8). */
function newNonce(): string {
  return randomBytes(16).toString('hex');
}

async function issue(
  ctx: SiweCtx,
  purpose: NoncePurpose,
  owner: { userId: string | null; domainId: string | null },
): Promise<NonceOut> {
  const nonce = newNonce();
  const expiresAt = new Date(ctx.now.getTime() + ctx.siwe.nonceTtlMs);
  await purgeOldNonces(ctx.db, ctx.now);
  await insertNonce(ctx.db, {
    nonceHash: hashNonce(nonce),
    purpose,
    ...owner,
    siweDomain: ctx.siwe.domain,
    uri: ctx.siwe.uri,
    chainId: ctx.siwe.chainId,
    issuedAt: ctx.now,
    expiresAt,
  });
  return {
    nonce,
    domain: ctx.siwe.domain,
    uri: ctx.siwe.uri,
    chainId: ctx.siwe.chainId,
    version: '1',
    statement: STATEMENT[purpose],
    issuedAt: ctx.now.toISOString(),
    expiresAt: expiresAt.toISOString(),
  };
}

/**
 * A single-use nonce for linking a wallet to one user: asked by a domain's secret key for a user
 * active on that domain, or by the user with its own token. The nonce is bound to that user.
 */
export async function issueLinkNonce({
  ctx,
  input,
}: {
  ctx: WalletCtx;
  input: NonceRequest;
}): Promise<NonceOut> {
  // Unscoped on purpose, like identify: a wallet is a cross-domain identity; targetUser filters.
  const userId = await targetUser(ctx.db, ctx.requester, input);
  const domainId = ctx.requester.kind === 'domain' ? ctx.requester.domainId : null;
  return issue(ctx, 'link', { userId, domainId });
}

/** A single-use nonce for signing in with an already linked wallet (no credentials needed). */
export function issueSignInNonce({ ctx }: { ctx: SiweCtx }): Promise<NonceOut> {
  return issue(ctx, 'sign_in', { userId: null, domainId: null });
}
