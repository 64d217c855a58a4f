// Deterministic randomness for the demo: every stream is derived from the seed and a few keys
// (person, day, domain…), so one person's draws never depend on how many others were drawn.
// That keeps a run reproducible and lets calibration change counts without reshuffling everyone.

/** 32-bit FNV-1a over the keys, then a murmur finaliser: a well-spread stream id. */
export function hashKeys(...keys: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const key of keys) {
    const text = `${key}\u0000`;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export interface Weighted<T> {
  value: T;
  weight: number;
}

/** A small, fast PRNG (mulberry32) with the draws the generator needs. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A stream for the given keys under a seed: `Random.of(seed, 'person', 42)`. */
  static of(...keys: readonly (string | number)[]): Random {
    return new Random(hashKeys(...keys));
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  weighted<T>(items: readonly Weighted<T>[]): T {
    let total = 0;
    for (const item of items) total += item.weight;
    let u = this.next() * total;
    for (const item of items) {
      u -= item.weight;
      if (u < 0) return item.value;
    }
    return (items[items.length - 1] as Weighted<T>).value;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Log-normal with the given median and spread (sigma of the logarithm). */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Days until the next success of a daily chance p (1 = the next day). */
  geometric(p: number): number {
    if (p >= 1) return 1;
    if (p <= 0) return Number.POSITIVE_INFINITY;
    return Math.max(1, Math.ceil(Math.log(1 - this.next()) / Math.log(1 - p)));
  }

  /** Poisson count (Knuth; the means here are small). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k += 1;
      p *= this.next();
    }
    return k;
  }

  /** Hex id of the given length, for ids that look like the real thing. */
  hex(length: number): string {
    let out = '';
    while (out.length < length) out += ((this.next() * 0x100000000) >>> 0).toString(16).padStart(8, '0');
    return out.slice(0, length);
  }
}
