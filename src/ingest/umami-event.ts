import { z } from 'zod';
import type { BrowserHit } from './browser-hit.ts';
import { EventName, LIMITS, Props, Referrer } from './event-limits.ts';

// Umami's collect payload. `website` is our domain id (what Umami calls the website id) or the
// host; `url` may be a path, resolved against `hostname`.
const UmamiPayload = z.strictObject({
  website: z.string().min(1).max(253),
  hostname: z.string().max(253).optional(),
  url: z.string().max(LIMITS.urlLength).optional(),
  referrer: Referrer.optional(),
  title: z.string().max(500).optional(),
  name: EventName.optional(),
  data: Props.optional(),
  screen: z.string().max(LIMITS.screenLength).optional(),
  language: z.string().max(LIMITS.languageLength).optional(),
  tag: z.string().max(50).optional(),
  id: z.string().min(1).max(LIMITS.idLength).optional().describe('Distinct id (identify)'),
});

export const UmamiSend = z.strictObject({
  type: z.enum(['event', 'identify']),
  payload: UmamiPayload,
});
export type UmamiSend = z.infer<typeof UmamiSend>;

export const UmamiBatch = z
  .array(UmamiSend)
  .min(1)
  .max(LIMITS.umamiBatch, `at most ${LIMITS.umamiBatch} items`);

/** The page URL of an Umami payload, or null when it cannot be made absolute. */
export function umamiPageUrl(payload: UmamiSend['payload'], siteHost: string): string | null {
  const host = payload.hostname || siteHost;
  try {
    const url = new URL(payload.url ?? '/', `https://${host}`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.toString();
  } catch {
    return null;
  }
}

export function hitFromUmami(payload: UmamiSend['payload'], url: string): BrowserHit {
  return {
    name: payload.name ?? 'pageview',
    url,
    referrer: payload.referrer || null,
    props: payload.data ?? {},
    revenue: null,
    interactive: true,
    screen: payload.screen ?? null,
    language: payload.language ?? null,
  };
}
