import type { Tx } from '../../db/types.ts';
import {
  type DayBlock,
  dayBlocks,
  dayNumber,
  emptyRegisters,
  estimateDistinct,
  mergeRegisters,
} from '../rollups/hll.ts';

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
  const spanBlocks = new Map<string, DayBlock[]>();
  const blocksOf = (span: DaySpan) => {
    const key = `${span.from}|${span.to}`;
    let blocks = spanBlocks.get(key);
    if (!blocks) {
      blocks = dayBlocks(dayNumber(span.from), dayNumber(span.to));
      spanBlocks.set(key, blocks);
    }
    return blocks;
  };
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
  // Each domain's blocks are merged once per kind and span; a union merges those (an overview's
  // total is then 7 merges, not 7 × 20).
  const perDomain = new Map<string, Uint8Array>();
  const domainSketch = (id: string, kind: string, span: DaySpan) => {
    const key = `${id}|${kind}|${span.from}|${span.to}`;
    let merged = perDomain.get(key);
    if (!merged) {
      const parts: Uint8Array[] = [];
      for (const b of blocksOf(span)) {
        const s = found.get(keyOf(id, kind, b));
        if (s) parts.push(s);
      }
      merged =
        parts.length === 0
          ? emptyRegisters()
          : parts.length === 1
            ? (parts[0] as Uint8Array)
            : mergeRegisters(parts);
      perDomain.set(key, merged);
    }
    return merged;
  };
  return {
    count(ids, kind, span) {
      const parts = ids.map((id) => domainSketch(id, kind, span));
      return estimateDistinct(parts.length === 1 ? (parts[0] as Uint8Array) : mergeRegisters(parts));
    },
  };
}
