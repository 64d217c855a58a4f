import { describe, expect, it } from 'vitest';
import { DecisionRules, ExperimentMetric } from '../experiment-schema.ts';
import { guardrailBreach, recommend } from './decide.ts';
import type { VariationEffect } from './metric-analysis.ts';

const rules = DecisionRules.parse({});
const conversion = ExperimentMetric.parse({ key: 'buy', kind: 'conversion', event: 'purchase' });
const errors = ExperimentMetric.parse({
  key: 'errors',
  kind: 'conversion',
  event: 'error',
  direction: 'decrease',
});
const effect = (
  variation: string,
  improvement: number,
  chanceToWin: number,
  extra: Partial<VariationEffect> = {},
) => ({
  variation,
  improvement,
  ci: [improvement - 0.01, improvement + 0.01] as [number, number],
  chanceToWin,
  pValue: null,
  error: null,
  ...extra,
});

describe("the seed's decision rules", () => {
  it('ships the best variation past 0.99 chance to win and 2 % improvement', () => {
    const r = recommend(
      { metric: conversion, effects: [effect('a', 0.03, 0.995), effect('b', 0.05, 0.999)] },
      [],
      rules,
    );
    expect(r).toMatchObject({ action: 'ship', variation: 'b' });
    expect(r.text).toContain('5.0 % better on buy');
  });

  it('keeps running below either threshold', () => {
    expect(recommend({ metric: conversion, effects: [effect('a', 0.019, 0.999)] }, [], rules).action).toBe(
      'keep_running',
    );
    expect(recommend({ metric: conversion, effects: [effect('a', 0.05, 0.989)] }, [], rules).action).toBe(
      'keep_running',
    );
  });

  it('honours configured thresholds', () => {
    const lenient = DecisionRules.parse({ chanceToWin: 0.95, minImprovement: 0.01 });
    expect(recommend({ metric: conversion, effects: [effect('a', 0.015, 0.96)] }, [], lenient).action).toBe(
      'ship',
    );
  });

  it('keeps the control when every variation is surely worse', () => {
    const r = recommend(
      { metric: conversion, effects: [effect('a', -0.05, 0.001), effect('b', -0.03, 0.005)] },
      [],
      rules,
    );
    expect(r.action).toBe('keep_control');
    const mixed = recommend(
      { metric: conversion, effects: [effect('a', -0.05, 0.001), effect('b', 0, 0.5)] },
      [],
      rules,
    );
    expect(mixed.action).toBe('keep_running');
  });

  it('reads "better" in the metric direction: a drop in a decrease metric is a win', () => {
    const bounce = ExperimentMetric.parse({
      key: 'bounce',
      kind: 'conversion',
      event: 'bounce',
      direction: 'decrease',
    });
    // chanceToWin is already mirrored by the engine for decrease metrics
    expect(recommend({ metric: bounce, effects: [effect('a', -0.04, 0.995)] }, [], rules)).toMatchObject({
      action: 'ship',
      variation: 'a',
    });
  });

  it('stops on a guardrail significantly worse, before any winner', () => {
    const r = recommend(
      { metric: conversion, effects: [effect('a', 0.1, 0.9999)] },
      [{ metric: errors, effects: [effect('a', 0.5, 0.002)] }],
      rules,
    );
    expect(r).toMatchObject({ action: 'stop_guardrail', metric: 'errors', variation: 'a' });
  });

  it('does not stop on a guardrail that is only possibly worse, or could not be estimated', () => {
    expect(guardrailBreach([{ metric: errors, effects: [effect('a', 0.2, 0.02)] }], rules)).toBeNull();
    expect(
      guardrailBreach(
        [{ metric: errors, effects: [effect('a', 0, 0.5, { error: 'INSUFFICIENT_UNITS' })] }],
        rules,
      ),
    ).toBeNull();
  });

  it('uses p-values with the frequentist engine', () => {
    const freq = DecisionRules.parse({ engine: 'frequentist' });
    const worse = effect('a', 0.5, 0.001, { pValue: 0.001 });
    expect(guardrailBreach([{ metric: errors, effects: [worse] }], freq)).not.toBeNull();
    const better = effect('a', -0.5, 0.999, { pValue: 0.001 });
    expect(guardrailBreach([{ metric: errors, effects: [better] }], freq)).toBeNull();
  });
});
