import type { Person } from './population.ts';
import { Random } from './random.ts';

// Stable identifiers of a demo person, derived from the seed and the person's arrival: the same
// seed gives the same visitor ids, user ids and e-mails on every run (that makes re-runs idempotent).

const FIRST_NAMES = [
  'emma',
  'louis',
  'olivia',
  'noah',
  'lina',
  'arthur',
  'mila',
  'jules',
  'elena',
  'lucas',
  'sofia',
  'liam',
  'anna',
  'finn',
  'marie',
  'adam',
  'lea',
  'victor',
  'nora',
  'hugo',
  'julia',
  'matteo',
  'sara',
  'leon',
  'clara',
  'max',
  'ines',
  'felix',
  'zoe',
  'oscar',
  'maya',
  'theo',
  'laura',
  'elias',
  'eva',
  'sam',
];
const LAST_NAMES = [
  'peeters',
  'janssens',
  'maes',
  'jacobs',
  'mertens',
  'willems',
  'claes',
  'goossens',
  'wouters',
  'dubois',
  'lambert',
  'dupont',
  'martin',
  'muller',
  'schmidt',
  'garcia',
  'rossi',
  'bianchi',
  'devries',
  'bakker',
  'visser',
  'smit',
  'lefevre',
  'moreau',
  'fischer',
  'weber',
  'lopez',
  'romero',
  'costa',
  'nowak',
];

export interface PersonIdentity {
  /** Per domain: a first-party visitor id, kept for the person's whole history (32 hex digits). */
  visitorId(site: number): string;
  /** Per domain: the site's own user id of a signed-up person. */
  externalId(site: number): string;
  email: string;
  /** Stripe customer id when the person subscribes. */
  customerId: string;
}

export function identityOf(seed: number, person: Person): PersonIdentity {
  const tag = Random.of(seed, 'identity', person.arrival, person.slot).hex(12);
  const names = Random.of(seed, 'names', person.arrival, person.slot);
  const email = `${names.pick(FIRST_NAMES)}.${names.pick(LAST_NAMES)}.${tag.slice(0, 6)}@example.com`;
  return {
    visitorId: (site) => Random.of(seed, 'visitor', person.arrival, person.slot, site).hex(32),
    externalId: (site) => `usr_${Random.of(seed, 'user', person.arrival, person.slot, site).hex(16)}`,
    email,
    customerId: `cus_demo${tag}`,
  };
}

/** A browser, OS and device for a person (sent only where the server accepts a user agent). */
const USER_AGENTS = [
  {
    weight: 30,
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1',
  },
  {
    weight: 24,
    ua: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Mobile Safari/537.36',
  },
  {
    weight: 22,
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36',
  },
  {
    weight: 9,
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Safari/605.1.15',
  },
  {
    weight: 6,
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0',
  },
  {
    weight: 5,
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36 Edg/138.0.0.0',
  },
  {
    weight: 4,
    ua: 'Mozilla/5.0 (iPad; CPU OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1',
  },
];

export function userAgentOf(seed: number, person: Person): string {
  return Random.of(seed, 'device', person.arrival, person.slot).weighted(
    USER_AGENTS.map((u) => ({ value: u.ua, weight: u.weight })),
  );
}
