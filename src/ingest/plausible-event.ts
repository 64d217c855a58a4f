import { z } from 'zod';
import { AppError } from '../shared/app-error.ts';
import type { BrowserHit } from './browser-hit.ts';
import { EventName, PageUrl, Props, Referrer, Revenue } from './event-limits.ts';

// Plausible's Events API accepts short and long names for each field; props and revenue may
// arrive as JSON strings (older trackers). Keys are [short, long].
const FIELDS = {
  name: ['n', 'name'],
  url: ['u', 'url'],
  domain: ['d', 'domain'],
  referrer: ['r', 'referrer'],
  props: ['p', 'props'],
  revenue: ['$', 'revenue'],
  interactive: ['i', 'interactive'],
  hashMode: ['h', 'hashMode'],
} as const;
// Also accepted and ignored: w (screen width), m/meta (old trackers), v (tracker version),
// sd/e (scroll depth and engaged time of Plausible's `engagement` events).
const KNOWN = new Set<string>([...Object.values(FIELDS).flat(), 'w', 'm', 'meta', 'v', 'sd', 'e']);

/** Plausible's engagement pings measure time on page; they are not events of the site. */
export const ENGAGEMENT_EVENT = 'engagement';

export interface PlausibleEvent {
  domains: string[];
  hit: BrowserHit;
}

function pick(body: Record<string, unknown>, field: keyof typeof FIELDS): { value: unknown; key: string } {
  const [short, long] = FIELDS[field];
  if (body[short] !== undefined) return { value: body[short], key: short };
  return { value: body[long], key: long };
}

function check<T>(schema: z.ZodType<T>, value: unknown, key: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const sub = issue?.path.length ? `.${issue.path.join('.')}` : '';
  throw new AppError('invalid_request', `${key}${sub}: ${issue?.message ?? 'invalid'}`, `body.${key}${sub}`);
}

function jsonOrValue(value: unknown, key: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new AppError(
      'invalid_request',
      `${key}: must be an object or a JSON-encoded object`,
      `body.${key}`,
    );
  }
}

// Built once: constructing zod schemas per request cost a sixth of the CPU per event (bench:ingest).
const HashMode = z.union([z.boolean(), z.literal(0), z.literal(1)]).optional();
const OptionalReferrer = Referrer.nullable().optional();
const OptionalProps = Props.nullable().optional();
const OptionalRevenue = Revenue.nullable().optional();
const OptionalBoolean = z.boolean().optional();

const Domains = z
  .string()
  .max(1000)
  .transform((d) =>
    d
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  )
  .refine((list) => list.length >= 1 && list.length <= 10, 'one to ten comma-separated domains');

/** Validates a Plausible Events API body; errors name the field as the client sent it. */
export function parsePlausibleEvent(raw: unknown): PlausibleEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new AppError('invalid_request', 'the body must be a JSON object', 'body');
  }
  const body = raw as Record<string, unknown>;
  const unknownKey = Object.keys(body).find((k) => !KNOWN.has(k));
  if (unknownKey) throw new AppError('invalid_request', `unknown field ${unknownKey}`, `body.${unknownKey}`);

  const name = pick(body, 'name');
  const url = pick(body, 'url');
  const domain = pick(body, 'domain');
  const referrer = pick(body, 'referrer');
  const props = pick(body, 'props');
  const revenue = pick(body, 'revenue');
  const interactive = pick(body, 'interactive');
  const hashMode = pick(body, 'hashMode');

  const pageUrl = check(PageUrl, url.value, url.key);
  const hashed = check(HashMode, hashMode.value, hashMode.key);
  const parsedUrl = new URL(pageUrl);
  return {
    domains: check(Domains, domain.value, domain.key),
    hit: {
      name: check(EventName, name.value, name.key),
      // In hash mode the fragment is the route: keep it so #/pricing and #/docs are different pages.
      url: hashed ? pageUrl : `${parsedUrl.origin}${parsedUrl.pathname}${parsedUrl.search}`,
      referrer: check(OptionalReferrer, referrer.value, referrer.key) ?? null,
      props: check(OptionalProps, jsonOrValue(props.value, props.key), props.key) ?? {},
      revenue: check(OptionalRevenue, jsonOrValue(revenue.value, revenue.key), revenue.key) ?? null,
      interactive: check(OptionalBoolean, interactive.value, interactive.key) ?? true,
      screen: null,
      language: null,
    },
  };
}
