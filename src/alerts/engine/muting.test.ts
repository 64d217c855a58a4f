import { describe, expect, it } from 'vitest';
import { Silence, SuppressionWindow } from '../alert-rule-schema.ts';
import { alertDisplayStatus } from './alert-status.ts';
import { silenceMatchersFor } from './silence-for-alert.ts';
import { config, metric, runTimeline, stateAfter, type Tick, ticksEvery } from './timeline-fixture.ts';

// Silences mute by label matchers between startsAt and endsAt; suppression windows mute the
// rules that opted into their kind. Muted alerts keep their state and stay visible.

const T0 = new Date('2025-06-02T10:00:00Z');
const at = (offset: string) => new Date(T0.getTime() + Number.parseInt(offset, 10) * 60_000).toISOString();

const cfg = config({
  rules: [
    {
      name: 'high_latency',
      expr: 'response_time_p95 > 1000ms',
      severity: 'critical',
      suppressDuring: ['deployment', 'maintenance'],
    },
    { name: 'failed_logins', expr: 'failed_login_attempts > 100', severity: 'high' },
  ],
  routes: [{ id: 'ops', receivers: ['ops'], groupBy: ['alertname'], groupWait: '30s', groupInterval: '5m' }],
});

const silence = (matchers: string[], from: string, to: string): Silence =>
  Silence.parse({
    id: `s-${from}-${to}`,
    matchers,
    startsAt: at(from),
    endsAt: at(to),
    createdBy: 'owner',
    comment: 'known issue',
  });
const window = (
  kind: SuppressionWindow['kind'],
  from: string,
  to: string,
  matchers: string[] = [],
): SuppressionWindow =>
  SuppressionWindow.parse({ id: `${kind}-${from}`, kind, matchers, startsAt: at(from), endsAt: at(to) });

/** Both rules active on fixie.run from `from` to `to` minutes, evaluated every minute. */
function both(from: number, to: number, extra: Partial<Tick> = {}): Tick[] {
  return ticksEvery(T0, '0s', '60m', '1m', (ms) => {
    const minute = ms / 60_000;
    const on = minute >= from && minute < to;
    return [
      metric('response_time_p95', 'fixie.run', on ? 1500 : 200),
      metric('failed_login_attempts', 'fixie.run', on ? 500 : 0),
    ];
  }).map((t) => ({ ...t, ...extra }));
}
const sentByMinute = (run: ReturnType<typeof runTimeline>) =>
  Object.fromEntries(run.flatMap((r, minute) => (r.sent.length > 0 ? [[minute, r.sent]] : [])));

describe('silences', () => {
  it('an alert that starts inside a silence is shown silenced and announced when the silence ends', () => {
    const s = silence(['domain="fixie.run"', 'alertname="high_latency"'], '10', '40');
    const run = runTimeline(cfg, T0, both(15, 60, { silences: [s] }));
    expect(run[20]?.alerts).toEqual({
      'high_latency/fixie.run': 'silenced',
      'failed_logins/fixie.run': 'firing',
    });
    expect(sentByMinute(run)).toEqual({
      16: ['ops initial firing failed_logins/fixie.run=firing'],
      41: ['ops initial firing high_latency/fixie.run=firing'],
    });
    const alert = stateAfter(run, 20).alerts;
    expect(Object.values(alert).map(alertDisplayStatus).sort()).toEqual(['firing', 'silenced']);
  });

  it('a silence before the alert starts or after it ends changes nothing', () => {
    const early = silence(['alertname="high_latency"'], '0', '5');
    const run = runTimeline(
      cfg,
      T0,
      both(10, 20, { silences: [early, silence(['alertname="high_latency"'], '50', '55')] }),
    );
    expect(sentByMinute(run)).toEqual({
      11: [
        'ops initial firing failed_logins/fixie.run=firing',
        'ops initial firing high_latency/fixie.run=firing',
      ],
      21: [
        'ops resolved resolved failed_logins/fixie.run=resolved',
        'ops resolved resolved high_latency/fixie.run=resolved',
      ],
    });
  });

  it('silencing a notified alert stops its repeats and leaves its resolution unannounced', () => {
    const quiet = config({ ...cfg, routes: [{ id: 'ops', receivers: ['ops'], repeatInterval: '10m' }] });
    const s = silence(['alertname=~"high_.*"'], '5', '60');
    const run = runTimeline(quiet, T0, both(0, 30, { silences: [s] }));
    expect(sentByMinute(run)).toEqual({
      1: [
        'ops initial firing failed_logins/fixie.run=firing',
        'ops initial firing high_latency/fixie.run=firing',
      ],
      11: ['ops repeat firing failed_logins/fixie.run=firing'],
      21: ['ops repeat firing failed_logins/fixie.run=firing'],
      31: ['ops resolved resolved failed_logins/fixie.run=resolved'],
    });
  });

  it('!= and !~ matchers exclude', () => {
    const s = silence(['alertname!="failed_logins"', 'domain!~"seo.*"'], '0', '60');
    const run = runTimeline(cfg, T0, both(0, 60, { silences: [s] }));
    expect(run[5]?.alerts).toEqual({
      'high_latency/fixie.run': 'silenced',
      'failed_logins/fixie.run': 'firing',
    });
  });

  it('silenceMatchersFor an alert silences exactly that alert', () => {
    const run = runTimeline(cfg, T0, both(0, 60));
    const target = Object.values(stateAfter(run, 1).alerts).find((a) => a.rule === 'high_latency');
    expect(target).toBeDefined();
    if (!target) return;
    const s: Silence = { ...silence(['x=""'], '2', '60'), matchers: silenceMatchersFor(target) };
    const silenced = runTimeline(cfg, T0, both(0, 60, { silences: [s] }));
    expect(silenced[3]?.alerts).toEqual({
      'high_latency/fixie.run': 'silenced',
      'failed_logins/fixie.run': 'firing',
    });
  });
});

describe('suppression windows (deployments, maintenance)', () => {
  it('a maintenance window mutes only the rules that opted in', () => {
    const planned = config({ ...cfg, suppressions: [window('maintenance', '0', '30')] });
    const run = runTimeline(planned, T0, both(10, 60));
    expect(run[15]?.alerts).toEqual({
      'high_latency/fixie.run': 'suppressed',
      'failed_logins/fixie.run': 'firing',
    });
    expect(sentByMinute(run)).toEqual({
      11: ['ops initial firing failed_logins/fixie.run=firing'],
      31: ['ops initial firing high_latency/fixie.run=firing'],
    });
  });

  it('an alert that fires and clears during a deployment is never announced', () => {
    const deployment = window('deployment', '5', '20', ['domain="fixie.run"']);
    const run = runTimeline(cfg, T0, both(8, 15, { suppressions: [deployment] }));
    expect(sentByMinute(run)).toEqual({
      9: ['ops initial firing failed_logins/fixie.run=firing'],
      19: ['ops resolved resolved failed_logins/fixie.run=resolved'],
    });
  });

  it("a window's matchers narrow it: a deployment of another domain mutes nothing here", () => {
    const elsewhere = window('deployment', '0', '60', ['domain="seobiz.be"']);
    const run = runTimeline(cfg, T0, both(0, 60, { suppressions: [elsewhere] }));
    expect(run[5]?.alerts).toEqual({
      'high_latency/fixie.run': 'firing',
      'failed_logins/fixie.run': 'firing',
    });
  });
});
