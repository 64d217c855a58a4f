/**
 * Micro-benchmark of the statistics core: full two-arm analyses per second for each engine.
 * Run: npx tsx src/experiments/stats/bench-core.ts [seconds-per-case]
 */
import { analyzePair, type PairOptions } from './analyze-pair.ts';
import type { VariationStats } from './sufficient-stats.ts';

const seconds = Number(process.argv[2] ?? 1);

const control: VariationStats = { type: 'mean', n: 3407, sum: 1396.87, sumSquares: 52377.9767 };
const treatment: VariationStats = { type: 'mean', n: 3461, sum: 2422.7, sumSquares: 134698.29 };
const cupedC: VariationStats = {
  type: 'mean_ra',
  n: 3001,
  post: { type: 'mean', n: 3001, sum: 300, sumSquares: 600 },
  pre: { type: 'mean', n: 3001, sum: 210, sumSquares: 415 },
  postPreSumOfProducts: 120,
};
const cupedT: VariationStats = {
  type: 'mean_ra',
  n: 3000,
  post: { type: 'mean', n: 3000, sum: 222, sumSquares: 555 },
  pre: { type: 'mean', n: 3000, sum: 120, sumSquares: 405 },
  postPreSumOfProducts: 90,
};

const base: PairOptions = { engine: 'frequentist', difference: 'relative', alpha: 0.05, sided: 'two-sided' };
const cases: [string, VariationStats, VariationStats, PairOptions][] = [
  ['frequentist (Welch t)', control, treatment, base],
  ['sequential', control, treatment, { ...base, sequentialTuning: 5000 }],
  ['bayesian', control, treatment, { ...base, engine: 'bayesian' }],
  ['frequentist + CUPED', cupedC, cupedT, base],
];

let sink = 0;
const rates: number[] = [];
for (const [name, c, t, o] of cases) {
  // Vary the data slightly each call so nothing can be hoisted out of the loop.
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < seconds * 1000) {
    for (let i = 0; i < 1000; i++) {
      const r = analyzePair(c, { ...t, n: t.n + (i & 7) } as VariationStats, o);
      sink += r.estimate;
    }
    n += 1000;
  }
  const rate = n / ((performance.now() - start) / 1000);
  rates.push(rate);
  console.log(`${name.padEnd(24)} ${Math.round(rate).toLocaleString('en-US')} analyses/s`);
}
console.log(`${'slowest'.padEnd(24)} ${Math.round(Math.min(...rates)).toLocaleString('en-US')} analyses/s`);
if (Number.isNaN(sink)) console.log('');
