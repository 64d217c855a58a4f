import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AlertExpr,
  AlertingConfig,
  AlertRule,
  EscalationDelay,
  LabelMatcher,
  Silence,
} from './alert-rule-schema.ts';

// The schema's errors name the field and say what is expected, so a typo in the portfolio file
// or an API call reads as a fix, not as a stack of union alternatives.

function issues(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  expect(result.success).toBe(false);
  return (result.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);
}

const rule = (extra: Record<string, unknown> = {}) => ({
  name: 'high_latency',
  expr: 'response_time_p95 > 1s',
  severity: 'critical',
  ...extra,
});
const route = { id: 'ops', receivers: ['slack'] };

describe('expressions', () => {
  it.each([
    [
      'response_time_p95 > 1000ms',
      { kind: 'threshold', metric: 'response_time_p95', op: '>', value: 1000, unit: 'ms' },
    ],
    ['error_rate>1%', { kind: 'threshold', metric: 'error_rate', op: '>', value: 1, unit: '%' }],
    ['cac > 100EUR', { kind: 'threshold', metric: 'cac', op: '>', value: 100, unit: 'EUR' }],
    ['balance >= -5', { kind: 'threshold', metric: 'balance', op: '>=', value: -5 }],
    [
      'mrr decrease > 10% week-over-week',
      { kind: 'change', metric: 'mrr', direction: 'decrease', thresholdPct: 10, window: 'week-over-week' },
    ],
    [
      'visits increase > 50% same-hour-last-week',
      {
        kind: 'change',
        metric: 'visits',
        direction: 'increase',
        thresholdPct: 50,
        window: 'same-hour-last-week',
      },
    ],
  ])('shorthand %j', (text, expected) => {
    expect(AlertExpr.parse(text)).toEqual(expected);
  });

  it('defaults the anomaly sensitivity to the seed’s 0.95', () => {
    expect(AlertExpr.parse({ kind: 'anomaly', metric: 'signups' })).toEqual({
      kind: 'anomaly',
      metric: 'signups',
      sensitivity: 0.95,
    });
  });

  it.each([
    [
      'mrr falls',
      ': must be an expression like "response_time_p95 > 1000ms", "error_rate > 1%" or "mrr decrease > 10% week-over-week"',
    ],
    [
      'mrr decrease > 0% day-over-day',
      ': must be an expression like "response_time_p95 > 1000ms", "error_rate > 1%" or "mrr decrease > 10% week-over-week"',
    ],
    [
      { kind: 'trend', metric: 'x' },
      "kind: Invalid discriminator value. Expected 'threshold' | 'change' | 'absence' | 'anomaly'",
    ],
    [{ kind: 'absence', metric: 'events', forMinutes: 0 }, 'forMinutes: Too small: expected number to be >0'],
    [{ kind: 'anomaly', metric: 'x', sensitivity: 1 }, 'sensitivity: Too big: expected number to be <1'],
    [{ any: ['x > 1'] }, 'any: list at least two expressions'],
    [
      { all: ['x > 1', { kind: 'threshold', metric: 'y', op: '=>', value: 1 }] },
      'all.1.op: Invalid option: expected one of ">"|">="|"<"|"<="|"=="|"!="',
    ],
    [{ any: ['x > 1', 'y > 2'], all: ['x > 1', 'y > 2'] }, ': Unrecognized key: "any"'],
  ])('rejects %j', (input, message) => {
    expect(issues(AlertExpr, input)).toEqual([message]);
  });
});

describe('rules', () => {
  it('fills defaults', () => {
    expect(AlertRule.parse(rule())).toEqual({
      name: 'high_latency',
      expr: { kind: 'threshold', metric: 'response_time_p95', op: '>', value: 1, unit: 's' },
      for: '0s',
      severity: 'critical',
      labels: {},
      annotations: {},
      suppressDuring: [],
    });
  });

  it.each([
    [
      { for: '5 minutes' },
      'for: must be a duration like "30s", "5m", "1h30m" or "2d" (units w, d, h, m, s, ms)',
    ],
    [{ for: '400d' }, 'for: must be a duration like "30s", "5m", "1h30m" or "2d" (units w, d, h, m, s, ms)'],
    [{ severity: 'urgent' }, 'severity: Invalid option: expected one of "critical"|"high"|"medium"|"low"'],
    [
      { labels: { severity: 'low' } },
      "labels: must not set alertname or severity: the rule's name and severity fill them",
    ],
    [
      { labels: { 'bad-name': 'x' } },
      'labels.bad-name: must be a label name: letters, digits and underscores, not starting with a digit',
    ],
    [{ domains: ['Fixie.run'] }, 'domains.0: must be lowercase (hostnames are compared exactly)'],
    [
      { suppressDuring: ['deploy'] },
      'suppressDuring.0: Invalid option: expected one of "deployment"|"maintenance"',
    ],
    [
      { escalateAfter: 'asap' },
      'escalateAfter: must be "immediate" or a duration like "30s", "5m", "1h30m" or "2d"',
    ],
    [{ name: 'high latency' }, 'name: must be a rule name: letters, digits and underscores'],
    [{ unknown: 1 }, ': Unrecognized key: "unknown"'],
  ])('rejects %j', (extra, message) => {
    expect(issues(AlertRule, rule(extra))).toEqual([message]);
  });

  it('accepts immediate and durations as escalation delays', () => {
    expect(EscalationDelay.parse('immediate')).toBe('immediate');
    expect(EscalationDelay.parse('1h30m')).toBe('1h30m');
  });
});

