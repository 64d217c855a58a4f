import { describe, expect, it } from 'vitest';
import { AlertRule, Silence } from '../alert-rule-schema.ts';
import type { AlertCommand } from './engine-state.ts';
import { escalationDelays } from './escalation.ts';
import { fingerprint } from './labels.ts';
import { config, metric, runTimeline, type Tick, ticksEvery } from './timeline-fixture.ts';

// The seed's escalation matrix (high → security team and CTO, critical → also the CEO) with
// per-rule delays ('immediate', 5m …), counted from the alert's first notification; an
// acknowledgement stops it; a manual resolve ends the episode.

const T0 = new Date('2025-06-02T10:00:00Z');
const cfg = config({
  rules: [
    { name: 'failed_logins', expr: 'failed_login_attempts > 100', severity: 'high', escalateAfter: '5m' },
    {
      name: 'chain_anomaly',
      expr: { kind: 'anomaly', metric: 'blockchain_transactions' },
      severity: 'critical',
      escalateAfter: 'immediate',
    },
    { name: 'suspicious_api', expr: 'suspicious_api_calls > 50', severity: 'medium', escalateAfter: '5m' },
  ],
  routes: [
    { id: 'security', receivers: ['slack'], groupBy: ['alertname'], groupWait: '30s', repeatInterval: '1d' },
  ],
  escalation: {
    high: [{ after: '15m', receivers: ['security_team', 'cto'] }],
    critical: [{ after: '15m', receivers: ['security_team', 'cto', 'ceo'] }],
  },
});
const logins = (n: number) => metric('failed_login_attempts', 'fixie.run', n);
const api = (n: number) => metric('suspicious_api_calls', 'fixie.run', n);
const chain = (score: number) =>
  metric('blockchain_transactions', 'rhymechain.win', 10, { anomalyScore: score });

const LOGINS_FP = fingerprint({ alertname: 'failed_logins', severity: 'high', domain: 'fixie.run' });
const cmd = (type: AlertCommand['type'], fp = LOGINS_FP): AlertCommand => ({
  type,
  fingerprint: fp,
  by: 'owner',
});

/** One tick a minute for `minutes`, with the series and commands given per minute. */
function minutes(
  count: number,
  series: (m: number) => Tick['series'],
  extra: (m: number) => Partial<Tick> = () => ({}),
): Tick[] {
  return ticksEvery(T0, '0s', `${count}m`, '1m', (ms) => series(ms / 60_000) ?? []).map((t, m) => ({
    ...t,
    ...extra(m),
  }));
}
const sentByMinute = (run: ReturnType<typeof runTimeline>) =>
  Object.fromEntries(run.flatMap((r, minute) => (r.sent.length > 0 ? [[minute, r.sent]] : [])));

