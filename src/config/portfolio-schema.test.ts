import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import {
  closestName,
  derivedMetricValue,
  durationMinutes,
  Host,
  IsoDate,
  Portfolio,
  type Portfolio as PortfolioType,
  RevenueStream,
  riskScore,
} from './portfolio-schema.ts';

const EXAMPLE = new URL('../../examples/seed-portfolio.yaml', import.meta.url);

// Fixtures are plain YAML data that tests mutate at arbitrary depth.
// biome-ignore lint/suspicious/noExplicitAny: loosely typed on purpose
type Loose = any;

/** The example as plain data, fresh for each mutation. */
function raw(): Loose {
  return parse(readFileSync(EXAMPLE, 'utf8'));
}

function valid(input: unknown): PortfolioType {
  const result = Portfolio.safeParse(input);
  if (!result.success) throw new Error(z.prettifyError(result.error));
  return result.data;
}

/** Issues as `path: message` lines, to assert both where and what. */
function issues(input: unknown): string[] {
  const result = Portfolio.safeParse(input);
  expect(result.success).toBe(false);
  return (result.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);
}

const minimal = () => ({
  version: 1,
  name: 'Test',
  domains: [{ host: 'shop.example', name: 'Shop', kind: 'e-commerce' }],
});

describe('the seed example', () => {
  const p = valid(raw());

  it('has the seven named domains with their kinds', () => {
    expect(Object.fromEntries(p.domains.map((d) => [d.host, d.kind]))).toEqual({
      'adaptogenic-mushrooms.com': 'e-commerce',
      'fixie.run': 'web3-app',
      'rhymechain.win': 'nft-marketplace',
      'seobiz.be': 'saas',
      'affinitylove.eu': 'dating',
      'puffs-store.com': 'affiliate',
      'aiftw.be': 'lead-generation',
    });
    expect(p.currency).toBe('EUR');
  });

  it('encodes the five revenue streams, the affiliate one cross-platform', () => {
    expect(
      p.revenueStreams.map((s) => [
        s.name,
        s.domain ?? 'cross-platform',
        s.currentRevenue,
        s.targetRevenue,
        s.timelineMonths,
      ]),
    ).toEqual([
      ['Mushroom E-commerce', 'adaptogenic-mushrooms.com', 24000, 120000, 12],
      ['Fixie.run Subscriptions', 'fixie.run', 0, 48000, 8],
      ['NFT Marketplace Fees', 'rhymechain.win', 0, 36000, 10],
      ['SEO SaaS Platform', 'seobiz.be', 0, 54000, 6],
      ['Affiliate Commissions', 'cross-platform', 18000, 45000, 4],
    ]);
    const affiliate = p.revenueStreams[4];
    expect(affiliate?.crossPlatform).toBe(true);
    expect(p.revenueStreams.filter((s) => !s.automated).map((s) => s.id)).toEqual([
      'fixie-run-subscriptions',
    ]);
    expect(p.revenueStreams.map((s) => s.scalability)).toEqual([
      'linear',
      'exponential',
      'exponential',
      'linear',
      'linear',
    ]);
  });

  it('encodes the markets and competitors', () => {
    expect(
      p.markets.map((m) => [m.code, m.marketSizeEurBillions, m.growthRatePct, m.revenuePotential.year3]),
    ).toEqual([
      ['DE', 180.5, 8.2, 280000],
      ['FR', 145.3, 7.8, 210000],
      ['ES', 95.7, 9.1, 180000],
      ['IT', 110.2, 6.9, 195000],
      ['NL', 65.8, 7.5, 130000],
    ]);
    expect(
      p.competitors.map((c) => [
        c.name,
        c.host,
        c.marketSharePct,
        c.annualRevenue,
        c.threatLevel,
        c.web3Integration,
      ]),
    ).toEqual([
      ['STEPN', 'stepn.com', 35, 45000000, 'high', 'advanced'],
      ['Nike Run Club', 'nike.com', 28, 120000000, 'low', 'none'],
    ]);
  });

  it('encodes the KPI framework: metrics, targets, alerts and dashboards', () => {
    const [financial, engagement] = p.kpis;
    expect(p.kpis.map((c) => c.category)).toEqual(['Financial Performance', 'User Engagement']);
    const mrr = financial?.metrics.find((m) => m.key === 'mrr');
    expect(mrr).toMatchObject({
      current: 5250,
      target: 25000,
      unit: 'EUR',
      frequency: 'daily',
      owner: 'CFO',
    });
    expect(engagement?.metrics.map((m) => [m.key, m.current, m.target, m.unit, m.frequency])).toEqual([
      ['dau', 1200, 10000, 'users', 'real-time'],
      ['mau', 8500, 50000, 'users', 'daily'],
      ['cross_domain_engagement', 15, 35, 'percentage', 'daily'],
      ['session_duration', 180, 300, 'seconds', 'real-time'],
      ['retention_30d', 25, 85, 'percentage', 'weekly'],
    ]);
    expect(
      p.kpis.flatMap((c) => c.targets).map((t) => [t.metric, t.target, t.deadline, t.confidence]),
    ).toEqual([
      ['mrr', 25000, '2026-12-31', 0.85],
      ['clv_cac_ratio', 12.86, '2026-08-31', 0.9],
      ['dau', 10000, '2026-09-30', 0.8],
      ['cross_domain_engagement', 35, '2026-06-30', 0.9],
    ]);
    expect(financial?.alerts[0]).toEqual({
      metric: 'mrr',
      condition: { change: 'decrease', thresholdPct: 10, window: 'week-over-week' },
      severity: 'critical',
      action: 'Immediate revenue recovery plan',
    });
    expect(engagement?.alerts.map((a) => [a.metric, a.severity, a.condition.window])).toEqual([
      ['dau', 'high', 'week-over-week'],
      ['retention_30d', 'critical', 'month-over-month'],
    ]);
    expect(financial?.dashboards[0]?.stakeholders).toEqual(['CEO', 'CFO', 'Board']);
    expect(engagement?.dashboards[0]?.metrics).toEqual([
      'dau',
      'mau',
      'cross_domain_engagement',
      'retention_30d',
    ]);
  });

  it('computes the CLV:CAC ratio the seed targets (450 / 35 = 12.86)', () => {
    const financial = p.kpis[0];
    const ratio = financial?.derivedMetrics[0];
    if (!financial || !ratio) throw new Error('missing derived metric');
    expect(derivedMetricValue(ratio, financial.metrics, 'target')).toBeCloseTo(12.86, 2);
    expect(derivedMetricValue(ratio, financial.metrics, 'current')).toBeCloseTo(285 / 42, 10);
  });

  it('encodes the risks; their scores match the seed', () => {
    expect(p.risks.map((r) => [r.category, r.probability, r.impact])).toEqual([
      ['technical', 0.35, 0.85],
      ['market', 0.65, 0.75],
      ['operational', 0.25, 0.8],
      ['financial', 0.2, 0.95],
      ['regulatory', 0.4, 0.7],
    ]);
    const seedScores = [0.2975, 0.4875, 0.2, 0.19, 0.28];
    p.risks.forEach((r, i) => {
      expect(riskScore(r)).toBeCloseTo(seedScores[i] ?? Number.NaN, 10);
    });
    expect(p.risks[1]?.contingency).toMatchObject({ recoveryTime: '60 days', responsible: 'CEO' });
    expect(p.risks.every((r) => r.mitigations.length === 4 && r.contingency.actions.length === 4)).toBe(true);
  });

  it('encodes roadmap phase 1 with its budget equal to its resources', () => {
    const phase = p.roadmap.phases[0];
    expect(p.roadmap.phases).toHaveLength(1);
    expect(phase).toMatchObject({ start: '2025-12-01', end: '2026-02-28', budget: 70000, riskLevel: 'low' });
    expect(phase?.resources.map((r) => r.cost)).toEqual([45000, 15000, 10000]);
    expect(phase?.deliverables.map((d) => d.deadline)).toEqual(['2025-12-31', '2026-01-15', '2026-02-28']);
    expect(phase?.milestones.map((m) => m.name)).toEqual([
      'Infrastructure Migration Complete',
      'AI Agents Operational',
      'Web3 Beta Launch',
    ]);
    expect(phase?.milestones[2]?.criteria).toEqual(['1,000+ Web3 users', 'basic functionality working']);
    expect(phase?.workstreams.map((w) => w.month)).toEqual([1, 1, 2, 2, 3, 3]);
  });

  it('encodes the baseline, yearly targets, scenarios and investment', () => {
    const f = p.financials;
    expect(f?.baseline).toEqual({ annualRevenue: 63000, mrr: 5250, monthlyGrowthPct: 15 });
    expect(f?.goal).toEqual({ annualRevenue: 300000, profitMarginPct: 65, by: '2026-12-31' });
    const [y1, y2] = f?.targets ?? [];
    expect(y1).toMatchObject({
      year: 2026,
      revenue: 350000,
      mrr: 32000,
      grossMarginPct: 74,
      netMarginPct: 68,
      ebitda: 238000,
    });
    expect(y1).toMatchObject({
      cac: 25,
      clv: 520,
      paybackMonths: 4.5,
      monthlyChurnPct: 3.2,
      cashflowPositiveByMonth: 4,
    });
    expect(y1?.breakdown.map((b) => [b.category, b.amount, b.sharePct])).toEqual([
      ['e-commerce', 126000, 36],
      ['web3', 84000, 24],
      ['affiliate', 35000, 10],
      ['saas', 56000, 16],
      ['consulting', 28000, 8],
      ['other', 21000, 6],
    ]);
    expect(y2).toMatchObject({ year: 2027, revenue: 875000, mrr: 72500, yoyGrowthPct: 150 });
    expect(y2?.valuation?.estimatedValue).toEqual({ min: 8750000, max: 13100000 });
    expect(f?.scenarios.map((s) => [s.name, s.annualRevenue, s.pctOfTarget, s.probability])).toEqual([
      ['conservative', 280000, 80, 0.95],
      ['realistic', 350000, 100, 0.85],
      ['optimistic', 525000, 150, 0.65],
    ]);
    expect(f?.investment?.total).toEqual({ min: 360000, max: 480000 });
    expect(f?.investment?.breakEvenMonth).toEqual({ min: 8, max: 10 });
  });
});

