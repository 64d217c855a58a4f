import { describe, expect, it } from 'vitest';
import { emptyEngineState } from './engine-state.ts';
import { step } from './step.ts';
import { config, metric, runTimeline, stateAfter, type Tick } from './timeline-fixture.ts';

// inactive → pending → firing → resolved with `for`, as Prometheus does it, and what reaches the
// receivers of a plain route (group_wait 30s, group_interval 5m, repeat 4h).

const T0 = new Date('2025-06-02T10:00:00Z');
const cfg = config({
  rules: [{ name: 'high_latency', expr: 'response_time_p95 > 1000ms', for: '5m', severity: 'critical' }],
  routes: [{ id: 'ops', receivers: ['ops'] }],
});
const p95 = (value: number | undefined, domain = 'fixie.run') => [metric('response_time_p95', domain, value)];
const at = (offset: string, value: number | undefined): Tick => ({ at: offset, series: p95(value) });

describe('rule lifecycle', () => {
  it.each([
    {
      name: 'a pending alert that clears sends nothing',
      ticks: [at('0s', 1500), at('1m', 1500), at('4m', 1500), at('5m', 900), at('10m', 900)],
      sent: [[], [], [], [], []],
      moved: [
        ['high_latency/fixie.run inactive→pending'],
        [],
        [],
        ['high_latency/fixie.run pending→inactive'],
        [],
      ],
      finally: {},
    },
    {
      name: 'fires once `for` has elapsed, notified after group_wait, resolved once',
      ticks: [
        at('0s', 1500),
        at('4m59s', 1500),
        at('5m', 1500),
        at('5m30s', 1500),
        at('7m', 800),
        at('10m30s', 800),
        at('15m30s', 800),
      ],
      sent: [
        [],
        [],
        [],
        ['ops initial firing high_latency/fixie.run=firing'],
        [],
        ['ops resolved resolved high_latency/fixie.run=resolved'],
        [],
      ],
      moved: [
        ['high_latency/fixie.run inactive→pending'],
        [],
        ['high_latency/fixie.run pending→firing'],
        [],
        ['high_latency/fixie.run firing→resolved'],
        [],
        [],
      ],
      finally: { 'high_latency/fixie.run': 'resolved' },
    },
    {
      name: 'missing data counts as not holding: a firing alert resolves when its series disappears',
      ticks: [
        at('0s', 1500),
        at('5m', 1500),
        at('5m30s', 1500),
        { at: '6m', series: [] },
        at('10m30s', undefined),
      ],
      sent: [
        [],
        [],
        ['ops initial firing high_latency/fixie.run=firing'],
        [],
        ['ops resolved resolved high_latency/fixie.run=resolved'],
      ],
      moved: [
        ['high_latency/fixie.run inactive→pending'],
        ['high_latency/fixie.run pending→firing'],
        [],
        ['high_latency/fixie.run firing→resolved'],
        [],
      ],
      finally: { 'high_latency/fixie.run': 'resolved' },
    },
    {
      name: 'flapping faster than `for` never fires',
      ticks: ['0s', '2m', '4m', '6m', '8m', '10m', '12m'].map((t, i) => at(t, i % 2 === 0 ? 1500 : 500)),
      sent: [[], [], [], [], [], [], []],
      moved: [
        ['high_latency/fixie.run inactive→pending'],
        ['high_latency/fixie.run pending→inactive'],
        ['high_latency/fixie.run inactive→pending'],
        ['high_latency/fixie.run pending→inactive'],
        ['high_latency/fixie.run inactive→pending'],
        ['high_latency/fixie.run pending→inactive'],
        ['high_latency/fixie.run inactive→pending'],
      ],
      finally: { 'high_latency/fixie.run': 'pending' },
    },
  ])('$name', ({ ticks, sent, moved, finally: last }) => {
    const run = runTimeline(cfg, T0, ticks);
    expect(run.map((r) => r.sent)).toEqual(sent);
    expect(run.map((r) => r.moved)).toEqual(moved);
    expect(run.at(-1)?.alerts).toEqual(last);
  });

  it('with `for: 0s` an alert fires at the first evaluation that sees it', () => {
    const immediate = config({
      rules: [{ name: 'errors', expr: 'error_rate > 1%', severity: 'critical' }],
      routes: [{ id: 'ops', receivers: ['ops'], groupWait: '0s' }],
    });
    const run = runTimeline(immediate, T0, [{ at: '0s', series: [metric('error_rate', 'fixie.run', 0.02)] }]);
    expect(run[0]?.moved).toEqual(['errors/fixie.run inactive→firing']);
    expect(run[0]?.sent).toEqual(['ops initial firing errors/fixie.run=firing']);
  });

  it('a firing alert that flaps back through pending is announced resolved, then firing anew', () => {
    const run = runTimeline(cfg, T0, [
      at('0s', 1500),
      at('5m', 1500),
      at('5m30s', 1500), // initial
      at('6m', 500), // resolved
      at('7m', 1500), // pending again
      at('8m', 1500),
      at('10m30s', 1500), // flush: the alert is pending, not firing: its resolution is news
      at('12m', 1500), // firing again (held 5m since 7m)
      at('15m30s', 1500), // the resolved group was closed: a new group, a new initial notice
      at('20m30s', 1500), // nothing new
    ]);
    expect(run.map((r) => r.sent)).toEqual([
      [],
      [],
      ['ops initial firing high_latency/fixie.run=firing'],
      [],
      [],
      [],
      ['ops resolved resolved high_latency/fixie.run=resolved'],
      [],
      ['ops initial firing high_latency/fixie.run=firing'],
      [],
    ]);
    expect(run[7]?.moved).toEqual(['high_latency/fixie.run pending→firing']);
  });

  it('an alert that re-fires before the next flush is still firing as far as receivers know: no message', () => {
    const quick = config({
      rules: [{ name: 'high_latency', expr: 'response_time_p95 > 1000ms', severity: 'critical' }],
      routes: [{ id: 'ops', receivers: ['ops'] }],
    });
    const run = runTimeline(quick, T0, [
      at('0s', 1500),
      at('30s', 1500),
      at('1m', 500),
      at('2m', 1500),
      at('5m30s', 1500),
    ]);
    expect(run.map((r) => r.sent)).toEqual([
      [],
      ['ops initial firing high_latency/fixie.run=firing'],
      [],
      [],
      [],
    ]);
    expect(run[3]?.moved).toEqual(['high_latency/fixie.run resolved→firing']);
  });

  it('instances are per label set: two domains make two alerts with their own clocks', () => {
    const run = runTimeline(cfg, T0, [
      { at: '0s', series: [...p95(1500), ...p95(200, 'seobiz.be')] },
      { at: '2m', series: [...p95(1500), ...p95(1800, 'seobiz.be')] },
      { at: '5m', series: [...p95(1500), ...p95(1800, 'seobiz.be')] },
      { at: '7m', series: [...p95(1500), ...p95(1800, 'seobiz.be')] },
    ]);
    expect(run[2]?.alerts).toEqual({
      'high_latency/fixie.run': 'firing',
      'high_latency/seobiz.be': 'pending',
    });
    expect(run[3]?.alerts).toEqual({
      'high_latency/fixie.run': 'firing',
      'high_latency/seobiz.be': 'firing',
    });
  });

  it('removing a rule from the config resolves its firing alerts', () => {
    const run1 = runTimeline(cfg, T0, [at('0s', 1500), at('5m', 1500)]);
    const state = stateAfter(run1, 1);
    const noRules = config({ rules: [], routes: [{ id: 'ops', receivers: ['ops'] }] });
    const next = step(
      state,
      { config: noRules, snapshot: { series: p95(1500) } },
      new Date(T0.getTime() + 360_000),
    );
    expect(next.transitions.map((t) => `${t.from}→${t.to}`)).toEqual(['firing→resolved']);
  });

  it('resolved alerts are forgotten 15 minutes after their notice', () => {
    const run = runTimeline(cfg, T0, [
      at('0s', 1500),
      at('5m', 1500),
      at('5m30s', 1500),
      at('6m', 0),
      at('10m30s', 0),
      at('20m59s', 0),
      at('21m', 0),
    ]);
    expect(run[5]?.alerts).toEqual({ 'high_latency/fixie.run': 'resolved' });
    expect(run[6]?.alerts).toEqual({});
  });

  it('annotations show the value and labels', () => {
    const annotated = config({
      rules: [
        {
          name: 'high_latency',
          expr: 'response_time_p95 > 1s',
          severity: 'critical',
          annotations: { summary: 'p95 on {{ $labels.domain }} is {{ $value }} ms' },
          labels: { team: 'platform' },
        },
      ],
      routes: [{ id: 'ops', receivers: ['ops'], groupWait: '0s' }],
    });
    const r = step(emptyEngineState(), { config: annotated, snapshot: { series: p95(1234.5678) } }, T0);
    const alert = r.notifications[0]?.alerts[0];
    expect(alert?.annotations).toEqual({ summary: 'p95 on fixie.run is 1234.57 ms' });
    expect(alert?.labels).toEqual({
      alertname: 'high_latency',
      severity: 'critical',
      domain: 'fixie.run',
      team: 'platform',
    });
    expect(alert?.startsAt).toBe(T0.toISOString());
    expect(alert?.endsAt).toBe('0001-01-01T00:00:00Z');
  });

  it('is deterministic: replaying a step from the same state gives the same notifications', () => {
    const run = runTimeline(cfg, T0, [at('0s', 1500), at('5m', 1500)]);
    const state = stateAfter(run, 1);
    const input = { config: cfg, snapshot: { series: p95(1500) } };
    const now = new Date(T0.getTime() + 330_000);
    expect(step(state, input, now)).toEqual(step(state, input, now));
    expect(step(state, input, now).notifications).toHaveLength(1);
  });
});
