import { type ParsedUserAgent, parseUserAgent } from './user-agent.ts';

// Parsing a user agent is the most expensive step per event (a quarter of the CPU, measured by
// bench:ingest), and real traffic repeats a few thousand strings: remember recent results.
const MAX_ENTRIES = 5000;
const cache = new Map<string, ParsedUserAgent>();

export function parseUserAgentCached(ua: string): ParsedUserAgent {
  const hit = cache.get(ua);
  if (hit) return hit;
  const parsed = parseUserAgent(ua);
  // Dropping the oldest entry keeps memory bounded (Map iterates in insertion order).
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(ua, parsed);
  return parsed;
}
