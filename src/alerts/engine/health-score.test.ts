import { describe, expect, it } from 'vitest';
import type { AlertInstance } from './engine-state.ts';
import { healthScore, healthScoreByDomain } from './health-score.ts';

type Partial = Pick<AlertInstance, 'state' | 'severity'> & {
  domain?: string;
  silenced?: boolean;
  suppressed?: boolean;
  acked?: boolean;
};
let serial = 0;
function alert(p: Partial): AlertInstance {
  return {
    fingerprint: String(++serial),
    rule: 'r',
    labels: p.domain ? { domain: p.domain } : {},
    annotations: {},
    severity: p.severity,
    state: p.state,
    activeAt: '2025-06-02T10:00:00.000Z',
    latched: false,
    value: null,
    lastEvaluatedAt: '2025-06-02T10:00:00.000Z',
    escalatedSteps: 0,
    escalatedTo: [],
    silencedBy: p.silenced ? ['s'] : [],
    suppressedBy: p.suppressed ? ['w'] : [],
    ...(p.acked ? { acknowledgedAt: '2025-06-02T10:00:00.000Z', acknowledgedBy: 'owner' } : {}),
  };
}
const firing = (severity: AlertInstance['severity'], extra: Omit<Partial, 'state' | 'severity'> = {}) =>
  alert({ state: 'firing', severity, ...extra });

describe('health score (seed: 100 − 30/15/5/1 per critical/high/medium/low)', () => {
  it.each([
    [[], 100, 'excellent'],
    [[firing('low')], 99, 'excellent'],
    [[firing('high'), firing('low'), firing('low'), firing('low'), firing('low')], 81, 'excellent'],
    [[firing('high'), firing('medium')], 80, 'good'],
    [[firing('critical'), firing('medium')], 65, 'good'],
    [[firing('critical'), firing('high'), firing('medium'), firing('medium')], 45, 'warning'],
    [[firing('critical'), firing('critical')], 40, 'critical'],
    [[firing('critical'), firing('critical'), firing('critical'), firing('critical')], 0, 'critical'],
  ])('%#: score %d, %s', (alerts, score, status) => {
    const h = healthScore(alerts);
    expect(h.score).toBe(score);
    expect(h.status).toBe(status);
  });

  it('counts acknowledged firing alerts; not pending, resolved, silenced or suppressed ones', () => {
    const h = healthScore([
      firing('critical', { acked: true }),
      alert({ state: 'pending', severity: 'critical' }),
      alert({ state: 'resolved', severity: 'critical' }),
      firing('critical', { silenced: true }),
      firing('high', { suppressed: true }),
    ]);
    expect(h).toEqual({ score: 70, status: 'good', counts: { critical: 1, high: 0, medium: 0, low: 0 } });
  });

  it('per domain, portfolio-wide alerts count for every domain', () => {
    const scores = healthScoreByDomain(
      [firing('critical', { domain: 'fixie.run' }), firing('medium')],
      ['fixie.run', 'seobiz.be'],
    );
    expect(scores['fixie.run']?.score).toBe(65);
    expect(scores['seobiz.be']?.score).toBe(95);
  });
});
