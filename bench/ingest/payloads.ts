// What the load generator sends. The same generators feed the server under test, the HTTP
// ceiling, the naive handler and the storage ceiling, so every comparison is over the same bytes/rows.
import { randomUUID } from 'node:crypto';

/** A current desktop Chrome: a bot user-agent would be accepted but dropped before storage. */
export const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export const SITE = 'fixie.run';
export const BATCH_EVENTS = 100;

let page = 0;

/** Body of one browser hit, exactly as Plausible's script sends it (JSON as text/plain). */
export function singleEventBody(): string {
  page++;
  return `{"n":"pageview","u":"https://${SITE}/p/${page}","d":"${SITE}","r":"https://www.google.com/"}`;
}

export interface ServerEventJson {
  name: string;
  eventId: string;
  occurredAt: string;
  url: string;
  visitorId: string;
}

/** Server-side events with unique ids (so none is skipped as a duplicate) and a timestamp of now. */
export function serverEvents(count: number): ServerEventJson[] {
  const occurredAt = new Date().toISOString();
  return Array.from({ length: count }, () => {
    page++;
    // A few thousand distinct visitors, so count(DISTINCT visitor_id) in the heavy query has work to do.
    return {
      name: 'pageview',
      eventId: randomUUID(),
      occurredAt,
      url: `https://${SITE}/p/${page}`,
      visitorId: `v${page % 5000}`,
    };
  });
}

export function batchBody(): string {
  return JSON.stringify({ events: serverEvents(BATCH_EVENTS) });
}

/** The dashboard query that runs while latency is measured: a full scan with a distinct count. */
export const HEAVY_QUERY =
  "SELECT date_trunc('hour', occurred_at) AS hour, count(*) AS events, count(DISTINCT visitor_id) AS visitors " +
  'FROM events GROUP BY 1';
