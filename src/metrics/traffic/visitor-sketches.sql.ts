import type { Tx } from '../../db/types.ts';
import { type DayBlock, dayBlocks, dayNumber, estimateDistinct, mergeRegisters } from '../rollups/hll.ts';

// Distinct persons estimated from the HyperLogLog sketches of visitor_sketches (migration 0008):
// used only when an exact count would read more than EXACT_PERSON_DAYS person-days, so small
// data (and every hand-computed fixture) stays exact. Error bound: docs/metrics.md "Traffic".

/** Above this many person-days (rows of activity_daily) in what is asked, counts are estimated. */
export const EXACT_PERSON_DAYS = 2_000;

/** Days [from, to) as 'YYYY-MM-DD' (utcDaysOf), as a series of day numbers. */
export interface DaySpan {
  from: string;
  to: string;
}

// Registers travel as base64 text, decoded natively here: PGlite's own bytea parser converts
// byte by byte in JS, which for a year of sketches cost more than the query.
const SKETCHES_SQL = `
SELECT s.*
  FROM unnest($3::int[], $4::int[]) AS k(level, block)
 CROSS JOIN LATERAL (
   SELECT domain_id::text AS domain_id, kind, level, block, encode(registers, 'base64') AS registers
     FROM visitor_sketches
    WHERE domain_id = ANY ($1::uuid[]) AND kind = ANY ($2::text[]) AND level = k.level AND block = k.block OFFSET 0) s`;

const keyOf = (domainId: string, kind: string, b: DayBlock) => `${domainId}|${kind}|${b.level}|${b.block}`;

/** The sketches needed for some spans, loaded in one query; `count` estimates from them. */
export interface SketchSet {
  /** Estimated distinct persons of `kind` over the span, over all of `domainIds` together. */
  count(domainIds: readonly string[], kind: string, span: DaySpan): number;
}

export async function loadSketches(
  tx: Tx,
  domainIds: readonly string[],
  kinds: readonly string[],
  spans: readonly DaySpan[],
): Promise<SketchSet> {
  const blocksOf = (span: DaySpan) => dayBlocks(dayNumber(span.from), dayNumber(span.to));
  const wanted = new Map<string, DayBlock>();
  for (const span of spans) for (const b of blocksOf(span)) wanted.set(`${b.level}|${b.block}`, b);
  const blocks = [...wanted.values()];
  const found = new Map<string, Uint8Array>();
  if (blocks.length > 0 && domainIds.length > 0) {
    const res = await tx.query<{
      domain_id: string;
      kind: string;
      level: number;
      block: number;
      registers: string;
    }>(SKETCHES_SQL, [domainIds, kinds, blocks.map((b) => b.level), blocks.map((b) => b.block)]);
    for (const r of res.rows) found.set(keyOf(r.domain_id, r.kind, r), Buffer.from(r.registers, 'base64'));
  }
  return {
    count(ids, kind, span) {
      const parts: Uint8Array[] = [];
      for (const b of blocksOf(span)) {
        for (const id of ids) {
          const s = found.get(keyOf(id, kind, b));
          if (s) parts.push(s);
        }
      }
      return parts.length === 0 ? 0 : estimateDistinct(mergeRegisters(parts));
    },
  };
}
