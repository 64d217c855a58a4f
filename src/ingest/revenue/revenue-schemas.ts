import { z } from 'zod';
import { Hostname } from '../../auth/operator-schemas.ts';
import { parseAmount } from './money.ts';
import { RevenueKind, RevenueStatus } from './revenue-status.ts';

/** A decimal string or a JSON number, at most 2 decimals, |amount| ≤ 1e10; parsed to signed cents. */
export const AmountInput = z
  .union([z.string().max(24), z.number()])
  .describe('Decimal string ("19.99") or number; at most 2 decimals; |amount| ≤ 1e10')
  .transform((value, ctx) => {
    const parsed = parseAmount(value);
    if (parsed.ok) return parsed.cents;
    ctx.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  });

export const CurrencyCode = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code like EUR')
  .transform((c) => c.toUpperCase())
  .describe('ISO 4217 code; must have a rate in currency_rates');

export const SourceName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9 ._:-]{0,49}$/, 'must be 1-50 letters, digits, spaces or . _ : -')
  .describe('Where the fact comes from (api, stripe, an affiliate network…); part of the idempotency key');

export const ExternalId = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .describe("The source's own id of the fact: the idempotency key with domain and source");

const StreamId = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a revenue stream id from the portfolio file')
  .max(100);

const ChainName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9:_-]{0,49}$/, 'must be a chain name like ethereum, polygon or eip155:1');

const TransactionHash = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, 'must be 0x followed by 64 hex digits')
  .transform((h) => h.toLowerCase());

export const Metadata = z
  .record(z.string().min(1).max(100), z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]))
  .refine((m) => Object.keys(m).length <= 30, 'at most 30 keys')
  .describe('Flat object, at most 30 keys; values are strings (≤ 1000), numbers, booleans or null');

export const RecordRevenueInput = z
  .strictObject({
    domain: Hostname.optional().describe(
      'Host the revenue was earned on. Required for operators; a secret key may omit it (its own domain)',
    ),
    kind: RevenueKind,
    amount: AmountInput.describe('A refund may be sent positive or negative; it is stored negative'),
    currency: CurrencyCode,
    occurredAt: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('When it happened (default: now); at most 5 minutes in the future'),
    externalId: ExternalId,
    source: SourceName.default('api'),
    status: RevenueStatus.optional().describe(
      'Default: pending for affiliate, completed otherwise. Moves forward only: pending → approved → paid, ' +
        'pending → completed | failed, failed → paid | completed, any of them → reversed',
    ),
    userId: z.uuid().optional().describe('A user already known on this domain'),
    email: z
      .email()
      .max(254)
      .transform((e) => e.toLowerCase())
      .optional()
      .describe("The buyer's e-mail: found or created as a user and linked to the domain"),
    stream: StreamId.optional().describe('Revenue stream id from the portfolio file'),
    chain: ChainName.optional(),
    transactionHash: TransactionHash.optional(),
    metadata: Metadata.optional(),
  })
  .refine((v) => !(v.userId && v.email), { message: 'give userId or email, not both', path: ['email'] });
export type RecordRevenueInput = z.infer<typeof RecordRevenueInput>;

export const MAX_BATCH_ITEMS = 500;

export const RecordRevenueBatchInput = z.strictObject({
  items: z.array(RecordRevenueInput).min(1).max(MAX_BATCH_ITEMS),
});
export type RecordRevenueBatchInput = z.infer<typeof RecordRevenueBatchInput>;

export const RevenueRecord = z.object({
  id: z.uuid(),
  domain: z.string(),
  kind: z.string(),
  amount: z.string().describe('In `currency`, 2 decimals; negative for refunds'),
  currency: z.string(),
  amountEur: z.string(),
  eurPerUnit: z.string().nullable().describe('The rate used when the row was first recorded'),
  occurredAt: z.string(),
  source: z.string(),
  externalId: z.string().nullable(),
  status: z.string(),
  stream: z.string().nullable(),
  userId: z.string().nullable(),
  chain: z.string().nullable(),
  transactionHash: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RevenueRecord = z.infer<typeof RevenueRecord>;

const WriteResult = z
  .enum(['created', 'updated', 'duplicate'])
  .describe('created (201); duplicate: the same fact again, nothing changed; updated: its status moved');

export const RecordRevenueResult = z.object({
  result: WriteResult,
  duplicate: z.boolean(),
  previousStatus: RevenueStatus.optional(),
  revenue: RevenueRecord,
});
export type RecordRevenueResult = z.infer<typeof RecordRevenueResult>;

export const RecordRevenueBatchResult = z.object({
  created: z.int(),
  updated: z.int(),
  duplicates: z.int(),
  items: z.array(
    z.object({
      index: z.int(),
      id: z.uuid(),
      externalId: z.string(),
      result: WriteResult,
      duplicate: z.boolean(),
      status: z.string(),
      previousStatus: RevenueStatus.optional(),
    }),
  ),
});
export type RecordRevenueBatchResult = z.infer<typeof RecordRevenueBatchResult>;
