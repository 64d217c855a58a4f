import { describe, expect, it } from 'vitest';
import { dedupNotifications } from './build-notification.ts';
import { matchRoutes } from './dispatch.ts';
import { emptyEngineState } from './engine-state.ts';
import { step } from './step.ts';
import { config, metric, runTimeline, summarize, type Tick } from './timeline-fixture.ts';

// Alertmanager's aggregation groups: group_wait before the first notice, group_interval between
// notices about changes, repeat_interval for reminders, group_by for what belongs together.

const T0 = new Date('2025-06-02T10:00:00Z');
const cfg = config({
  rules: [{ name: 'high_latency', expr: 'response_time_p95 > 1000ms', severity: 'critical' }],
  routes: [
    {
      id: 'ops',
      receivers: ['ops'],
      groupBy: ['alertname'],
      groupWait: '30s',
      groupInterval: '5m',
      repeatInterval: '1h',
    },
  ],
});
const slow = (...domains: string[]) => domains.map((d) => metric('response_time_p95', d, 1500));
const tick = (at: string, ...domains: string[]): Tick => ({ at, series: slow(...domains) });

describe('grouping', () => {
  it.each([
    {
      name: 'group_wait batches two alerts that start close together into one notification',
      ticks: [
        tick('0s', 'fixie.run'),
        tick('10s', 'fixie.run', 'seobiz.be'),
        tick('30s', 'fixie.run', 'seobiz.be'),
      ],
      sent: [[], [], ['ops initial firing high_latency/fixie.run=firing,high_latency/seobiz.be=firing']],
    },
    {
      name: 'a new alert in a notified group waits for the next group_interval',
      ticks: [
        tick('0s', 'fixie.run'),
        tick('30s', 'fixie.run'), // initial
        tick('1m', 'fixie.run', 'seobiz.be'),
        tick('5m', 'fixie.run', 'seobiz.be'),
        tick('5m30s', 'fixie.run', 'seobiz.be'), // group_interval after the first flush
        tick('10m30s', 'fixie.run', 'seobiz.be'), // nothing new
      ],
      sent: [
        [],
        ['ops initial firing high_latency/fixie.run=firing'],
        [],
        [],
        ['ops update firing high_latency/fixie.run=firing,high_latency/seobiz.be=firing'],
        [],
      ],
    },
    {
      name: 'a resolution inside a group is sent with the alerts still firing',
      ticks: [
        tick('0s', 'fixie.run', 'seobiz.be'),
        tick('30s', 'fixie.run', 'seobiz.be'),
        tick('2m', 'fixie.run'),
        tick('5m30s', 'fixie.run'),
        tick('10m30s', 'fixie.run'),
      ],
      sent: [
        [],
        ['ops initial firing high_latency/fixie.run=firing,high_latency/seobiz.be=firing'],
        [],
        ['ops update firing high_latency/fixie.run=firing,high_latency/seobiz.be=resolved'],
        [],
      ],
    },
    {
      name: 'repeat_interval reminds at the first flush an hour after the last notice',
      ticks: ['0s', '30s', '30m30s', '55m30s', '1h30s', '1h5m30s', '2h30s'].map((t) => tick(t, 'fixie.run')),
      sent: [
        [],
        ['ops initial firing high_latency/fixie.run=firing'],
        [],
        [],
        ['ops repeat firing high_latency/fixie.run=firing'],
        [],
        ['ops repeat firing high_latency/fixie.run=firing'],
      ],
    },
    {
      name: 'an alert that fires and resolves within group_wait is never announced',
      ticks: [tick('0s', 'fixie.run'), tick('10s'), tick('30s'), tick('5m30s')],
      sent: [[], [], [], []],
    },
    {
      name: 'a flush falls on the first evaluation after it is due (evaluations every 2m)',
      ticks: [
        tick('0s', 'fixie.run'),
        tick('2m', 'fixie.run', 'seobiz.be'),
        tick('4m', 'fixie.run', 'seobiz.be'),
        tick('6m', 'fixie.run', 'seobiz.be'),
      ],
      sent: [[], ['ops initial firing high_latency/fixie.run=firing,high_latency/seobiz.be=firing'], [], []],
    },
  ])('$name', ({ ticks, sent }) => {
    expect(runTimeline(cfg, T0, ticks).map((r) => r.sent)).toEqual(sent);
  });

  it('group_by splits alerts into groups with their own timers and keys', () => {
    const byDomain = config({
      rules: cfg.rules,
      routes: [{ id: 'ops', receivers: ['ops', 'oncall'], groupBy: ['domain'], groupWait: '30s' }],
    });
    const run = runTimeline(byDomain, T0, [
      tick('0s', 'fixie.run'),
      tick('20s', 'fixie.run', 'seobiz.be'),
      tick('30s', 'fixie.run', 'seobiz.be'),
      tick('50s', 'fixie.run', 'seobiz.be'),
    ]);
    expect(run.map((r) => r.sent)).toEqual([
      [],
      [],
      [
        'ops initial firing high_latency/fixie.run=firing',
        'oncall initial firing high_latency/fixie.run=firing',
      ],
      [
        'ops initial firing high_latency/seobiz.be=firing',
        'oncall initial firing high_latency/seobiz.be=firing',
      ],
    ]);
    const n = run[2]?.result.notifications[0];
    expect(n?.groupKey).toBe('ops:{domain="fixie.run"}');
    expect(n?.groupLabels).toEqual({ domain: 'fixie.run' });
    expect(n?.commonLabels).toEqual({ alertname: 'high_latency', severity: 'critical', domain: 'fixie.run' });
  });

  it("group_by ['...'] makes one group per alert", () => {
    const each = config({
      rules: cfg.rules,
      routes: [{ id: 'ops', receivers: ['ops'], groupBy: ['...'], groupWait: '0s' }],
    });
    const run = runTimeline(each, T0, [tick('0s', 'fixie.run', 'seobiz.be')]);
    expect(run[0]?.sent).toEqual([
      'ops initial firing high_latency/fixie.run=firing',
      'ops initial firing high_latency/seobiz.be=firing',
    ]);
  });

  it('routes: the first match wins unless it continues; unmatched alerts reach no one but stay visible', () => {
    const routed = config({
      rules: [
        { name: 'high_latency', expr: 'response_time_p95 > 1s', severity: 'critical' },
        { name: 'low_conversion', expr: 'conversion_rate < 2%', severity: 'medium' },
        { name: 'slow_page', expr: 'response_time_p95 > 500ms', severity: 'low' },
      ],
      routes: [
        {
          id: 'pager',
          matchers: ['severity="critical"'],
          receivers: ['pagerduty'],
          groupWait: '0s',
          continue: true,
        },
        {
          id: 'ops',
          matchers: [{ name: 'severity', op: '=~', value: 'critical|high' }],
          receivers: ['slack'],
          groupWait: '0s',
        },
        { id: 'business', matchers: ['alertname=~"low_.*"'], receivers: ['email'], groupWait: '0s' },
      ],
    });
    const run = runTimeline(routed, T0, [
      {
        at: '0s',
        series: [
          metric('response_time_p95', 'fixie.run', 1500),
          metric('conversion_rate', 'fixie.run', 0.01),
        ],
      },
    ]);
    expect(run[0]?.sent).toEqual([
      'pagerduty initial firing high_latency/fixie.run=firing',
      'slack initial firing high_latency/fixie.run=firing',
      'email initial firing low_conversion/fixie.run=firing',
    ]);
    expect(run[0]?.alerts['slow_page/fixie.run']).toBe('firing');
    expect(matchRoutes(routed.routes, { severity: 'low', alertname: 'slow_page' })).toEqual([]);
  });

  it('a route removed from the config drops its groups', () => {
    const first = step(emptyEngineState(), { config: cfg, snapshot: { series: slow('fixie.run') } }, T0);
    expect(Object.keys(first.state.groups)).toEqual(['ops:{alertname="high_latency"}']);
    const rerouted = config({
      rules: cfg.rules,
      routes: [{ id: 'other', receivers: ['x'], groupWait: '0s' }],
    });
    const next = step(
      first.state,
      { config: rerouted, snapshot: { series: slow('fixie.run') } },
      new Date(T0.getTime() + 60_000),
    );
    expect(Object.keys(next.state.groups)).toEqual(['other:{alertname="high_latency"}']);
    expect(next.notifications.map(summarize)).toEqual(['x initial firing high_latency/fixie.run=firing']);
  });

  it('dedup drops a notification identical to one already produced at the same evaluation', () => {
    const first = step(
      emptyEngineState(),
      {
        config: config({ ...cfg, routes: [{ id: 'ops', receivers: ['ops'], groupWait: '0s' }] }),
        snapshot: { series: slow('fixie.run') },
      },
      T0,
    );
    const n = first.notifications[0];
    expect(n).toBeDefined();
    if (!n) return;
    expect(
      dedupNotifications([
        n,
        { ...n },
        { ...n, reason: 'repeat' },
        { ...n, createdAt: '2025-06-02T10:01:00.000Z' },
      ]),
    ).toHaveLength(3);
  });
});
