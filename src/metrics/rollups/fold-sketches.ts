import type { Tx } from '../../db/types.ts';
import { HLL_REGISTERS, SQL_LEVELS } from './hll.ts';

// The fold's sketch step. SQL finds, for every block the batch touches, the registers the new
// persons raise (one row per changed sketch, with its current bytes); JS raises them and writes the
// sketches back. Adding a person twice changes nothing, so every person of the batch is added.

/**
 * Kinds: 'v' every person, 'g' persons with any custom event, 'g:<name>' with that one.
 * Returns only sketches that change, with their stored registers (null: new).
 */
const CHANGED_SKETCHES_SQL = `
WITH persons AS (
  SELECT DISTINCT domain_id, 'v' AS kind, day, person FROM fold_events WHERE person IS NOT NULL
  UNION
  SELECT domain_id, k.kind, day, person
    FROM fold_events CROSS JOIN LATERAL (VALUES ('g'), ('g:' || name)) AS k(kind)
   WHERE person IS NOT NULL AND NOT is_pageview
), regs AS (
  SELECT domain_id, kind, day - DATE '1970-01-01' AS n, hll_register(person) AS reg, max(hll_rank(person)) AS rank
    FROM persons
   GROUP BY 1, 2, 3, 4
), raised AS (
  SELECT domain_id, kind, l AS level, n >> l AS block, reg, max(rank) AS rank
    FROM regs CROSS JOIN ${SQL_LEVELS} AS l
   GROUP BY 1, 2, 3, 4, 5
)
SELECT r.domain_id, r.kind, r.level, r.block, encode(s.registers, 'base64') AS registers, array_agg(r.reg) AS regs,
       array_agg(r.rank) AS ranks
  FROM raised r
  LEFT JOIN LATERAL (
    SELECT registers FROM visitor_sketches
     WHERE domain_id = r.domain_id AND kind = r.kind AND level = r.level AND block = r.block
    OFFSET 0) s ON true
 WHERE s.registers IS NULL OR r.rank > get_byte(s.registers, r.reg)
 GROUP BY r.domain_id, r.kind, r.level, r.block, s.registers`;

const WRITE_SKETCHES_SQL = `
INSERT INTO visitor_sketches AS t (domain_id, kind, level, block, registers)
SELECT d, k, l, b, decode(r, 'hex')
  FROM unnest($1::uuid[], $2::text[], $3::int[], $4::int[], $5::text[]) AS x(d, k, l, b, r)
ON CONFLICT (domain_id, kind, level, block) DO UPDATE SET registers = EXCLUDED.registers`;

interface ChangedSketch {
  domain_id: string;
  kind: string;
  level: number;
  block: number;
  /** base64, decoded natively (PGlite's bytea parser is slow). */
  registers: string | null;
  regs: number[];
  ranks: number[];
}

/** Rows per write: keeps each statement's parameters a few megabytes at most. */
const WRITE_BATCH = 500;

/** Adds the persons of fold_events to the sketches; returns how many sketches changed. */
export async function foldSketches(tx: Tx): Promise<number> {
  const res = await tx.query<ChangedSketch>(CHANGED_SKETCHES_SQL);
  for (let i = 0; i < res.rows.length; i += WRITE_BATCH) {
    const cols: [string[], string[], number[], number[], string[]] = [[], [], [], [], []];
    for (const row of res.rows.slice(i, i + WRITE_BATCH)) {
      const registers = new Uint8Array(HLL_REGISTERS);
      if (row.registers) registers.set(Buffer.from(row.registers, 'base64'));
      row.regs.forEach((reg, j) => {
        const rank = row.ranks[j] as number;
        if (rank > (registers[reg] as number)) registers[reg] = rank;
      });
      cols[0].push(row.domain_id);
      cols[1].push(row.kind);
      cols[2].push(row.level);
      cols[3].push(row.block);
      cols[4].push(Buffer.from(registers).toString('hex'));
    }
    await tx.query(WRITE_SKETCHES_SQL, cols);
  }
  return res.rows.length;
}
