import { describe, expect, it } from 'vitest';
import { AlertExpr } from '../alert-rule-schema.ts';
import { changePct, type EvalContext, evaluateExpr } from './evaluate-expr.ts';
import { config, metric, runTimeline } from './timeline-fixture.ts';

// Expressions against a metric snapshot: one verdict per label set. Thresholds are written in
// any unit and compared in base units (ms, ratio); changes against the caller's baselines.

const NOW = new Date('2025-06-02T10:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

function verdicts(
  expr: unknown,
  ctx: Partial<EvalContext> & Pick<EvalContext, 'snapshot'>,
): Record<string, boolean> {
  const result = evaluateExpr(AlertExpr.parse(expr), { now: NOW, ...ctx });
  return Object.fromEntries([...result.values()].map((s) => [s.labels.domain ?? '-', s.active]));
}

describe('threshold', () => {
  it.each([
    ['response_time_p95 > 1000ms', 1001, true],
    ['response_time_p95 > 1000ms', 1000, false],
    ['response_time_p95 > 5s', 5001, true],
    ['response_time_p95 >= 5s', 5000, true],
    ['error_rate > 1%', 0.011, true],
    ['error_rate > 1%', 0.01, false],
    ['availability < 99%', 0.985, true],
    ['availability < 99%', 0.995, false],
    ['user_acquisition_cost > 100EUR', 120, true],
    ['conversion_rate <= 0.02', 0.02, true],
    ['failed_login_attempts == 0', 0, true],
    ['failed_login_attempts != 0', 0, false],
  ])('%s with %d → %s', (expr, value, active) => {
    const metricName = String(expr).split(/\s/)[0] ?? '';
    expect(verdicts(expr, { snapshot: { series: [metric(metricName, 'fixie.run', value)] } })).toEqual({
      'fixie.run': active,
    });
  });

  it('no value means not active; a domain scope filters the series', () => {
    const series = [
      metric('error_rate', 'fixie.run', undefined),
      metric('error_rate', 'seobiz.be', 0.5),
      metric('error_rate', 'aiftw.be', 0.5),
    ];
    expect(verdicts('error_rate > 1%', { snapshot: { series } })).toEqual({
      'fixie.run': false,
      'seobiz.be': true,
      'aiftw.be': true,
    });
    expect(verdicts('error_rate > 1%', { snapshot: { series }, domains: ['seobiz.be'] })).toEqual({
      'seobiz.be': true,
    });
  });
});

describe('change', () => {
  it('computes a signed percentage against the baseline; none without a usable baseline', () => {
    expect(changePct(90, 100)).toBeCloseTo(-10);
    expect(changePct(-50, -100)).toBeCloseTo(50);
    expect(changePct(90, 0)).toBeUndefined();
    expect(changePct(undefined, 100)).toBeUndefined();
  });

  it.each([
    ['mrr decrease > 10% week-over-week', { 'week-over-week': 1000 }, 899, true],
    ['mrr decrease > 10% week-over-week', { 'week-over-week': 1000 }, 900, false],
    ['mrr decrease > 10% week-over-week', { 'day-over-day': 1000 }, 100, false],
    ['mrr increase > 20% month-over-month', { 'month-over-month': 100 }, 121, true],
    ['mrr decrease > 15% day-over-day', { 'day-over-day': 100 }, 84, true],
    [
      'mrr decrease > 15% same-hour-last-week',
      { 'same-hour-last-week': 200, 'week-over-week': 100 },
      160,
      true,
    ],
    [
      'mrr decrease > 15% same-hour-last-week',
      { 'same-hour-last-week': 100, 'week-over-week': 200 },
      160,
      false,
    ],
  ])('%s, baseline %o, now %d → %s', (expr, baseline, value, active) => {
    expect(verdicts(expr, { snapshot: { series: [metric('mrr', undefined, value, { baseline })] } })).toEqual(
      { '-': active },
    );
  });

  it('a same-hour-last-week rule fires on a Monday-morning dip the weekly average hides', () => {
    const cfg = config({
      rules: [
        {
          name: 'traffic_dip',
          expr: 'visitors decrease > 30% same-hour-last-week',
          for: '10m',
          severity: 'high',
        },
      ],
      routes: [{ id: 'ops', receivers: ['ops'], groupWait: '0s' }],
    });
    // This hour 400 visitors against 1000 at the same hour last week; the week as a whole is flat.
    const series = [
      metric('visitors', 'fixie.run', 400, {
        baseline: { 'same-hour-last-week': 1000, 'week-over-week': 410 },
      }),
    ];
    const run = runTimeline(cfg, NOW, [
      { at: '0s', series },
      { at: '10m', series },
    ]);
    expect(run.map((r) => r.sent)).toEqual([[], ['ops initial firing traffic_dip/fixie.run=firing']]);
    expect(run[1]?.result.notifications[0]?.alerts[0]?.labels.domain).toBe('fixie.run');
    expect(
      run[1]?.result.state.alerts[Object.keys(run[1]?.result.state.alerts ?? {})[0] ?? '']?.value,
    ).toBeCloseTo(-60);
  });
});

describe('absence', () => {
  const expr = { kind: 'absence', metric: 'events', forMinutes: 30 };
  it('is active for a domain silent 30 minutes or more, or never seen, or with no series at all', () => {
    const series = [
      metric('events', 'fixie.run', undefined, { lastSeenAt: minutesAgo(29) }),
      metric('events', 'seobiz.be', undefined, { lastSeenAt: minutesAgo(30) }),
      metric('events', 'aiftw.be', undefined),
    ];
    expect(
      verdicts(expr, {
        snapshot: { series, domains: ['fixie.run', 'seobiz.be', 'aiftw.be', 'puffs-store.com'] },
      }),
    ).toEqual({
      'fixie.run': false,
      'seobiz.be': true,
      'aiftw.be': true,
      'puffs-store.com': true,
    });
  });

  it("a rule's domain scope replaces the portfolio's list", () => {
    const series = [metric('events', 'fixie.run', undefined, { lastSeenAt: minutesAgo(1) })];
    expect(verdicts(expr, { snapshot: { series, domains: ['seobiz.be'] }, domains: ['fixie.run'] })).toEqual({
      'fixie.run': false,
    });
  });

  it('fires per domain through the engine, and resolves when events come back', () => {
    const cfg = config({
      rules: [{ name: 'no_events', expr, severity: 'high' }],
      routes: [{ id: 'ops', receivers: ['ops'], groupWait: '0s', groupInterval: '1m' }],
    });
    const seen = (m: number) => [
      metric('events', 'fixie.run', undefined, {
        lastSeenAt: new Date(NOW.getTime() + m * 60_000).toISOString(),
      }),
    ];
    const run = runTimeline(cfg, NOW, [
      { at: '0s', series: seen(0), domains: ['fixie.run'] },
      { at: '30m', series: seen(0), domains: ['fixie.run'] },
      { at: '31m', series: seen(31), domains: ['fixie.run'] },
    ]);
    expect(run.map((r) => r.sent)).toEqual([
      [],
      ['ops initial firing no_events/fixie.run=firing'],
      ['ops resolved resolved no_events/fixie.run=resolved'],
    ]);
  });
});

describe('anomaly', () => {
  const expr = { kind: 'anomaly', metric: 'blockchain_transactions' };
  it('is active at a score at or above the sensitivity (0.95 by default)', () => {
    const series = [
      metric('blockchain_transactions', 'fixie.run', 3, { anomalyScore: 0.95 }),
      metric('blockchain_transactions', 'rhymechain.win', 3, { anomalyScore: 0.94 }),
      metric('blockchain_transactions', 'seobiz.be', 3),
    ];
    expect(verdicts(expr, { snapshot: { series } })).toEqual({
      'fixie.run': true,
      'rhymechain.win': false,
      'seobiz.be': false,
    });
  });

  it('an injected detector takes precedence over the precomputed score', () => {
    const series = [metric('blockchain_transactions', 'fixie.run', 3, { anomalyScore: 0.1 })];
    const anomalyScore = (s: { value?: number }, e: { method?: string }) =>
      e.method === 'zscore' && s.value === 3 ? 0.99 : undefined;
    expect(verdicts({ ...expr, method: 'zscore' }, { snapshot: { series }, anomalyScore })).toEqual({
      'fixie.run': true,
    });
    expect(verdicts({ ...expr, method: 'other' }, { snapshot: { series }, anomalyScore })).toEqual({
      'fixie.run': false,
    });
  });
});

describe('all / any', () => {
  // The seed's contingency trigger: "System response time >5s or error rate >1%".
  const contingency = { any: ['response_time_p95 > 5s', 'error_rate > 1%'] };
  const series = [
    metric('response_time_p95', 'fixie.run', 6000),
    metric('error_rate', 'fixie.run', 0.001),
    metric('response_time_p95', 'seobiz.be', 200),
    metric('error_rate', 'seobiz.be', 0.05),
    metric('response_time_p95', 'aiftw.be', 200),
    metric('error_rate', 'aiftw.be', 0.001),
    metric('response_time_p95', 'puffs-store.com', 9000),
  ];

  it('any: active where one operand is, joined on the label set', () => {
    expect(verdicts(contingency, { snapshot: { series } })).toEqual({
      'fixie.run': true,
      'seobiz.be': true,
      'aiftw.be': false,
      'puffs-store.com': true,
    });
  });

  it('all: active where every operand is present and active', () => {
    const both = { all: ['response_time_p95 > 100ms', 'error_rate > 1%'] };
    expect(verdicts(both, { snapshot: { series } })).toEqual({
      'fixie.run': false,
      'seobiz.be': true,
      'aiftw.be': false,
      'puffs-store.com': false,
    });
  });

  it('nests', () => {
    const nested = { all: [contingency, { kind: 'threshold', metric: 'error_rate', op: '>=', value: 0 }] };
    expect(verdicts(nested, { snapshot: { series } })).toEqual({
      'fixie.run': true,
      'seobiz.be': true,
      'aiftw.be': false,
      'puffs-store.com': false,
    });
  });

  it('the value shown is that of the operand that made it fire', () => {
    const result = evaluateExpr(AlertExpr.parse(contingency), { now: NOW, snapshot: { series } });
    expect(result.get('{domain="seobiz.be"}')?.value).toBe(0.05);
    expect(result.get('{domain="fixie.run"}')?.value).toBe(6000);
  });
});
