// The statistics core alone: analyzeExperiment (L's engine, 3 variations) on precomputed sufficient
// statistics, in a tight loop per engine and metric type. Baseline in the same run: the same
// analyses when each call must first reduce per-user values to those statistics (an engine that
// keeps raw per-user rows, as a notebook over a per-user export does).
import { performance } from 'node:perf_hooks';
import {
  type AnalyzeExperimentInput,
  analyzeExperiment,
} from '../../src/experiments/stats/analyze-experiment.ts';
import type { VariationStats } from '../../src/experiments/stats/sufficient-stats.ts';
import { seededRandom } from '../../src/shared/seeded-random.ts';

type Kind = 'binomial' | 'mean' | 'cuped' | 'ratio';

/** One arm's per-user values: the outcome, its pre-period value, and a ratio's numerator/denominator. */
interface RawArm {
  post: Float64Array;
  pre: Float64Array;
  m: Float64Array;
  d: Float64Array;
  converted: Uint8Array;
}

export interface CoreCase {
  name: string;
  kind: Kind;
  options: Omit<AnalyzeExperimentInput, 'variations' | 'metric'>;
}

export const CORE_CASES: CoreCase[] = [
  { name: 'binomial, frequentist', kind: 'binomial', options: { engine: 'frequentist' } },
  {
    name: 'binomial, frequentist sequential',
    kind: 'binomial',
    options: { engine: 'frequentist', sequential: true },
  },
  { name: 'binomial, Bayesian', kind: 'binomial', options: { engine: 'bayesian' } },
  {
    name: 'mean, frequentist + Holm',
    kind: 'mean',
    options: { engine: 'frequentist', correction: 'holm-bonferroni' },
  },
  { name: 'mean, Bayesian', kind: 'mean', options: { engine: 'bayesian' } },
  { name: 'mean + CUPED, frequentist', kind: 'cuped', options: { engine: 'frequentist' } },
  { name: 'mean + CUPED, sequential', kind: 'cuped', options: { engine: 'frequentist', sequential: true } },
  { name: 'mean + CUPED, Bayesian', kind: 'cuped', options: { engine: 'bayesian' } },
  { name: 'ratio, frequentist', kind: 'ratio', options: { engine: 'frequentist' } },
  { name: 'ratio, Bayesian', kind: 'ratio', options: { engine: 'bayesian' } },
];

/** Per-user data of one arm: ~5 % convert, revenue ~ lognormal, pre-period correlated with post. */
function rawArm(units: number, lift: number, random: () => number): RawArm {
  const arm: RawArm = {
    post: new Float64Array(units),
    pre: new Float64Array(units),
    m: new Float64Array(units),
    d: new Float64Array(units),
    converted: new Uint8Array(units),
  };
  for (let i = 0; i < units; i++) {
    const taste = random();
    const conv = random() < 0.05 * (1 + lift) * (0.5 + taste) ? 1 : 0;
    arm.converted[i] = conv;
    const pre = taste * 40 * random();
    const d = 1 + Math.floor(taste * 8 * random());
    arm.pre[i] = pre;
    arm.post[i] = conv * (20 + 60 * taste) * (1 + lift) + 0.5 * pre * random();
    arm.d[i] = d;
    arm.m[i] = d * (0.1 + taste) * (1 + lift) * random();
  }
  return arm;
}

function sums(a: Float64Array | Uint8Array): { n: number; sum: number; sumSquares: number } {
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i] as number;
    sum += v;
    sumSquares += v * v;
  }
  return { n: a.length, sum, sumSquares };
}

function products(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** The reduction the SQL does: per-user values → the sufficient statistics of one arm. */
export function statsFromRaw(kind: Kind, arm: RawArm): VariationStats {
  const n = arm.post.length;
  switch (kind) {
    case 'binomial':
      return { type: 'proportion', n, sum: sums(arm.converted).sum };
    case 'mean':
      return { type: 'mean', ...sums(arm.post) };
    case 'cuped':
      return {
        type: 'mean_ra',
        n,
        post: { type: 'mean', ...sums(arm.post) },
        pre: { type: 'mean', ...sums(arm.pre) },
        postPreSumOfProducts: products(arm.post, arm.pre),
      };
    case 'ratio':
      return { type: 'ratio', n, m: sums(arm.m), d: sums(arm.d), mdSumOfProducts: products(arm.m, arm.d) };
  }
}

const METRIC_TYPE = { binomial: 'binomial', mean: 'mean', cuped: 'mean', ratio: 'ratio' } as const;

export interface CoreResult {
  name: string;
  rate: number;
  rawRate: number;
}

/** `datasets` experiments of 3 arms × `units` users each; the loop cycles through them. */
export function benchCore(opts: {
  seconds: number;
  rawSeconds: number;
  units: number;
  datasets: number;
  onCase?: (r: CoreResult) => void;
}): CoreResult[] {
  const random = seededRandom(20_310_501);
  const data = Array.from({ length: opts.datasets }, () =>
    [0, 0.03, 0.08].map((lift) => rawArm(opts.units, lift, random)),
  );
  const results: CoreResult[] = [];
  let sink = 0;
  for (const c of CORE_CASES) {
    const metric = { type: METRIC_TYPE[c.kind] };
    const inputs = data.map((arms) => ({
      ...c.options,
      metric,
      weights: [1 / 3, 1 / 3, 1 / 3],
      variations: arms.map((a) => statsFromRaw(c.kind, a)),
    }));
    const run = (seconds: number, analyse: (i: number) => number) => {
      let n = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < seconds * 1000) {
        for (let i = 0; i < 200; i++) sink += analyse((n + i) % inputs.length);
        n += 200;
      }
      return n / ((performance.now() - t0) / 1000);
    };
    const estimate = (r: ReturnType<typeof analyzeExperiment>) => r.comparisons[1]?.estimate ?? 0;
    // Warm both paths so neither pays the JIT in its timing.
    run(0.1, (i) => estimate(analyzeExperiment(inputs[i] as AnalyzeExperimentInput)));
    const rate = run(opts.seconds, (i) => estimate(analyzeExperiment(inputs[i] as AnalyzeExperimentInput)));
    const rawRate = run(opts.rawSeconds, (i) =>
      estimate(
        analyzeExperiment({
          ...(inputs[i] as AnalyzeExperimentInput),
          variations: (data[i] as RawArm[]).map((a) => statsFromRaw(c.kind, a)),
        }),
      ),
    );
    const r = { name: c.name, rate, rawRate };
    results.push(r);
    opts.onCase?.(r);
  }
  if (Number.isNaN(sink)) process.stderr.write('\n');
  return results;
}
