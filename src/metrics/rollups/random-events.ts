import { type EventRow, emptyEvent } from '../../ingest/event-row.ts';
import { seededRandom } from '../../shared/seeded-random.ts';

// Test data for the fold: seeded, so a failure can be replayed. Times sit on a coarse grid near a
// few anchors, so sessions form, gaps of exactly 30 minutes occur, and events tie on the same instant.

const PAGES = ['/', '/pricing', '/blog/a', '/blog/b', '/signup'];
const GOALS = ['Signup', 'Purchase', 'Scroll'];
const SOURCES: Array<[string | null, string | null, string | null, string | null, string]> = [
  // source, medium, campaign, referrer, channel
  [null, null, null, null, 'Direct'],
  ['Google', null, null, 'https://www.google.com/search', 'Organic Search'],
  ['newsletter', 'email', 'launch', null, 'Email'],
  ['Facebook', 'cpc', 'retarget', 'https://m.facebook.com/', 'Paid Social'],
  [null, null, null, 'https://shop.example/cart', 'Internal'],
];

export interface RandomEventsOptions {
  domainIds: readonly string[];
  count: number;
  seed: number;
  /** UTC midnight of the first day; events span `days` days from there. */
  start: Date;
  days: number;
  users?: readonly string[];
}

export function randomEvents(options: RandomEventsOptions): EventRow[] {
  const rnd = seededRandom(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const anchors = Array.from({ length: options.days * 4 }, () => Math.floor(rnd() * options.days * 24 * 12));
  const rows: EventRow[] = [];
  for (let i = 0; i < options.count; i++) {
    // 5-minute steps from an anchor: 6 steps apart is a gap of exactly 30 minutes.
    const step = pick(anchors) + Math.floor(rnd() * 14) - 3;
    const at = new Date(options.start.getTime() + Math.max(0, step) * 300_000);
    const isPageview = rnd() < 0.7;
    const row = emptyEvent(pick(options.domainIds), isPageview ? 'pageview' : pick(GOALS), at);
    const who = rnd();
    if (who < 0.75) row.visitorId = `visitor-${Math.floor(rnd() * 8)}`;
    else if (who < 0.95 && options.users && options.users.length > 0) {
      row.userId = pick(options.users);
      if (rnd() < 0.5) row.visitorId = `visitor-${Math.floor(rnd() * 8)}`;
    } // else: no person at all (counted as an event, never as a visitor)
    const [source, medium, campaign, referrer, channel] = pick(SOURCES);
    const path = pick(PAGES);
    row.pathname = path;
    row.url = `https://shop.example${path}${medium ? `?utm_source=${source}&utm_medium=${medium}` : ''}`;
    Object.assign(row, { source, medium, campaign, referrer, channel });
    row.browser = pick(['Chrome', 'Firefox', 'Safari']);
    row.os = pick(['Windows', 'macOS', 'iOS']);
    row.device = pick(['Desktop', 'Mobile']);
    row.interactive = isPageview || rnd() < 0.7;
    if (!isPageview && rnd() < 0.4) row.valueEur = (Math.floor(rnd() * 10_000) / 100).toFixed(2);
    rows.push(row);
  }
  return rows;
}
