import { z } from 'zod';
import { CountryCode, Host, IsoDate, Name, Text } from './common.ts';

export const DomainKind = z
  .enum([
    'e-commerce',
    'web3-app',
    'nft-marketplace',
    'saas',
    'dating',
    'affiliate',
    'lead-generation',
    'content',
    'other',
  ])
  .describe('What kind of business runs on the domain.');
export type DomainKind = z.infer<typeof DomainKind>;

export const DomainStatus = z
  .enum(['active', 'planned', 'paused'])
  .describe('active: live and reporting; planned: not launched yet; paused: kept but not operated.');
export type DomainStatus = z.infer<typeof DomainStatus>;

export const Domain = z
  .strictObject({
    host: Host.describe(
      'Hostname; the identity of the domain (the database upserts domains by host). Unique.',
    ),
    name: Name.describe('Display name.'),
    kind: DomainKind,
    description: Text.optional().describe('What the business sells or does.'),
    markets: z
      .array(CountryCode)
      .default([])
      .describe('Codes of the markets (see `markets`) the domain serves.'),
    launched: IsoDate.optional().describe('Launch date, when known.'),
    status: DomainStatus.default('active'),
  })
  .describe('One online business of the portfolio.');
export type Domain = z.infer<typeof Domain>;
