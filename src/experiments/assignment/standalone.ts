/**
 * Variation assignment compatible with GrowthBook's SDKs: the same visitor gets the same variation
 * here, in our tracker and in any GrowthBook SDK. Self-contained on purpose (no imports, erasable
 * TypeScript only): the domains' servers copy this one file or import it as is.
 *
 * Derived from the rules stated in GrowthBook's SDK specification (FNV-1a 32-bit; hash v1/v2;
 * bucket ranges from weights and coverage; namespaces), checked against its test vectors and its
 * npm SDK on 100,000 ids (see growthbook-agreement.test.ts).
 */

export type HashVersion = 1 | 2;

/** `[id, start, end]`: the experiment takes the visitors whose namespace hash is in [start, end). */
export type Namespace = readonly [string, number, number];

export type VariationRange = readonly [number, number];

export interface ExperimentDefinition {
  key: string;
  /** How many variations (index 0 is the control), or GrowthBook's array of variation values. */
  variations: number | readonly unknown[];
  /** One per variation, summing to 1 (±0.01); otherwise equal weights are used, as GrowthBook does. */
  weights?: readonly number[] | null;
  /** Share of visitors included, clamped to [0, 1]; default 1. */
  coverage?: number | null;
  /** Attribute whose value is hashed; default `id`. */
  hashAttribute?: string | null;
  /** Default 1, as GrowthBook's `run()`; new experiments should use 2 (v1 is biased). */
  hashVersion?: number | null;
  /** Default: the key. */
  seed?: string | null;
  namespace?: Namespace | null;
  /** `false` keeps everyone on the control, out of the experiment. */
  active?: boolean | null;
  /** Whoever would be in the experiment sees this variation; not hashed, so not an exposure. */
  force?: number | null;
}

export type Attributes = Readonly<Record<string, unknown>>;

export interface Assignment {
  /** False means the control is shown because the visitor is outside the experiment. */
  inExperiment: boolean;
  /** The variation to show: 0 (control) when not in the experiment. */
  variationId: number;
  /** The visitor's hash in [0, 1), when it decided the variation. */
  bucket: number | null;
  /** True only for a hashed assignment: record an exposure, count the visitor in the results. */
  hashUsed: boolean;
}

/** FNV-1a, 32-bit, over UTF-16 code units (what JavaScript's charCodeAt gives). */
export function fnv1a32(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i += 1) {
    h = Math.imul(h ^ value.charCodeAt(i), 16777619);
  }
  return h >>> 0;
}

/**
 * The visitor's position in [0, 1) for a seed. v1 (legacy, biased): value then seed, 1000 buckets.
 * v2: seed then value, hashed twice, 10000 buckets. Other versions: null (not in the experiment).
 */
export function hash(seed: string, value: string, version: number): number | null {
  if (version === 2) return (fnv1a32(String(fnv1a32(seed + value))) % 10000) / 10000;
  if (version === 1) return (fnv1a32(value + seed) % 1000) / 1000;
  return null;
}

export function getEqualWeights(numVariations: number): number[] {
  if (numVariations <= 0) return [];
  return new Array<number>(numVariations).fill(1 / numVariations);
}

/**
 * Each variation owns `[start, start + coverage × weight)` where starts are the cumulative weights:
 * lowering coverage shrinks each range from its start and never moves a visitor between variations.
 */
export function getBucketRanges(
  numVariations: number,
  coverage: number | null | undefined = 1,
  weights?: readonly number[] | null,
): VariationRange[] {
  const c = Math.min(1, Math.max(0, coverage ?? 1));
  const equal = getEqualWeights(numVariations);
  let w: readonly number[] = weights ?? equal;
  if (w.length !== numVariations) w = equal;
  const total = w.reduce((sum, x) => sum + x, 0);
  if (total < 0.99 || total > 1.01) w = equal;
  let cumulative = 0;
  return w.map((weight) => {
    const start = cumulative;
    cumulative += weight;
    return [start, start + c * weight] as const;
  });
}

/** Index of the range holding n (start inclusive, end exclusive), or -1: not in the experiment. */
export function chooseVariation(n: number, ranges: readonly VariationRange[]): number {
  return ranges.findIndex(([start, end]) => n >= start && n < end);
}

/** Namespaces split visitors between mutually exclusive experiments, always with hash v1. */
export function inNamespace(hashValue: string, namespace: Namespace): boolean {
  const n = hash(`__${namespace[0]}`, hashValue, 1);
  return n !== null && n >= namespace[1] && n < namespace[2];
}

const OUT: Assignment = { inExperiment: false, variationId: 0, bucket: null, hashUsed: false };

/**
 * GrowthBook's `run()` for what we support (no conditions, URL targeting, sticky buckets or QA
 * mode): fewer than 2 variations, inactive, a missing hash attribute, outside the namespace, an
 * unknown hash version or outside the coverage all mean control, not in the experiment.
 */
export function assignVariation(experiment: ExperimentDefinition, attributes: Attributes = {}): Assignment {
  const variations = experiment.variations;
  const count = typeof variations === 'number' ? variations : variations.length;
  if (count < 2 || experiment.active === false) return OUT;
  const raw = attributes[experiment.hashAttribute || 'id'];
  // GrowthBook tests truthiness: '', 0, false, null and undefined all mean "no id".
  if (!raw) return OUT;
  const value = String(raw);
  if (experiment.namespace && !inNamespace(value, experiment.namespace)) return OUT;
  const n = hash(experiment.seed || experiment.key, value, experiment.hashVersion || 1);
  if (n === null) return OUT;
  const assigned = chooseVariation(n, getBucketRanges(count, experiment.coverage ?? 1, experiment.weights));
  if (assigned < 0) return OUT;
  const force = experiment.force;
  if (force !== undefined && force !== null) {
    const valid = Number.isInteger(force) && force >= 0 && force < count;
    return { inExperiment: valid, variationId: valid ? force : 0, bucket: null, hashUsed: false };
  }
  return { inExperiment: true, variationId: assigned, bucket: n, hashUsed: true };
}
