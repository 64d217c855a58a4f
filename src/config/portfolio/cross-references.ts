import { checkRewardReferences } from '../../rewards/reward-schema.ts';
import { closestName } from './closest-name.ts';
import { type Ctx, field, type Loose, list, records, str } from './loose.ts';

/**
 * Checks across sections of the portfolio: unique ids, hosts, codes and keys, and every reference
 * to them (hosts, market codes, metric keys). Defensive: they also run on a partly invalid document.
 */

function known(values: Set<string>): string {
  if (values.size === 0) return 'none are defined';
  const shown = [...values].slice(0, 10).join(', ');
  return `defined: ${shown}${values.size > 10 ? ', …' : ''}`;
}

/** Reports duplicates of `items[i][key]` at the later occurrence; returns the set of values. */
function unique(
  ctx: Ctx,
  items: Array<Loose | undefined>,
  key: string,
  base: PropertyKey[],
  what: string,
): Set<string> {
  const first = new Map<string, number>();
  items.forEach((item, i) => {
    const value = str(item?.[key]);
    if (value === undefined) return;
    const at = first.get(value);
    if (at !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: [...base, i, key],
        message: `duplicate ${what} "${value}" (first at ${[...base, at].join('.')})`,
      });
    else first.set(value, i);
  });
  return new Set(first.keys());
}

function reference(ctx: Ctx, value: unknown, defined: Set<string>, path: PropertyKey[], what: string): void {
  const v = str(value);
  if (v === undefined || defined.has(v)) return;
  const suggestion = closestName(v, [...defined]);
  const hint = suggestion ? `did you mean "${suggestion}"?` : known(defined);
  ctx.addIssue({ code: 'custom', path, message: `unknown ${what} "${v}" (${hint})` });
}

export function checkReferences(p: unknown, ctx: Ctx): void {
  const domains = records(field(p, 'domains'));
  const markets = records(field(p, 'markets'));
  const hosts = unique(ctx, domains, 'host', ['domains'], 'host');
  const codes = unique(ctx, markets, 'code', ['markets'], 'market code');
  for (const [i, d] of domains.entries())
    for (const [k, code] of list(d?.markets).entries())
      reference(ctx, code, codes, ['domains', i, 'markets', k], 'market');

  const streams = records(field(p, 'revenueStreams'));
  unique(ctx, streams, 'id', ['revenueStreams'], 'revenue stream id');
  for (const [i, s] of streams.entries())
    reference(ctx, s?.domain, hosts, ['revenueStreams', i, 'domain'], 'domain');

  const competitors = records(field(p, 'competitors'));
  unique(ctx, competitors, 'name', ['competitors'], 'competitor');
  for (const [i, c] of competitors.entries())
    for (const [k, host] of list(c?.competesWith).entries())
      reference(ctx, host, hosts, ['competitors', i, 'competesWith', k], 'domain');

  checkKpiReferences(ctx, records(field(p, 'kpis')));
  checkAlertingReferences(ctx, p, hosts);
  checkExperimentReferences(ctx, p, hosts);
  checkRewardReferences(ctx, p, hosts);
  unique(ctx, records(field(p, 'risks')), 'id', ['risks'], 'risk id');
  unique(ctx, records(field(field(p, 'roadmap'), 'phases')), 'id', ['roadmap', 'phases'], 'phase id');
}

function checkKpiReferences(ctx: Ctx, categories: Array<Loose | undefined>): void {
  unique(ctx, categories, 'category', ['kpis'], 'KPI category');
  // Keys are global: a target, alert or dashboard may name a metric of any category.
  const measured = new Set<string>();
  const all = new Map<string, string>();
  categories.forEach((c, ci) => {
    for (const [section, isDerived] of [
      ['metrics', false],
      ['derivedMetrics', true],
    ] as const) {
      records(c?.[section]).forEach((m, mi) => {
        const key = str(m?.key);
        if (key === undefined) return;
        const path = ['kpis', ci, section, mi].join('.');
        const at = all.get(key);
        if (at !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['kpis', ci, section, mi, 'key'],
            message: `duplicate metric key "${key}" (first at ${at})`,
          });
        else all.set(key, path);
        if (!isDerived) measured.add(key);
      });
    }
  });
  const keys = new Set(all.keys());
  for (const [ci, c] of categories.entries()) {
    for (const [di, d] of records(c?.derivedMetrics).entries())
      for (const side of ['numerator', 'denominator'] as const)
        reference(ctx, d?.[side], measured, ['kpis', ci, 'derivedMetrics', di, side], 'measured metric');
    for (const section of ['targets', 'alerts'] as const)
      for (const [ti, t] of records(c?.[section]).entries())
        reference(ctx, t?.metric, keys, ['kpis', ci, section, ti, 'metric'], 'metric');
    for (const [di, d] of records(c?.dashboards).entries())
      for (const [mi, m] of list(d?.metrics).entries())
        reference(ctx, m, keys, ['kpis', ci, 'dashboards', di, 'metrics', mi], 'metric');
  }
}

/** Every receiver an alert route or escalation step names is configured; rule domains exist. */
function checkAlertingReferences(ctx: Ctx, p: unknown, hosts: Set<string>): void {
  const alerting = field(p, 'alerting');
  const receivers = new Set(
    records(field(p, 'receivers'))
      .map((r) => r?.name)
      .filter((n): n is string => typeof n === 'string'),
  );
  for (const [i, r] of records(field(alerting, 'routes')).entries())
    for (const [k, name] of list(r?.receivers).entries())
      reference(ctx, name, receivers, ['alerting', 'routes', i, 'receivers', k], 'receiver');
  const escalation = field(alerting, 'escalation');
  if (escalation && typeof escalation === 'object')
    for (const [severity, steps] of Object.entries(escalation))
      for (const [i, step] of records(steps).entries())
        for (const [k, name] of list(step?.receivers).entries())
          reference(
            ctx,
            name,
            receivers,
            ['alerting', 'escalation', severity, i, 'receivers', k],
            'receiver',
          );
  for (const [i, r] of records(field(alerting, 'rules')).entries())
    for (const [k, host] of list(r?.domains).entries())
      reference(ctx, host, hosts, ['alerting', 'rules', i, 'domains', k], 'domain');
}

/** Experiment keys are unique; every host an experiment runs on is a domain of the file. */
function checkExperimentReferences(ctx: Ctx, p: unknown, hosts: Set<string>): void {
  const definitions = records(field(field(p, 'experiments'), 'definitions'));
  unique(ctx, definitions, 'key', ['experiments', 'definitions'], 'experiment key');
  for (const [i, e] of definitions.entries())
    for (const [k, host] of list(e?.domains).entries())
      reference(ctx, host, hosts, ['experiments', 'definitions', i, 'domains', k], 'domain');
}
