import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { Portfolio } from '../../config/portfolio-schema.ts';
import { AlertingConfig, receiverNames, SuppressionWindow } from '../alert-rule-schema.ts';
import { matchRoutes } from './dispatch.ts';
import { rulesFromKpiAlerts } from './kpi-alert-rules.ts';
import { metric, runTimeline, ticksEvery } from './timeline-fixture.ts';

// The seed's performance, business and security alerts as the example portfolio ships them: the
// `alerting:` section of examples/seed-portfolio.yaml (or, until it is merged there, the fragment
// .tmp/alerts-fragment.yaml it comes from).

const EXAMPLE = new URL('../../../examples/seed-portfolio.yaml', import.meta.url);
const FRAGMENT = new URL('../../../.tmp/alerts-fragment.yaml', import.meta.url);

function seedAlerting(): unknown {
  const example = parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, unknown>;
  if (example.alerting !== undefined) return example.alerting;
  if (!existsSync(FRAGMENT)) throw new Error('examples/seed-portfolio.yaml has no alerting: section');
  return (parse(readFileSync(FRAGMENT, 'utf8')) as Record<string, unknown>).alerting;
}

function parsed(): AlertingConfig {
  const result = AlertingConfig.safeParse(seedAlerting());
  if (!result.success) throw new Error(z.prettifyError(result.error));
  return result.data;
}

describe("the example portfolio's alerting section", () => {
  const cfg = parsed();

  it("holds the seed's rules with their severities and escalation times", () => {
    const summary = Object.fromEntries(
      cfg.rules.map((r) => [r.name, `${r.severity} ${r.escalateAfter ?? '-'}`]),
    );
    expect(summary).toEqual({
      response_time_p95_high: 'critical 5m',
      error_rate_high: 'critical 2m',
      availability_low: 'critical 1m',
      domain_silent: 'high 15m',
      scalability_contingency: 'critical immediate',
      latency_regression: 'medium -',
      tls_expires_21d: 'low -',
      tls_expires_14d: 'medium -',
      tls_expires_7d: 'high -',
      revenue_drop: 'high 15m',
      conversion_rate_low: 'medium 30m',
      acquisition_cost_high: 'medium 1h',
      failed_logins_high: 'high immediate',
      suspicious_api_calls_high: 'medium 5m',
      blockchain_transaction_anomaly: 'critical immediate',
      relayer_rpc_down: 'critical -',
      relayer_queue_stuck: 'high -',
      relayer_failed_entries: 'high -',
      reconciliation_difference: 'critical -',
    });
    const perf = cfg.rules.filter(
      (r) =>
        r.labels.area === 'performance' && r.name !== 'scalability_contingency' && r.labels.check !== 'tls',
    );
    for (const r of perf.filter((r) => r.name !== 'domain_silent'))
      expect(r.suppressDuring).toEqual(['deployment', 'maintenance']);
    expect(cfg.rules.find((r) => r.name === 'blockchain_transaction_anomaly')?.expr).toEqual({
      kind: 'anomaly',
      metric: 'blockchain_transactions',
      sensitivity: 0.95,
    });
  });

  it('routes each area to its receivers; business only in Brussels business hours', () => {
    const route = (labels: Record<string, string>) => matchRoutes(cfg.routes, labels).map((r) => r.id);
    expect(route({ area: 'security' })).toEqual(['security']);
    expect(route({ area: 'rewards' })).toEqual(['rewards']);
    expect(route({ area: 'performance' })).toEqual(['performance']);
    expect(route({ area: 'business' })).toEqual(['business']);
    expect(route({ source: 'kpi' })).toEqual(['kpi']);
    expect(cfg.routes.find((r) => r.id === 'business')?.businessHours?.timeZone).toBe('Europe/Brussels');
    expect(cfg.escalation).toEqual({
      high: [{ after: '15m', receivers: ['security-team', 'cto'] }],
      critical: [{ after: '5m', receivers: ['security-team', 'cto', 'ceo'] }],
    });
    expect(receiverNames(cfg)).toEqual(['ceo', 'cto', 'email', 'pagerduty', 'security-team', 'slack']);
  });

  it('every KPI alert of the example becomes a rule the kpi route takes', () => {
    const portfolio = Portfolio.parse(parse(readFileSync(EXAMPLE, 'utf8')));
    const rules = rulesFromKpiAlerts(portfolio.kpis);
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.find((r) => r.name === 'kpi_mrr_decrease_week_over_week')?.expr).toEqual({
      kind: 'change',
      metric: 'mrr',
      direction: 'decrease',
      thresholdPct: 10,
      window: 'week-over-week',
    });
    const withKpis = AlertingConfig.parse({ ...cfg, rules: [...cfg.rules, ...rules] });
    for (const r of rules)
      expect(matchRoutes(withKpis.routes, { ...r.labels, alertname: r.name }).map((x) => x.id)).toEqual([
        'kpi',
      ]);
  });

  it('a slow domain during a deployment stays quiet; after it, the pager and the escalation matrix', () => {
    const start = new Date('2025-06-03T12:00:00Z');
    const deployment = SuppressionWindow.parse({
      id: 'deploy-42',
      kind: 'deployment',
      matchers: ['domain="fixie.run"'],
      startsAt: '2025-06-03T12:00:00Z',
      endsAt: '2025-06-03T12:10:00Z',
    });
    const ticks = ticksEvery(start, '0s', '20m', '1m', () => [
      metric('response_time_p95', 'fixie.run', 1400),
      metric('error_rate', 'fixie.run', 0.001),
      metric('availability', 'fixie.run', 0.999),
    ]).map((t) => ({ ...t, suppressions: [deployment] }));
    const run = runTimeline(cfg, start, ticks);
    const sent = Object.fromEntries(run.flatMap((r, m) => (r.sent.length > 0 ? [[m, r.sent]] : [])));
    // Fires at 2m (for: 2m) but is suppressed until 10m; group flushes at 2m30s + 5m steps → 13m.
    expect(sent).toEqual({
      13: ['slack', 'email', 'pagerduty'].map(
        (r) => `${r} initial firing response_time_p95_high/fixie.run=firing`,
      ),
      18: ['security-team', 'cto', 'ceo'].map(
        (r) => `${r} escalation firing response_time_p95_high/fixie.run=firing`,
      ),
    });
  });
});