describe('escalation', () => {
  it('high: security team and CTO when unacknowledged 5 minutes after the first notice', () => {
    const run = runTimeline(
      cfg,
      T0,
      minutes(12, () => [logins(500)]),
    );
    expect(sentByMinute(run)).toEqual({
      1: ['slack initial firing failed_logins/fixie.run=firing'],
      6: [
        'security_team escalation firing failed_logins/fixie.run=firing',
        'cto escalation firing failed_logins/fixie.run=firing',
      ],
    });
    expect(run[6]?.result.notifications[0]?.groupKey).toBe(`escalation:${LOGINS_FP}`);
  });

  it("critical with 'immediate': security team, CTO and CEO together with the first notice", () => {
    const run = runTimeline(
      cfg,
      T0,
      minutes(5, () => [chain(0.99)]),
    );
    expect(sentByMinute(run)).toEqual({
      1: [
        'slack initial firing chain_anomaly/rhymechain.win=firing',
        'security_team escalation firing chain_anomaly/rhymechain.win=firing',
        'cto escalation firing chain_anomaly/rhymechain.win=firing',
        'ceo escalation firing chain_anomaly/rhymechain.win=firing',
      ],
    });
  });

  it('a severity without a matrix entry never escalates', () => {
    const run = runTimeline(
      cfg,
      T0,
      minutes(30, () => [api(80)]),
    );
    expect(sentByMinute(run)).toEqual({ 1: ['slack initial firing suspicious_api/fixie.run=firing'] });
  });

  it('an acknowledgement before the delay stops the escalation; the alert stays firing', () => {
    const run = runTimeline(
      cfg,
      T0,
      minutes(
        12,
        () => [logins(500)],
        (m) => (m === 3 ? { commands: [cmd('acknowledge')] } : {}),
      ),
    );
    expect(sentByMinute(run)).toEqual({ 1: ['slack initial firing failed_logins/fixie.run=firing'] });
    const alert = run[12]?.result.state.alerts[LOGINS_FP];
    expect(alert?.state).toBe('firing');
    expect(alert?.acknowledgedBy).toBe('owner');
  });

  it('receivers escalated to are told of the resolution at once; the route at its next flush', () => {
    const run = runTimeline(
      cfg,
      T0,
      minutes(12, (m) => [logins(m < 8 ? 500 : 0)]),
    );
    expect(sentByMinute(run)).toEqual({
      1: ['slack initial firing failed_logins/fixie.run=firing'],
      6: [
        'security_team escalation firing failed_logins/fixie.run=firing',
        'cto escalation firing failed_logins/fixie.run=firing',
      ],
      8: [
        'security_team resolved resolved failed_logins/fixie.run=resolved',
        'cto resolved resolved failed_logins/fixie.run=resolved',
      ],
      11: ['slack resolved resolved failed_logins/fixie.run=resolved'],
    });
  });

  it('a silenced alert does not escalate', () => {
    const s = Silence.parse({
      id: 's1',
      matchers: ['alertname="failed_logins"'],
      startsAt: '2025-06-02T10:00:00Z',
      endsAt: '2025-06-02T12:00:00Z',
      createdBy: 'owner',
      comment: 'pen test',
    });
    const run = runTimeline(
      cfg,
      T0,
      minutes(
        12,
        () => [logins(500)],
        () => ({ silences: [s] }),
      ),
    );
    expect(sentByMinute(run)).toEqual({});
  });

  it('multi-step policies: the rule delay replaces the first step and shifts the others', () => {
    const steps = [
      { after: '5m', receivers: ['cto'] },
      { after: '15m', receivers: ['ceo'] },
    ];
    expect(escalationDelays(steps, undefined)).toEqual([300_000, 900_000]);
    const rule = AlertRule.parse({
      name: 'failed_logins',
      expr: 'failed_login_attempts > 100',
      severity: 'high',
    });
    expect(escalationDelays(steps, rule)).toEqual([300_000, 900_000]);
    expect(escalationDelays(steps, { ...rule, escalateAfter: '2m' })).toEqual([120_000, 720_000]);
    expect(escalationDelays(steps, { ...rule, escalateAfter: 'immediate' })).toEqual([0, 600_000]);

    const staged = config({
      ...cfg,
      rules: [
        { name: 'failed_logins', expr: 'failed_login_attempts > 100', severity: 'high', escalateAfter: '2m' },
      ],
      escalation: { high: steps },
    });
    const run = runTimeline(
      staged,
      T0,
      minutes(16, () => [logins(500)]),
    );
    expect(sentByMinute(run)).toEqual({
      1: ['slack initial firing failed_logins/fixie.run=firing'],
      3: ['cto escalation firing failed_logins/fixie.run=firing'],
      13: ['ceo escalation firing failed_logins/fixie.run=firing'],
    });
  });
});

describe('operator commands', () => {
  it('manual resolve: resolved notice at the next flush, no re-fire while the expression still holds', () => {
    const run = runTimeline(
      cfg,
      T0,
      minutes(
        20,
        (m) => [logins(m < 12 || m >= 14 ? 500 : 0)],
        (m) => (m === 3 ? { commands: [cmd('resolve')] } : {}),
      ),
    );
    expect(run[3]?.moved).toEqual(['failed_logins/fixie.run firing→resolved']);
    expect(run[3]?.result.transitions[0]?.by).toBe('owner');
    expect(sentByMinute(run)).toEqual({
      1: ['slack initial firing failed_logins/fixie.run=firing'],
      6: ['slack resolved resolved failed_logins/fixie.run=resolved'],
      // Cleared at 12, back at 14: a new episode, a new group.
      15: ['slack initial firing failed_logins/fixie.run=firing'],
      20: [
        'security_team escalation firing failed_logins/fixie.run=firing',
        'cto escalation firing failed_logins/fixie.run=firing',
      ],
    });
    expect(run[10]?.alerts).toEqual({ 'failed_logins/fixie.run': 'resolved' });
    expect(run[14]?.moved).toEqual(['failed_logins/fixie.run resolved→firing']);
  });

  it('an acknowledgement lasts for the episode only', () => {
    const run = runTimeline(
      cfg,
      T0,
      minutes(
        30,
        (m) => [logins(m < 8 || m >= 12 ? 500 : 0)],
        (m) => (m === 2 ? { commands: [cmd('acknowledge')] } : {}),
      ),
    );
    // Second episode from minute 12: group wait → notice at 13, escalation 5 minutes later.
    expect(sentByMinute(run)[18]).toEqual([
      'security_team escalation firing failed_logins/fixie.run=firing',
      'cto escalation firing failed_logins/fixie.run=firing',
    ]);
  });

  it('commands for unknown or resolved alerts are ignored and reported', () => {
    const run = runTimeline(cfg, T0, [
      { at: '0s', series: [logins(500)], commands: [cmd('acknowledge', 'nope')] },
      { at: '1m', series: [logins(0)] },
      { at: '2m', series: [logins(0)], commands: [cmd('resolve')] },
    ]);
    expect(run[0]?.result.ignoredCommands).toEqual([cmd('acknowledge', 'nope')]);
    expect(run[2]?.result.ignoredCommands).toEqual([cmd('resolve')]);
  });
});
