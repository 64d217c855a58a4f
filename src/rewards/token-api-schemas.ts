import { z } from 'zod';
import { Amount } from './ledger/api-schemas.ts';
import {
  ReconciliationOut,
  ReconciliationQuery,
  RelayerStatusOut,
  RelayerStatusQuery,
} from './relayer/relayer-api-schemas.ts';

/** Shapes of GET /api/v1/rewards/token and /rewards/relayer (token-routes.ts), shared with the dashboard. */

const Hex = z.string().regex(/^0x[0-9a-fA-F]*$/);

export const TokenOverviewOut = z.object({
  configured: z.boolean().describe('A chain is open on this server (CHAIN is not off)'),
  available: z.boolean().describe('The chain answered this request'),
  reason: z.string().nullable().describe('Why there is no chain or it did not answer; null when available'),
  supply: z
    .object({ cap: Amount, treasury: Amount })
    .describe("The contract's constants: the 1,000,000,000 PTF cap and the 20 % minted to the treasury"),
  chain: z
    .object({
      kind: z.enum(['embedded', 'rpc']),
      chainId: z.number().int(),
      network: z.string().describe('"embedded", or the RPC\'s scheme and host'),
      blockNumber: z.string(),
      confirmations: z.number().int(),
      account: Hex.describe('The deployer and relayer'),
      accountBalance: z.object({ eth: z.string(), wei: z.string() }).describe("The relayer's gas money"),
    })
    .nullable(),
  token: z
    .object({
      address: Hex,
      deployedBlock: z.string().nullable(),
      deployTxHash: Hex.nullable(),
      deployedAt: z.string(),
      deployer: Hex.nullable(),
      treasury: Hex.nullable(),
      sourceCurrent: z.boolean().describe('The deployed source is the one this version builds'),
      hasCode: z
        .boolean()
        .describe('False: no contract at the recorded address (wrong network, reset chain)'),
      onChain: z
        .object({
          name: z.string(),
          symbol: z.string(),
          decimals: z.number().int(),
          totalSupply: Amount,
          cap: Amount,
          paused: z.boolean(),
          holders: z.number().int().nullable().describe('Addresses with a balance, from the Transfer logs'),
          accountRoles: z.object({ admin: z.boolean(), domainAdmin: z.boolean(), aiOracle: z.boolean() }),
          domains: z.array(
            z.object({ host: z.string(), domainId: Hex, inPortfolio: z.boolean(), registered: z.boolean() }),
          ),
        })
        .nullable(),
    })
    .nullable()
    .describe('null: no token deployed on this chain yet (`portfolio-os token deploy`)'),
});
export type TokenOverviewOut = z.infer<typeof TokenOverviewOut>;

export const RelayerOverviewQuery = RelayerStatusQuery.extend(ReconciliationQuery.shape);
export type RelayerOverviewQuery = z.infer<typeof RelayerOverviewQuery>;

export const RelayerOverviewOut = z.object({
  relayer: RelayerStatusOut,
  reconciliation: ReconciliationOut,
});
export type RelayerOverviewOut = z.infer<typeof RelayerOverviewOut>;
