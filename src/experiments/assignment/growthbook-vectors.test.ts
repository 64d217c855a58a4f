import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  assignVariation,
  chooseVariation,
  type ExperimentDefinition,
  fnv1a32,
  getBucketRanges,
  getEqualWeights,
  hash,
  inNamespace,
  type Namespace,
} from './standalone.ts';

// GrowthBook's SDK test cases, copied unchanged from the shared reference data (provenance in _source).
const VECTORS = new URL('./fixtures/growthbook-vectors.json', import.meta.url);

interface RunCase {
  name: string;
  context: { attributes?: Record<string, unknown> };
  experiment: ExperimentDefinition & { variations: unknown[] };
  expected: { value: unknown; inExperiment: boolean; hashUsed: boolean };
}

interface Vectors {
  hash: { cases: [string, string, number, number | null][] };
  getBucketRange: { cases: [string, [number, number, number[] | null], [number, number][]][] };
  chooseVariation: { cases: [string, number, [number, number][], number][] };
  inNamespace: { cases: [string, string, [string, number, number], boolean][] };
  getEqualWeights: { cases: [number, number[]][] };
  run_assignment_subset: { cases: RunCase[] };
}

const vectors = JSON.parse(readFileSync(VECTORS, 'utf8')) as Vectors;

// The harness compares floats floored to 8 decimals (0.2 × 0.2 is 0.04000000000000001).
const TOLERANCE = 1e-8;
const expectClose = (actual: readonly (readonly number[])[] | readonly number[], expected: unknown[]) => {
  const flat = (x: unknown): number[] => (Array.isArray(x) ? x.flatMap(flat) : [x as number]);
  const a = flat(actual);
  const e = flat(expected);
  expect(a).toHaveLength(e.length);
  for (const [i, value] of a.entries()) expect(Math.abs(value - (e[i] as number))).toBeLessThan(TOLERANCE);
};

describe('FNV-1a 32-bit', () => {
  it('gives the published offset basis and test values', () => {
    // From the FNV reference (Fowler/Noll/Vo): "" → offset basis, "a" → 0xe40c292c, "foobar" → 0xbf9cf968.
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });
});

describe('GrowthBook vectors: hash', () => {
  it.each(vectors.hash.cases)('hash(%j, %j, v%i) = %j', (seed, value, version, expected) => {
    // Hash values are compared exactly, as GrowthBook's harness does.
    expect(hash(seed, value, version)).toBe(expected);
  });
});

describe('GrowthBook vectors: getBucketRanges', () => {
  it.each(vectors.getBucketRange.cases)('%s', (_name, [count, coverage, weights], expected) => {
    expectClose(getBucketRanges(count, coverage, weights), expected);
  });
});

describe('GrowthBook vectors: chooseVariation', () => {
  it.each(vectors.chooseVariation.cases)('%s', (_name, n, ranges, expected) => {
    expect(chooseVariation(n, ranges)).toBe(expected);
  });
});

describe('GrowthBook vectors: inNamespace', () => {
  it.each(vectors.inNamespace.cases)('%s', (_name, id, namespace, expected) => {
    expect(inNamespace(id, namespace as Namespace)).toBe(expected);
  });
});

describe('GrowthBook vectors: getEqualWeights', () => {
  it.each(vectors.getEqualWeights.cases)('%i variations', (count, expected) => {
    expectClose(getEqualWeights(count), expected);
  });
});

describe('GrowthBook vectors: run (hashing, weights, coverage, namespace, seed)', () => {
  it.each(vectors.run_assignment_subset.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = assignVariation(c.experiment, c.context.attributes);
    expect(c.experiment.variations[result.variationId]).toEqual(c.expected.value);
    expect(result.inExperiment).toBe(c.expected.inExperiment);
    expect(result.hashUsed).toBe(c.expected.hashUsed);
    expect(result.bucket === null).toBe(!c.expected.hashUsed);
  });
});

describe('assignVariation beyond the vectors', () => {
  const base: ExperimentDefinition = { key: 'checkout', variations: 3, hashVersion: 2 };

  it('accepts a variation count as well as variation values', () => {
    for (const id of ['1', '2', '3', 'abc']) {
      expect(assignVariation(base, { id })).toEqual(
        assignVariation({ ...base, variations: ['a', 'b', 'c'] }, { id }),
      );
    }
  });

  it('keeps everyone on the control, out of the experiment, when inactive', () => {
    expect(assignVariation({ ...base, active: false }, { id: '1' })).toEqual({
      inExperiment: false,
      variationId: 0,
      bucket: null,
      hashUsed: false,
    });
  });

  it('shows the forced variation to whoever would be included, without a hashed exposure', () => {
    const hashed = assignVariation(base, { id: '1' });
    expect(hashed.hashUsed).toBe(true);
    expect(assignVariation({ ...base, force: 2 }, { id: '1' })).toEqual({
      inExperiment: true,
      variationId: 2,
      bucket: null,
      hashUsed: false,
    });
    // Outside the coverage the force does not apply.
    expect(assignVariation({ ...base, force: 2, coverage: 0 }, { id: '1' }).variationId).toBe(0);
  });

  it('treats an unknown hash version as not in the experiment', () => {
    expect(assignVariation({ ...base, hashVersion: 3 }, { id: '1' }).inExperiment).toBe(false);
  });

  it('hashes numbers as their decimal string, and treats 0 as no id as GrowthBook does', () => {
    expect(assignVariation(base, { id: 42 })).toEqual(assignVariation(base, { id: '42' }));
    expect(assignVariation(base, { id: 0 }).inExperiment).toBe(false);
  });
});
