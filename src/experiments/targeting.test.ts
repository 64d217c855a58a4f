import { describe, expect, it } from 'vitest';
import type { TargetingCondition } from './experiment-schema.ts';
import { matchesTargeting, toGrowthBookCondition } from './targeting.ts';

const visit = {
  country: 'BE',
  device: 'mobile',
  browser: 'Firefox',
  source: 'google',
  utm_campaign: 'spring-sale',
};

describe('targeting', () => {
  it('matches everyone without conditions', () => {
    expect(matchesTargeting([], {})).toBe(true);
  });

  it.each<[TargetingCondition, boolean]>([
    [{ attribute: 'country', op: 'eq', value: 'be' }, true],
    [{ attribute: 'country', op: 'eq', value: 'NL' }, false],
    [{ attribute: 'device', op: 'neq', value: 'desktop' }, true],
    [{ attribute: 'browser', op: 'in', values: ['chrome', 'firefox'] }, true],
    [{ attribute: 'browser', op: 'nin', values: ['firefox'] }, false],
    [{ attribute: 'language', op: 'nin', values: ['fr'] }, true],
    [{ attribute: 'language', op: 'in', values: ['fr'] }, false],
    [{ attribute: 'utm_campaign', op: 'contains', value: 'SALE' }, true],
    [{ attribute: 'utm_campaign', op: 'startsWith', value: 'sale' }, false],
    [{ attribute: 'pathname', op: 'contains', value: 'x' }, false],
    [{ attribute: 'source', op: 'exists' }, true],
    [{ attribute: 'medium', op: 'exists' }, false],
    [{ attribute: 'medium', op: 'notExists' }, true],
  ])('%j → %s', (condition, expected) => {
    expect(matchesTargeting([condition], visit)).toBe(expected);
  });

  it('needs every condition (AND); empty strings are unknown', () => {
    const both: TargetingCondition[] = [
      { attribute: 'country', op: 'eq', value: 'BE' },
      { attribute: 'device', op: 'eq', value: 'desktop' },
    ];
    expect(matchesTargeting(both, visit)).toBe(false);
    expect(matchesTargeting([{ attribute: 'country', op: 'exists' }], { country: '' })).toBe(false);
  });

  it('translates to a GrowthBook condition', () => {
    expect(toGrowthBookCondition([])).toEqual({});
    expect(toGrowthBookCondition([{ attribute: 'country', op: 'in', values: ['BE', 'NL'] }])).toEqual({
      country: { $in: ['BE', 'NL'] },
    });
    expect(
      toGrowthBookCondition([
        { attribute: 'device', op: 'neq', value: 'desktop' },
        { attribute: 'pathname', op: 'startsWith', value: '/shop.' },
      ]),
    ).toEqual({
      $and: [{ device: { $ne: 'desktop' } }, { pathname: { $regex: '^/shop\\.', $options: 'i' } }],
    });
  });
});
