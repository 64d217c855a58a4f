import { beforeAll, describe, expect, it } from 'vitest';
import { loadPortfolioFile } from '../config/load-portfolio.ts';
import type { Portfolio } from '../config/portfolio-schema.ts';
import { EXAMPLE_PORTFOLIO } from '../test-support/test-server.ts';
import {
  type KpiDefinition,
  kpiDefinitions,
  neededSources,
  toKpiUnit,
  valuesOfDay,
} from './kpi-definitions.ts';
import { unitConversion } from './metric-bindings.ts';
import type { SourceValues } from './metric-sources.ts';

describe('KPI definitions of the example portfolio', () => {
  let portfolio: Portfolio;
  let defs: KpiDefinition[];
  const def = (key: string) => defs.find((d) => d.key === key) as KpiDefinition;
  beforeAll(async () => {
    const r = await loadPortfolioFile(EXAMPLE_PORTFOLIO);
    if (!r.ok) throw new Error('example portfolio invalid');
    portfolio = r.portfolio;
    defs = kpiDefinitions(portfolio);
  });

  it('binds every key of the seed, the derived ratio to its parts', () => {
    expect(defs.map((d) => [d.key, d.binding.kind])).toEqual([
      ['mrr', 'measured'],
      ['arr', 'measured'],
      ['clv', 'measured'],
      ['cac', 'measured'],
      ['gross_margin', 'measured'],
      ['burn_rate', 'measured'],
      ['dau', 'measured'],
      ['mau', 'measured'],
      ['cross_domain_engagement', 'measured'],
      ['session_duration', 'measured'],
      ['retention_30d', 'measured'],
      ['clv_cac_ratio', 'derived'],
    ]);
    expect(neededSources(defs)).toEqual(new Set(['revenue30', 'costs30', 'engagement30']));
  });

  it('takes the dated target over the metric target, the plan value as planned', () => {
    expect(def('mrr')).toMatchObject({
      planned: 5250,
      target: 25_000,
      deadline: '2026-12-31',
      confidence: 0.85,
      category: 'Financial Performance',
      unit: 'EUR',
    });
    expect(def('cac')).toMatchObject({ planned: 42, target: 35, deadline: null, confidence: null });
    expect(def('burn_rate')).toMatchObject({ planned: null, target: null });
    expect(def('clv_cac_ratio')).toMatchObject({ unit: 'ratio', target: 12.86, deadline: '2026-08-31' });
  });

  it('values of a day: binding units stored, derived from the parts, percentages converted when shown', () => {
    const sources = {
      revenue30: { mrr: 1000, arr: 12_000, clv: 300, cac: 40, grossMargin: 0.7, revenue: 900 },
      costs30: 1500,
      engagement30: {
        mau: 50,
        stickiness: 0.2,
        crossDomainRate: 0.25,
        avgSessionDurationS: 95,
        retention30d: null,
        dailyPersons: [100, 1, 2, 3, 4, 5, 6, 7],
      },
    } as unknown as SourceValues;
    const v = valuesOfDay(defs, sources);
    expect(Object.fromEntries(v)).toEqual({
      mrr: 1000,
      arr: 12_000,
      clv: 300,
      cac: 40,
      gross_margin: 0.7,
      burn_rate: 600, // 1500 costs − 900 revenue
      dau: 4, // mean of the last 7 days: (1 + … + 7) ÷ 7
      mau: 50,
      cross_domain_engagement: 0.25,
      session_duration: 95,
      retention_30d: null,
      clv_cac_ratio: 7.5,
    });
    expect(toKpiUnit(def('gross_margin'), 0.7)).toBeCloseTo(70, 12);
    expect(toKpiUnit(def('cross_domain_engagement'), 0.25)).toBe(25);
    expect(toKpiUnit(def('clv_cac_ratio'), 7.5)).toBe(7.5);
    expect(toKpiUnit(def('mrr'), null)).toBeNull();
  });

  it('a derived ratio is undefined when a part is null or the denominator 0', () => {
    const of = (clv: number | null, cac: number | null) =>
      valuesOfDay(defs, { revenue30: { clv, cac } } as unknown as SourceValues).get('clv_cac_ratio');
    expect(of(300, null)).toBeNull();
    expect(of(null, 40)).toBeNull();
    expect(of(300, 0)).toBeNull();
  });

  it('reports unknown keys, incompatible units and derived metrics over them as unbound', () => {
    const [financial] = portfolio.kpis;
    if (!financial) throw new Error('no category');
    const odd = kpiDefinitions({
      kpis: [
        {
          ...financial,
          metrics: [
            { ...(financial.metrics[0] as (typeof financial.metrics)[0]), key: 'nps', unit: 'count' },
            { ...(financial.metrics[0] as (typeof financial.metrics)[0]), key: 'mrr', unit: 'USD' },
            { ...(financial.metrics[0] as (typeof financial.metrics)[0]), key: 'cac', unit: 'EUR' },
          ],
          derivedMetrics: [
            {
              key: 'nps_per_cac',
              name: 'x',
              numerator: 'nps',
              denominator: 'cac',
              direction: 'higher-is-better',
            },
          ],
          targets: [],
        },
      ],
    });
    const reason = (k: string) => {
      const b = odd.find((d) => d.key === k)?.binding;
      return b?.kind === 'unbound' ? b.reason : b?.kind;
    };
    expect(reason('nps')).toMatch(/^no metric verb is bound to the key "nps"; bound keys: mrr, arr/);
    expect(reason('mrr')).toBe('the metric is in EUR; unit USD has no conversion');
    expect(reason('cac')).toBe('measured');
    expect(reason('nps_per_cac')).toMatch(/^its part nps is unbound: no metric verb/);
  });
});

describe('unitConversion', () => {
  const conv = (
    native: Parameters<typeof unitConversion>[0],
    unit: Parameters<typeof unitConversion>[1],
    v: number,
  ) => {
    const c = unitConversion(native, unit);
    return c.ok ? c.convert(v) : c.reason;
  };
  it('fractions as percentages or ratios', () => {
    expect(conv('fraction', 'percentage', 0.153)).toBeCloseTo(15.3, 12);
    expect(conv('fraction', 'ratio', 0.153)).toBe(0.153);
    expect(conv('fraction', 'EUR', 0.1)).toMatch(/fraction; use unit percentage or ratio, not EUR/);
  });
  it('durations in any time unit', () => {
    expect(conv('seconds', 'minutes', 90)).toBe(1.5);
    expect(conv('seconds', 'milliseconds', 1.5)).toBe(1500);
    expect(conv('seconds', 'hours', 7200)).toBe(2);
    expect(conv('seconds', 'count', 1)).toMatch(/duration/);
  });
  it('counts as count or users; money in EUR only', () => {
    expect(conv('count', 'users', 7)).toBe(7);
    expect(conv('count', 'percentage', 7)).toMatch(/count/);
    expect(conv('EUR', 'EUR', 7)).toBe(7);
    expect(conv('EUR', 'USD', 7)).toMatch(/EUR; unit USD/);
  });
});
