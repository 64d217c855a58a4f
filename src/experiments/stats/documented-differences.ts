/**
 * Reference-vector cases where this engine deliberately differs from the recorded value. Each entry
 * is explained in docs/experiments.md ("Deliberate differences"); the vector tests assert this list
 * and check our own behaviour for these cases instead.
 */
export type DocumentedDifference = { file: string; id: string; reason: string };

export const DOCUMENTED_DIFFERENCES: readonly DocumentedDifference[] = [
  {
    file: 'gbstats-vectors.json',
    id: 'ts_powerMetricWeeks_bayesian',
    reason:
      'Relative Bayesian MDE: we return the root of power(effect) = target; the reference reports the first ' +
      'point of a 1e-5 search grid at or above it (all powers match; MDEs match after rounding ours up).',
  },
  {
    file: 'gbstats-vectors.json',
    id: 'ts_bayesian_power_roundtrip',
    reason: 'Same 1e-5 grid for the relative Bayesian MDE; absolute MDE and both powers match as stated.',
  },
  {
    file: 'gbstats-vectors.json',
    id: 'py_midexperiment_power_scaling',
    reason:
      'The mid-experiment scaling algorithm is not specified by the vectors; ours (multiply the current ' +
      'sample until power reaches the target) agrees within 1e-4 relative for frequentist and Bayesian, ' +
      'and differs for sequential (the reference rescales the confidence sequence differently).',
  },
  {
    file: 'gbstats-vectors.json',
    id: 'seq_one_sided_greater_abs',
    reason:
      'Sequential one-sided p-value: the bound never excludes zero at any level in [1e-5, 0.4999], so we ' +
      'report the cap 0.4999; the reference bisection on a non-monotone function returns 0.4632.',
  },
  {
    file: 'gbstats-vectors.json',
    id: 'srm_9',
    reason:
      'SRM degrees of freedom count only cells with a positive weight (the reference keeps a zero-weight ' +
      'cell in the dof, which understates the mismatch).',
  },
];
