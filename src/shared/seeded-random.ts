// One seeded pseudo-random generator for every reproducible simulation, fixture and benchmark:
// the same seed gives the same numbers, so a failing case can be replayed from its seed.

/** Uniform in [0, 1). */
export type Random = () => number;

/** mulberry32: small, fast, and good enough for test data and Monte Carlo draws (not for secrets). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Standard normal by Box–Muller (one of the pair; the second is dropped for simplicity). */
export function standardNormal(random: Random): number {
  const u = 1 - random(); // (0, 1]: log(0) is never taken
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
