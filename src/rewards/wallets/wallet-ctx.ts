import type { Client } from 'viem';
import type { Db } from '../../db/types.ts';
import type { Requester } from '../user-auth/requester.ts';
import type { SiweSettings } from './siwe-settings.ts';

/** What SIWE verbs need: the database, the clock, this server's SIWE settings and, optionally, the chain. */
export interface SiweCtx {
  db: Db;
  now: Date;
  siwe: SiweSettings;
  /** Given: smart-contract wallets (EIP-1271/ERC-6492) are accepted too (verify-signature.ts). */
  chainClient?: Client | undefined;
}

/** A SIWE verb acting for a user: asked by a domain's secret key or by the user itself. */
export interface WalletCtx extends SiweCtx {
  requester: Requester;
}