describe('matchers', () => {
  it('reads the Alertmanager string form and the object form alike', () => {
    expect(LabelMatcher.parse('severity="critical"')).toEqual({
      name: 'severity',
      op: '=',
      value: 'critical',
    });
    expect(LabelMatcher.parse('domain =~ "fixie\\\\.run|seobiz\\\\.be"')).toEqual({
      name: 'domain',
      op: '=~',
      value: 'fixie\\.run|seobiz\\.be',
    });
    expect(LabelMatcher.parse({ name: 'area', op: '!=', value: 'business' })).toEqual({
      name: 'area',
      op: '!=',
      value: 'business',
    });
  });

  it.each([
    ['severity', ': must be a matcher like severity="critical" (operators =, !=, =~, !~)'],
    ['domain=~"("', expect.stringMatching(/^: is not a valid regular expression/)],
  ])('rejects %j', (input, message) => {
    expect(issues(LabelMatcher, input)).toEqual([message]);
  });
});

describe('the alerting section', () => {
  it('checks uniqueness and that rules have somewhere to go', () => {
    expect(issues(AlertingConfig, { rules: [rule(), rule()] })).toEqual([
      'rules.1.name: duplicate rule name "high_latency"',
      'routes: list at least one route so alerts reach someone',
    ]);
    expect(issues(AlertingConfig, { routes: [route, route] })).toEqual([
      'routes.1.id: duplicate route id "ops"',
    ]);
  });

  it('validates business hours and route timings', () => {
    expect(
      issues(AlertingConfig, {
        routes: [{ ...route, groupWait: '30', businessHours: { timeZone: 'Europe/Brusels' } }],
      }),
    ).toEqual([
      'routes.0.groupWait: must be a duration like "30s", "5m", "1h30m" or "2d" (units w, d, h, m, s, ms)',
      'routes.0.businessHours.timeZone: must be an IANA time zone like Europe/Brussels',
    ]);
    expect(
      issues(AlertingConfig, {
        routes: [{ ...route, businessHours: { timeZone: 'Europe/Brussels', start: '18:00', end: '09:00' } }],
      }),
    ).toEqual(['routes.0.businessHours.end: must be after start']);
  });

  it('fills route defaults like Alertmanager’s', () => {
    expect(AlertingConfig.parse({ routes: [route] }).routes[0]).toEqual({
      id: 'ops',
      receivers: ['slack'],
      matchers: [],
      groupBy: ['alertname'],
      groupWait: '30s',
      groupInterval: '5m',
      repeatInterval: '4h',
      continue: false,
    });
  });

  it('escalation steps need receivers and a delay', () => {
    expect(issues(AlertingConfig, { escalation: { high: [{ after: 'soon', receivers: [] }] } })).toEqual([
      'escalation.high.0.after: must be "immediate" or a duration like "30s", "5m", "1h30m" or "2d"',
      'escalation.high.0.receivers: Too small: expected array to have >=1 items',
    ]);
  });
});

describe('silences', () => {
  const silence = {
    id: 's1',
    matchers: ['alertname="x"'],
    startsAt: '2025-06-01T10:00:00Z',
    endsAt: '2025-06-01T12:00:00+02:00',
    createdBy: 'owner',
    comment: 'deploy',
  };
  it('need an end after the start and at least one matcher', () => {
    expect(issues(Silence, silence)).toEqual(['endsAt: must be after startsAt']);
    expect(issues(Silence, { ...silence, endsAt: '2025-06-01T13:00:00+02:00', matchers: [] })).toEqual([
      'matchers: list at least one matcher',
    ]);
    expect(Silence.parse({ ...silence, endsAt: '2025-06-01T13:00:00+02:00' }).matchers).toEqual([
      { name: 'alertname', op: '=', value: 'x' },
    ]);
  });
});

describe('JSON Schema (OpenAPI)', () => {
  it('exists for requests and responses: responses describe the parsed form', () => {
    for (const io of ['input', 'output'] as const)
      expect(() => z.toJSONSchema(AlertingConfig, { io })).not.toThrow();
    const out = JSON.stringify(z.toJSONSchema(Silence, { io: 'output' }));
    expect(out).toContain('"op"');
  });
});
