import { describe, expect, it } from 'vitest';
import { createRandom } from './random.ts';
import { MAD_TO_SIGMA, median, robustCenterSpread } from './robust-stats.ts';
import { SortedWindow } from './sorted-window.ts';

describe('robust statistics', () => {
  it('takes the median of odd and even samples without reordering the input', () => {
    const values = [5, 1, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('scales the MAD to a normal σ', () => {
    // Deviations from the median 3: 2, 1, 0, 1, 2 → MAD 1.
    expect(robustCenterSpread([1, 2, 3, 4, 5])).toEqual({ center: 3, spread: MAD_TO_SIGMA, source: 'mad' });
  });

  it('falls back to the mean absolute deviation when more than half the sample is equal (MAD = 0)', () => {
    // Median 10, deviations 0,0,0,0,0,0,4,6 → MAD 0, mean |dev| = 10/8.
    const r = robustCenterSpread([10, 10, 10, 10, 10, 10, 14, 4]);
    expect(r.source).toBe('mean-abs-dev');
    expect(r.center).toBe(10);
    expect(r.spread).toBeCloseTo((10 / 8) * Math.sqrt(Math.PI / 2), 12);
  });

  it('floors the spread of a constant sample relative to its size', () => {
    expect(robustCenterSpread([7, 7, 7])).toEqual({ center: 7, spread: 7 * 1e-9, source: 'epsilon' });
    expect(robustCenterSpread([0, 0])).toEqual({ center: 0, spread: 1e-9, source: 'epsilon' });
  });

  it('a sorted sliding window gives exactly the same centre and spread as sorting each window', () => {
    const random = createRandom(11);
    for (const capacity of [1, 2, 5, 24, 168]) {
      const window = new SortedWindow(capacity);
      const plain: number[] = [];
      for (let i = 0; i < 400; i++) {
        // Rounded values half of the time: ties and MAD = 0 windows happen.
        const v = random.next() < 0.5 ? Math.round(random.normal()) + 0 : random.normal(); // + 0: no −0
        window.push(v);
        plain.push(v);
        if (plain.length > capacity) plain.shift();
        expect(window.size).toBe(plain.length);
        expect(window.centerSpread()).toEqual(robustCenterSpread(plain));
      }
    }
  });
});

describe('seeded generator', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const first = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(first);
  });

  it('draws normals with mean 0 and σ 1', () => {
    const r = createRandom(3);
    const xs = Array.from({ length: 20_000 }, () => r.normal());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.04);
  });
});
