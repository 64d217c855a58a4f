import { describe, expect, it } from 'vitest';
import { Experiment } from './experiment-schema.ts';

const seedLike = {
  key: 'checkout-flow',
  name: 'Checkout flow',
  domains: ['adaptogenic-mushrooms.com', 'fixie.run'],
  variations: [
    { key: 'control', name: 'Current flow', weight: 0.5 },
    { key: 'simplified', name: 'Simplified flow', weight: 0.25 },
    { key: 'one-page', name: 'One-page flow', weight: 0.25 },
  ],
  metrics: { primary: { key: 'purchase', kind: 'conversion', event: 'purchase' } },
};

describe('Experiment schema', () => {
  it("applies the seed's decision rules and a fixed split by default", () => {
    const e = Experiment.parse(seedLike);
    expect(e.decision).toMatchObject({
      chanceToWin: 0.99,
      minImprovement: 0.02,
      engine: 'bayesian',
      power: 0.95,
      minimumDetectableEffect: 0.05,
    });
    expect(e).toMatchObject({ mode: 'fixed', coverage: 1, hashVersion: 2, targeting: [] });
    expect(e.metrics.primary).toMatchObject({ direction: 'increase', windowDays: 14 });
    expect(e.bandit.floor).toBe(0.01);
  });

  it('refuses weights that do not sum to 1, duplicate keys and a bad namespace range', () => {
    const bad = Experiment.safeParse({
      ...seedLike,
      variations: [
        { key: 'a', name: 'A', weight: 0.5 },
        { key: 'a', name: 'B', weight: 0.6 },
      ],
      namespace: { id: 'checkout', range: [0.5, 0.5] },
      metrics: {
        primary: { key: 'm', kind: 'conversion', event: 'purchase' },
        guardrails: [{ key: 'm', kind: 'revenue' }],
      },
    });
    expect(bad.success).toBe(false);
    const messages = bad.error?.issues.map((i) => i.message) ?? [];
    expect(messages).toEqual(
      expect.arrayContaining([
        'weights must sum to 1 (they sum to 1.1)',
        'duplicate variation key "a"',
        'duplicate metric key "m"',
        'range must be [start, end) with start < end',
      ]),
    );
  });

  it('refuses unknown fields and targeting attributes', () => {
    expect(Experiment.safeParse({ ...seedLike, trafficSplit: 1 }).success).toBe(false);
    expect(
      Experiment.safeParse({ ...seedLike, targeting: [{ attribute: 'ip', op: 'eq', value: '1' }] }).success,
    ).toBe(false);
  });
});
