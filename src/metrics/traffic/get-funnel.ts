import { AppError } from '../../shared/app-error.ts';
import {
  inScope,
  type MetricContext,
  rangeOut,
  resolveMetricDomains,
  resolveQuery,
} from '../metric-query.ts';
import type { FunnelQuery, FunnelResult } from './traffic-schemas.ts';

export interface FunnelStep {
  step: string;
  kind: 'page' | 'goal';
}

/** "/pricing,Signup,Purchase" → steps; a page path starts with "/", anything else is an event name. */
export function parseFunnelSteps(text: string): FunnelStep[] {
  const steps = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (steps.length < 2 || steps.length > 8)
    throw new AppError('invalid_request', `a funnel has 2 to 8 steps; got ${steps.length}`, 'steps');
  for (const s of steps)
    if (s.length > 200) throw new AppError('invalid_request', 'a step is at most 200 characters', 'steps');
  return steps.map((step) => ({ step, kind: step.startsWith('/') ? 'page' : 'goal' }));
}

// Each step reads person_day_steps (first and last time a person did it that day). The time a
// person reaches step n is the earliest known occurrence at or after step n−1: that day's first
// time when it is late enough, else its last time (see docs/metrics.md "Funnels").
const OCCURRENCE = (after: string) => `CASE WHEN x.first_at >= ${after} THEN x.first_at ELSE x.last_at END`;

/** $1 domains, $2/$3 range instants, $4/$5 UTC days [from, to], then kind/value per step. */
export function funnelSql(stepCount: number): string {
  const ctes: string[] = [];
  for (let i = 1; i <= stepCount; i++) {
    const k = 6 + (i - 1) * 2;
    const after = i === 1 ? '$2::timestamptz' : 'p.t';
    const from =
      i === 1 ? 'person_day_steps x' : `s${i - 1} p JOIN person_day_steps x ON x.person = p.person`;
    ctes.push(`s${i} AS (
  SELECT person, min(at) AS t FROM (
    SELECT x.person, ${OCCURRENCE(after)} AS at
      FROM ${from}
     WHERE x.domain_id = ANY ($1::uuid[]) AND x.kind = $${k} AND x.value = $${k + 1}
       AND x.day >= $4::date AND x.day <= $5::date AND x.last_at >= ${after}
  ) o WHERE at < $3::timestamptz GROUP BY person)`);
  }
  const counts = Array.from({ length: stepCount }, (_, i) => `(SELECT count(*) FROM s${i + 1})::int`);
  return `WITH ${ctes.join(',\n')}\nSELECT ARRAY[${counts.join(', ')}] AS visitors`;
}

/** An ordered funnel: how many persons did step 1, then step 2 after it, … within the range. */
export async function getFunnel({
  ctx,
  input,
}: {
  ctx: MetricContext;
  input: FunnelQuery;
}): Promise<FunnelResult> {
  const steps = parseFunnelSteps(input.steps);
  const { range } = resolveQuery(input, ctx.now);
  const lastDay = new Date(range.end.getTime() - 1).toISOString().slice(0, 10);
  return inScope(ctx, async (tx) => {
    const domains = await resolveMetricDomains(tx, input.domains);
    const res = await tx.query<{ visitors: number[] }>(funnelSql(steps.length), [
      domains.map((d) => d.id),
      range.start.toISOString(),
      range.end.toISOString(),
      range.start.toISOString().slice(0, 10),
      lastDay,
      ...steps.flatMap((s) => [s.kind, s.step]),
    ]);
    const visitors = res.rows[0]?.visitors ?? steps.map(() => 0);
    const first = visitors[0] ?? 0;
    return {
      range: rangeOut(range),
      domains,
      steps: steps.map((s, i) => ({
        ...s,
        visitors: visitors[i] ?? 0,
        conversionRate: first === 0 ? 0 : Math.round(((visitors[i] ?? 0) / first) * 10_000) / 10_000,
        dropOff: i === 0 ? 0 : (visitors[i - 1] ?? 0) - (visitors[i] ?? 0),
      })),
    };
  });
}
