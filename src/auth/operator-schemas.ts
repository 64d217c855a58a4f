import { z } from 'zod';
import { OperatorRole } from './actor.ts';

export const Hostname = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'must be a hostname like example.com',
  );

export const AddOperatorInput = z.strictObject({
  email: z
    .email()
    .max(254)
    .transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1).max(200).optional(),
  role: OperatorRole,
  domains: z
    .array(Hostname)
    .max(1000)
    .optional()
    .describe('Limit the operator to these domains; omit for all.'),
});
export type AddOperatorInput = z.infer<typeof AddOperatorInput>;

export const Operator = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string().nullable(),
  role: OperatorRole,
  domains: z
    .union([z.literal('all'), z.array(z.string())])
    .describe("'all' or the hosts the operator is limited to"),
  createdAt: z.string(),
});
export type Operator = z.infer<typeof Operator>;

export const ApiKeyKind = z.enum(['public', 'secret']);
export type ApiKeyKind = z.infer<typeof ApiKeyKind>;

export const CreateApiKeyInput = z.strictObject({
  domain: Hostname,
  kind: ApiKeyKind,
  name: z.string().trim().min(1).max(200).optional(),
});
export type CreateApiKeyInput = z.infer<typeof CreateApiKeyInput>;

export const ApiKey = z.object({
  id: z.uuid(),
  domain: z.string(),
  kind: ApiKeyKind,
  name: z.string(),
  prefix: z
    .string()
    .describe('The first characters of the key, for recognising it; the key itself is never shown again.'),
  createdBy: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiKey = z.infer<typeof ApiKey>;