describe('Portfolio schema', () => {
  it('accepts a minimal portfolio and fills in the defaults', () => {
    const p = valid(minimal());
    expect(p.currency).toBe('EUR');
    expect(p.domains[0]?.status).toBe('active');
    expect(p.domains[0]?.markets).toEqual([]);
    expect(p.revenueStreams).toEqual([]);
    expect(p.roadmap).toEqual({ phases: [] });
    expect(p.financials).toBeUndefined();
  });

  it('rejects unknown keys at the top level and deep inside', () => {
    const input = raw();
    input.colour = 'blue';
    input.kpis[1].alerts[0].condition.for = '2h';
    const result = Portfolio.safeParse(input);
    expect(
      result.error?.issues
        .filter((i) => i.code === 'unrecognized_keys')
        .map((i) => [i.path.join('.'), i.keys]),
    ).toEqual([
      ['kpis.1.alerts.0.condition', ['for']],
      ['', ['colour']],
    ]);
  });

  it('rejects a stored riskScore: it is derived', () => {
    const input = raw();
    input.risks[0].riskScore = 0.2975;
    expect(Portfolio.safeParse(input).error?.issues.map((i) => i.code)).toEqual(['unrecognized_keys']);
  });

  it('reports an unknown domain in a revenue stream at its exact path', () => {
    const input = raw();
    input.revenueStreams[2].domain = 'rhymechain.com';
    expect(issues(input)).toEqual([
      'revenueStreams.2.domain: unknown domain "rhymechain.com" (defined: adaptogenic-mushrooms.com, fixie.run, rhymechain.win, seobiz.be, affinitylove.eu, puffs-store.com, aiftw.be)',
    ]);
  });

  it('reports a duplicate host at the later domain', () => {
    const input = minimal();
    input.domains.push({ host: 'shop.example', name: 'Copy', kind: 'saas' });
    expect(issues(input)).toEqual(['domains.1.host: duplicate host "shop.example" (first at domains.0)']);
  });

  it('validates hostnames', () => {
    for (const good of ['fixie.run', 'a-b.c-d.example', 'xn--bcher-kva.example', 'shop.xn--p1ai']) {
      expect(Host.safeParse(good).success, good).toBe(true);
    }
    for (const bad of [
      'Shop.example',
      'https://shop.example',
      'shop.example/path',
      'shop.example:8080',
      'localhost',
      '-a.example',
      'a..example',
      'shop.example.',
    ]) {
      expect(Host.safeParse(bad).success, bad).toBe(false);
    }
    expect(Host.safeParse('Shop.example').error?.issues[0]?.message).toMatch(/lowercase/);
  });

  it('accepts only real calendar dates', () => {
    expect(IsoDate.safeParse('2024-02-29').success).toBe(true);
    for (const bad of [
      '2026-02-29',
      '2026-04-31',
      '2026-13-01',
      '2026-1-05',
      '05/01/2026',
      '2026-01-05T00:00:00Z',
    ]) {
      expect(IsoDate.safeParse(bad).success, bad).toBe(false);
    }
    const input = raw();
    input.roadmap.phases[0].milestones[1].date = '2026-02-30';
    expect(issues(input)).toEqual([
      'roadmap.phases.0.milestones.1.date: must be a real calendar date written YYYY-MM-DD',
    ]);
  });

  it('requires exactly one of domain and crossPlatform on a revenue stream', () => {
    const stream = raw().revenueStreams[0];
    expect(
      RevenueStream.safeParse({ ...stream, crossPlatform: true }).error?.issues.map((i) => i.path.join('.')),
    ).toEqual(['crossPlatform']);
    const { domain: _, ...withoutDomain } = stream;
    expect(RevenueStream.safeParse(withoutDomain).error?.issues.map((i) => i.message)).toEqual([
      'set domain (a host) or crossPlatform: true',
    ]);
    expect(RevenueStream.safeParse({ ...withoutDomain, crossPlatform: false }).success).toBe(false);
    expect(RevenueStream.safeParse({ ...withoutDomain, crossPlatform: true }).success).toBe(true);
  });

  it('bounds numbers', () => {
    const input = raw();
    input.risks[0].probability = 1.2;
    input.kpis[0].targets[0].confidence = -0.1;
    input.competitors[0].marketSharePct = 120;
    input.revenueStreams[0].targetRevenue = -1;
    input.revenueStreams[1].timelineMonths = 2.5;
    expect(issues(input).map((i) => i.split(':')[0])).toEqual([
      'revenueStreams.0.targetRevenue',
      'revenueStreams.1.timelineMonths',
      'competitors.0.marketSharePct',
      'kpis.0.targets.0.confidence',
      'risks.0.probability',
    ]);
  });

  it('checks KPI references: targets, alerts, dashboards and derived metrics', () => {
    const input = raw();
    input.kpis[0].targets[0].metric = 'mmr';
    input.kpis[1].alerts[0].metric = 'clv_cac_ratio'; // a derived key of another category: allowed
    input.kpis[1].dashboards[0].metrics[3] = 'retention';
    input.kpis[0].derivedMetrics[0].denominator = 'clv_cac_ratio'; // must be a measured metric
    input.kpis[1].metrics[3].key = 'mrr'; // duplicate across categories
    const found = issues(input);
    expect(found).toHaveLength(4);
    expect(found[0]).toBe('kpis.1.metrics.3.key: duplicate metric key "mrr" (first at kpis.0.metrics.0)');
    expect(found[1]).toMatch(
      /^kpis\.0\.derivedMetrics\.0\.denominator: unknown measured metric "clv_cac_ratio" \(defined: mrr, arr, clv, cac,/,
    );
    expect(found[2]).toBe('kpis.0.targets.0.metric: unknown metric "mmr" (did you mean "mrr"?)');
    expect(found[3]).toMatch(/^kpis\.1\.dashboards\.0\.metrics\.3: unknown metric "retention" \(defined: /);
  });

  it('checks market references and unique ids', () => {
    const input = raw();
    input.domains[0].markets = ['DE', 'BE'];
    input.risks[1].id = input.risks[0].id;
    input.roadmap.phases.push({ ...input.roadmap.phases[0] });
    expect(issues(input)).toEqual([
      'domains.0.markets.1: unknown market "BE" (defined: DE, FR, ES, IT, NL)',
      'risks.1.id: duplicate risk id "technical-scalability-failure" (first at risks.0)',
      'roadmap.phases.1.id: duplicate phase id "foundation-infrastructure" (first at roadmap.phases.0)',
    ]);
  });

  it('checks a phase: dates in order, deliverables inside it, budget equal to resources', () => {
    const input = raw();
    const phase = input.roadmap.phases[0];
    phase.budget = 75000;
    phase.deliverables[2].deadline = '2026-03-15';
    phase.workstreams[5].month = 4;
    expect(issues(input)).toEqual([
      'roadmap.phases.0.deliverables.2.deadline: 2026-03-15 is after the phase end 2026-02-28',
      'roadmap.phases.0.budget: must equal the sum of resource costs (70000)',
      'roadmap.phases.0.workstreams.5.month: the phase spans 3 month(s)',
    ]);
    const reversed = raw();
    reversed.roadmap.phases[0].end = '2025-11-30';
    expect(issues(reversed)[0]).toBe('roadmap.phases.0.end: must not be before start (2025-12-01)');
  });

  it('checks the revenue breakdown, margins and scenarios against the year target', () => {
    const input = raw();
    const y1 = input.financials.targets[0];
    y1.breakdown[0].amount = 136000; // sum 360000 and 38.9% instead of 36%
    y1.netMarginPct = 80;
    input.financials.scenarios[2].pctOfTarget = 160;
    input.financials.scenarios.push({
      name: 'realistic',
      year: 2030,
      annualRevenue: 1,
      pctOfTarget: 1,
      probability: 0.5,
    });
    expect(issues(input)).toEqual([
      'financials.targets.0.breakdown: amounts sum to 360000, not the revenue 350000',
      'financials.targets.0.breakdown.0.sharePct: amount is 38.9% of revenue, not 36%',
      'financials.targets.0.netMarginPct: must not exceed grossMarginPct (74)',
      'financials.scenarios.2.pctOfTarget: annualRevenue is 150.0% of the 2026 target revenue (350000), not 160%',
      'financials.scenarios.3.year: no financial target for 2030',
    ]);
  });

  it('checks investment totals and ranges', () => {
    const input = raw();
    input.financials.investment.total.max = 500000;
    input.financials.investment.breakEvenMonth = { min: 10, max: 8 };
    expect(issues(input)).toEqual([
      'financials.investment.breakEvenMonth.max: must be at least min (10)',
      "financials.investment.total.max: must equal the sum of the allocations' max (480000)",
    ]);
  });

  it('reports cross-references even when other fields are invalid', () => {
    const input = raw();
    input.domains[0].kind = 'shop';
    input.revenueStreams[0].domain = 'mushrooms.example';
    expect(issues(input).map((i) => i.split(':')[0])).toEqual(['domains.0.kind', 'revenueStreams.0.domain']);
  });

  it('produces a readable JSON Schema', () => {
    const schema = z.toJSONSchema(Portfolio) as {
      properties: Record<string, Loose>;
      additionalProperties: boolean;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.domains.description).toMatch(/hosts are unique/);
    const stream = schema.properties.revenueStreams.items;
    expect(stream.properties.timelineMonths.description).toMatch(/Months/);
    expect(stream.additionalProperties).toBe(false);
    expect(schema.properties.roadmap.properties.phases.items.properties.start.format).toBe('date');
  });
});

describe('closestName', () => {
  it('suggests a near name, ignoring case and separators, but not for short codes', () => {
    expect(closestName('mmr', ['mrr', 'arr', 'cac'])).toBe('mrr');
    expect(closestName('current_revenue', ['currentRevenue', 'targetRevenue'])).toBe('currentRevenue');
    expect(closestName('mitigation', ['mitigations', 'contingency'])).toBe('mitigations');
    expect(closestName('BE', ['DE', 'FR'])).toBeUndefined();
    expect(closestName('colour', ['version', 'name', 'domains'])).toBeUndefined();
  });
});

describe('derived values', () => {
  it('riskScore is probability × impact', () => {
    expect(riskScore({ probability: 0.4, impact: 0.7 })).toBeCloseTo(0.28, 12);
  });

  it('durationMinutes reads the recovery-time format', () => {
    expect(durationMinutes('30 minutes')).toBe(30);
    expect(durationMinutes('1 hour')).toBe(60);
    expect(durationMinutes('14 days')).toBe(14 * 24 * 60);
    expect(durationMinutes('2 weeks')).toBe(2 * 7 * 24 * 60);
    expect(() => durationMinutes('<30 minutes')).toThrow(/not a duration/);
  });

  it('derivedMetricValue is undefined when an input is missing or zero', () => {
    const derived = {
      key: 'r',
      name: 'R',
      numerator: 'a',
      denominator: 'b',
      direction: 'higher-is-better',
    } as const;
    const metric = (key: string, current?: number) => ({
      key,
      name: key,
      current,
      unit: 'count' as const,
      frequency: 'daily' as const,
      owner: 'o',
      description: 'd',
      direction: 'higher-is-better' as const,
    });
    expect(derivedMetricValue(derived, [metric('a', 6), metric('b', 3)], 'current')).toBe(2);
    expect(derivedMetricValue(derived, [metric('a', 6), metric('b', 0)], 'current')).toBeUndefined();
    expect(derivedMetricValue(derived, [metric('a', 6)], 'current')).toBeUndefined();
  });
});
