import { z } from 'zod';
import { Hostname } from '../auth/operator-schemas.ts';
import { ClientEventId, EventName, LIMITS, PageUrl, Props, Referrer, Revenue } from './event-limits.ts';

export const ServerEvent = z.strictObject({
  name: EventName,
  eventId: ClientEventId.optional().describe(
    'Your id for the event; a retry with the same id is stored once',
  ),
  occurredAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('When it happened (default: when received)'),
  userId: z
    .string()
    .min(1)
    .max(LIMITS.idLength)
    .optional()
    .describe('Your own id of the user (linked across calls)'),
  visitorId: z.string().min(1).max(LIMITS.idLength).optional(),
  sessionId: z.string().min(1).max(LIMITS.idLength).optional(),
  url: PageUrl.optional(),
  referrer: Referrer.optional(),
  userAgent: z
    .string()
    .min(1)
    .max(LIMITS.userAgentLength)
    .optional()
    .describe("The visitor's User-Agent header: browser, OS and device reports (not used to filter bots)"),
  props: Props.optional(),
  revenue: Revenue.optional(),
});
export type ServerEvent = z.infer<typeof ServerEvent>;

export const ServerEventBatch = z.strictObject({
  domain: Hostname.optional().describe(
    "Needed with an operator token; with a secret key it is the key's domain",
  ),
  events: z
    .array(ServerEvent)
    .min(1)
    .max(LIMITS.batchEvents, `at most ${LIMITS.batchEvents} events per request`),
});
export type ServerEventBatch = z.infer<typeof ServerEventBatch>;

export const IdentifyBody = z
  .strictObject({
    domain: Hostname.optional(),
    externalId: z.string().min(1).max(LIMITS.idLength).optional().describe("The site's own id of the user"),
    email: z
      .email()
      .max(254)
      .transform((e) => e.toLowerCase())
      .optional()
      .describe('Only with a secret key'),
    visitorId: z.string().min(1).max(LIMITS.idLength).optional().describe('Server side: the visitor to link'),
    linkToken: z
      .string()
      .min(1)
      .max(512)
      .optional()
      .describe('From /api/v1/link-token on another owned domain'),
  })
  .refine((b) => b.externalId || b.email || b.linkToken, {
    message: 'send externalId, email or linkToken',
    path: ['externalId'],
  });
export type IdentifyBody = z.infer<typeof IdentifyBody>;
