/**
 * The statistics engine's entry point: sufficient statistics of every variation (control first) and
 * the analysis settings in; per-variation summaries, each treatment against control, optional
 * multiple-testing adjustment and the sample-ratio-mismatch check out. Pure: no I/O, no clock.
 */
import { AppError } from '../../shared/app-error.ts';
import { analyzePair, type Engine, type PairResult } from './analyze-pair.ts';
import type { GaussianPrior } from './bayesian.ts';
import type { DifferenceType } from './effect.ts';
import type { Sided } from './frequentist.ts';
import { adjustedInterval, benjaminiHochberg, holmBonferroni } from './multiple-testing.ts';
import { DEFAULT_SEQUENTIAL_TUNING } from './sequential.ts';
import { checkSrm, type SrmResult } from './srm.ts';
import type { VariationStats } from './sufficient-stats.ts';

export type MetricKind = 'binomial' | 'mean' | 'ratio' | 'quantile';

export type Correction = 'none' | 'holm-bonferroni' | 'benjamini-hochberg';

export type AnalyzeExperimentInput = {
  /** Index 0 is the control. */
  variations: readonly VariationStats[];
  metric: { type: MetricKind; inverse?: boolean };
  engine: Engine;
  /** Default 'relative'. */
  difference?: DifferenceType;
  /** Default 0.05. */
  alpha?: number;
  /** Default 'two-sided' (frequentist only). */
  sided?: Sided;
  /** Always-valid inference; `true` uses the default tuning of 5000 units. */
  sequential?: boolean | { tuning: number };
  /** Bayesian prior on the lift; default flat (improper). */
  prior?: GaussianPrior;
  /** Default true: pre-period statistics adjust the estimate (CUPED). */
  cuped?: boolean;
  /** Planned traffic split; enables the SRM check. */
  weights?: readonly number[];
  /** Adjustment across this metric's treatments (frequentist p-values). Default 'none'. */
  correction?: Correction;
};

export type VariationSummary = { index: number; units: number; mean: number };

export type Comparison = PairResult & {
  variation: number;
  /** Adjusted p-value and the interval consistent with it, when a correction applies. */
  adjustedPValue: number | null;
  adjustedCi: [number, number] | null;
};

export type AnalyzeExperimentResult = {
  variations: VariationSummary[];
  comparisons: Comparison[];
  srm: SrmResult | null;
};

const KINDS: Record<MetricKind, readonly string[]> = {
  binomial: ['proportion', 'mean_ra'],
  mean: ['mean', 'mean_ra'],
  ratio: ['ratio', 'ratio_ra'],
  quantile: ['quantile'],
};

function validate(input: AnalyzeExperimentInput): void {
  if (input.variations.length < 2) {
    throw new AppError(
      'invalid_request',
      'an experiment needs a control and at least one treatment',
      'variations',
    );
  }
  const allowed = KINDS[input.metric.type];
  const first = input.variations[0]?.type;
  for (const v of input.variations) {
    if (!allowed.includes(v.type) || v.type !== first) {
      throw new AppError(
        'invalid_request',
        `statistics of type ${v.type} do not fit a ${input.metric.type} metric`,
        'variations',
      );
    }
  }
  const alpha = input.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new AppError('invalid_request', 'alpha must be in (0, 1)', 'alpha');
  if (input.weights && input.weights.length !== input.variations.length) {
    throw new AppError('invalid_request', 'one weight per variation', 'weights');
  }
}

function tuningOf(s: AnalyzeExperimentInput['sequential']): number | null {
  if (!s) return null;
  return s === true ? DEFAULT_SEQUENTIAL_TUNING : s.tuning;
}

export function analyzeExperiment(input: AnalyzeExperimentInput): AnalyzeExperimentResult {
  validate(input);
  const alpha = input.alpha ?? 0.05;
  const control = input.variations[0] as VariationStats;
  const options = {
    engine: input.engine,
    difference: input.difference ?? 'relative',
    alpha,
    sided: input.sided ?? 'two-sided',
    sequentialTuning: tuningOf(input.sequential),
    prior: input.prior,
    inverse: input.metric.inverse ?? false,
    cuped: input.cuped ?? true,
  } as const;
  const pairs: PairResult[] = [];
  for (let i = 1; i < input.variations.length; i++) {
    pairs.push(analyzePair(control, input.variations[i] as VariationStats, options));
  }
  const correction = input.correction ?? 'none';
  let adjusted: number[] | null = null;
  if (correction !== 'none' && input.engine === 'frequentist') {
    const raw = new Array<number>(pairs.length);
    for (let i = 0; i < pairs.length; i++) raw[i] = (pairs[i] as PairResult).pValue ?? 1;
    adjusted = correction === 'holm-bonferroni' ? holmBonferroni(raw) : benjaminiHochberg(raw);
  }
  // Each comparison is built once with its final fields, listed rather than spread: V8's object
  // spread here cost 10× the whole analysis (46k vs 433k analyses/s of 3 variations, measured).
  const comparisons: Comparison[] = [];
  for (let i = 0; i < pairs.length; i++) {
    const r = pairs[i] as PairResult;
    const pAdjusted = adjusted ? (adjusted[i] as number) : null;
    const adjustedCi =
      pAdjusted === null ? null : r.error ? r.ci : adjustedInterval(pAdjusted, r.estimate, alpha);
    comparisons.push({
      estimate: r.estimate,
      ci: r.ci,
      se: r.se,
      pValue: r.pValue,
      chanceToWin: r.chanceToWin,
      risk: r.risk,
      dof: r.dof,
      theta: r.theta,
      control: r.control,
      treatment: r.treatment,
      error: r.error,
      variation: i + 1,
      adjustedPValue: pAdjusted,
      adjustedCi,
    });
  }
  const variations = input.variations.map((v, index) => {
    const m = index === 0 ? comparisons[0]?.control : comparisons[index - 1]?.treatment;
    return { index, units: v.n, mean: m?.unadjusted ?? 0 };
  });
  const srm = input.weights
    ? checkSrm(
        input.variations.map((v) => v.n),
        input.weights,
      )
    : null;
  return { variations, comparisons, srm };
}
