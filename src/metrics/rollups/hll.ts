// Pure core of the distinct-visitor sketches (HyperLogLog, Flajolet et al. 2007) and of the day
// blocks every long-range rollup is read in. No I/O; the SQL side computes registers and ranks
// with hll_register()/hll_rank() (migration 0008).

/** 2^11 registers of one byte: standard error 1.04 / √2048 ≈ 2.3 %. */
export const HLL_REGISTERS = 2048;
/**
 * Block levels kept: level L covers 2^L days: one day, 8, 64 and 512 days. Every level costs each
 * fold a write per touched block, so only every third is kept; a range is then at most 7 blocks
 * of a level at each end (a year is about 20 blocks instead of 365 days).
 */
export const BLOCK_LEVELS = [0, 3, 6, 9] as const;
/** As SQL: the levels past 0 (breakdown_blocks; level 0 is traffic_breakdown_daily). */
export const SQL_LEVELS = `unnest(ARRAY[${BLOCK_LEVELS.join(', ')}])`;
export const SQL_UPPER_LEVELS = `unnest(ARRAY[${BLOCK_LEVELS.slice(1).join(', ')}])`;

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date (UTC). */
export function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

export interface DayBlock {
  level: number;
  block: number;
}

/**
 * The fewest aligned blocks covering days [from, to) exactly (day numbers): greedy from the left,
 * each time the largest kept block that starts here and ends inside.
 */
export function dayBlocks(from: number, to: number): DayBlock[] {
  const out: DayBlock[] = [];
  let n = from;
  while (n < to) {
    let level = 0;
    for (const l of BLOCK_LEVELS) if (n % 2 ** l === 0 && n + 2 ** l <= to) level = l;
    out.push({ level, block: n / 2 ** level });
    n += 2 ** level;
  }
  return out;
}

/** Registers of a union: the maximum of each register over the sketches. */
export function mergeRegisters(sketches: Iterable<Uint8Array>): Uint8Array {
  const out = new Uint8Array(HLL_REGISTERS);
  for (const s of sketches) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const r = s[i] as number;
      if (r > (out[i] as number)) out[i] = r;
    }
  }
  return out;
}

const EMPTY = new Uint8Array(HLL_REGISTERS);
/** An empty sketch (estimates 0); shared, never to be written. */
export const emptyRegisters = (): Uint8Array => EMPTY;

/**
 * Estimated distinct count: the raw HyperLogLog estimate, or linear counting while it is below
 * 2.5 m and some register is still empty (the small-range correction; a 64-bit hash needs no
 * large-range one).
 */
const INVERSE_POWERS = Float64Array.from({ length: 65 }, (_, r) => 2 ** -r);

export function estimateDistinct(registers: Uint8Array): number {
  const m = HLL_REGISTERS;
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < m; i++) {
    const r = registers[i] as number;
    sum += INVERSE_POWERS[r] as number;
    if (r === 0) zeros++;
  }
  const alpha = 0.7213 / (1 + 1.079 / m);
  const raw = (alpha * m * m) / sum;
  if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
  return Math.round(raw);
}
