import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dayBlocks, dayNumber, estimateDistinct, HLL_REGISTERS, mergeRegisters } from './hll.ts';

/** Registers of a set of items, the way hll_register/hll_rank place them (here with SHA-256 bits). */
function sketchOf(items: Iterable<string>): Uint8Array {
  const r = new Uint8Array(HLL_REGISTERS);
  for (const item of items) {
    const h = createHash('sha256').update(item).digest().readBigUInt64BE(0);
    const reg = Number(h >> 53n);
    const rest = h & ((1n << 53n) - 1n);
    const rank = rest === 0n ? 54 : 53 - rest.toString(2).length + 1;
    if (rank > (r[reg] as number)) r[reg] = rank;
  }
  return r;
}
const people = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `v:${from + i}`);

describe('day blocks', () => {
  it('cover a run of days exactly, aligned, with at most 7 blocks of a level at each end', () => {
    for (const [from, to] of [
      [20_000, 20_365],
      [20_417, 20_418],
      [20_001, 20_031],
      [0, 1024],
      [20_400, 20_400],
    ] as const) {
      const blocks = dayBlocks(from, to);
      let n = from;
      for (const b of blocks) {
        expect(b.block * 2 ** b.level).toBe(n); // contiguous and aligned
        n += 2 ** b.level;
      }
      expect(n).toBe(to);
      const perLevel = new Map<number, number>();
      for (const b of blocks) perLevel.set(b.level, (perLevel.get(b.level) ?? 0) + 1);
      for (const count of perLevel.values()) expect(count).toBeLessThanOrEqual(14);
      for (const b of blocks) expect([0, 3, 6, 9]).toContain(b.level);
    }
  });

  it('a year is a few blocks: 2025-11-27 to 2026-11-26 is 22 rather than 365 rows', () => {
    // Days 20419..20783: 20419..20423 one by one (5), 20424 + 8k up to 20480 (7 of 8 days),
    // 20480 + 64k up to 20736 (4 of 64 days), 20736 + 8k up to 20784 = 20419 + 365 (6 of 8 days).
    const from = dayNumber('2025-11-27');
    expect(from).toBe(20_419);
    const levels = dayBlocks(from, from + 365).map((b) => b.level);
    expect(levels).toEqual([
      ...Array(5).fill(0),
      ...Array(7).fill(3),
      ...Array(4).fill(6),
      ...Array(6).fill(3),
    ]);
  });

  it('day numbers count from 1970-01-01', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('1970-01-02')).toBe(1);
  });
});

describe('HyperLogLog estimate', () => {
  it('is within three standard errors (3 × 2.3 %) from a hundred to a hundred thousand', () => {
    for (const n of [100, 1_000, 10_000, 100_000]) {
      const estimate = estimateDistinct(sketchOf(people(0, n)));
      expect(Math.abs(estimate - n) / n).toBeLessThan(0.069);
    }
  });

  it('is exact-ish for a few persons (linear counting) and 0 for none', () => {
    expect(estimateDistinct(new Uint8Array(HLL_REGISTERS))).toBe(0);
    expect(estimateDistinct(sketchOf(people(0, 10)))).toBe(10);
  });

  it('merging sketches counts the union: overlapping halves are not counted twice', () => {
    // 0..60k and 30k..90k: 90,000 distinct, 120,000 person entries
    const merged = mergeRegisters([sketchOf(people(0, 60_000)), sketchOf(people(30_000, 90_000))]);
    expect(Math.abs(estimateDistinct(merged) - 90_000) / 90_000).toBeLessThan(0.069);
    expect(mergeRegisters([sketchOf(people(0, 500)), sketchOf(people(0, 500))])).toEqual(
      sketchOf(people(0, 500)),
    );
  });
});
