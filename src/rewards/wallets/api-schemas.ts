import { z } from 'zod';

const UserId = z.uuid().describe('Our user id (from identify or the events API).');
const ExternalId = z.string().min(1).max(200).describe("The domain's own id for the user.");

/** Domain servers name the user (one of userId, externalId); a user token names itself. */
export const UserRefFields = { userId: UserId.optional(), externalId: ExternalId.optional() };

export const NonceRequest = z.strictObject(UserRefFields);
export type NonceRequest = z.infer<typeof NonceRequest>;

export const SiweSubmission = z.strictObject({
  message: z.string().min(1).max(4096).describe('The EIP-4361 message, exactly as signed.'),
  signature: z
    .string()
    .max(20_000)
    .regex(/^0x(?:[0-9a-fA-F]{2})+$/, 'must be 0x-prefixed hex')
    .describe('personal_sign signature (65 bytes for a key; longer for smart-contract wallets).'),
});
export type SiweSubmission = z.infer<typeof SiweSubmission>;

export const LinkRequest = SiweSubmission.extend(UserRefFields);
export type LinkRequest = z.infer<typeof LinkRequest>;

export const NonceOut = z.object({
  nonce: z.string(),
  domain: z.string().describe('Put in the message as its domain.'),
  uri: z.string(),
  chainId: z.number().int(),
  version: z.literal('1'),
  statement: z.string().describe('A suggested statement (not checked).'),
  issuedAt: z.string(),
  expiresAt: z.string().describe('The nonce is refused after this; the message may expire sooner.'),
});
export type NonceOut = z.infer<typeof NonceOut>;

export const WalletOut = z.object({
  address: z.string().describe('Lowercase.'),
  chainId: z.number().int().nullable(),
  verifiedAt: z.string().nullable(),
  payout: z.boolean().describe("True for the wallet the user's rewards are minted to."),
});
export type WalletOut = z.infer<typeof WalletOut>;

export const LinkOut = WalletOut.extend({
  userId: z.uuid(),
  alreadyLinked: z.boolean().describe('The wallet was already verified for this user; nothing changed.'),
});
export type LinkOut = z.infer<typeof LinkOut>;
