import type { Queryable } from '../../db/types.ts';
import { AlertRule } from '../alert-rule-schema.ts';

/** A row of alert_rules (migration 0015): a rule created through the API. */
export interface ApiRuleRow {
  name: string;
  rule: AlertRule;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
}

interface Row {
  name: string;
  definition: unknown;
  created_by: string;
  created_at: Date;
  updated_by: string;
  updated_at: Date;
}

const iso = (d: Date | string) => new Date(d).toISOString();

/**
 * Every API rule, by name. Definitions are re-parsed: one stored by an older version that no
 * longer parses is left out (and reported by `problems`) rather than stopping every evaluation.
 */
export async function selectApiRules(
  q: Queryable,
  options: { name?: string; forUpdate?: boolean } = {},
): Promise<{ rows: ApiRuleRow[]; problems: string[] }> {
  const res = await q.query<Row>(
    `SELECT name, definition, created_by, created_at, updated_by, updated_at FROM alert_rules
     ${options.name !== undefined ? 'WHERE name = $1' : ''} ORDER BY name ${options.forUpdate ? 'FOR UPDATE' : ''}`,
    options.name !== undefined ? [options.name] : [],
  );
  const rows: ApiRuleRow[] = [];
  const problems: string[] = [];
  for (const r of res.rows) {
    const parsed = AlertRule.safeParse(r.definition);
    if (!parsed.success) {
      problems.push(`alert rule ${r.name}: stored definition no longer parses: ${parsed.error.message}`);
      continue;
    }
    rows.push({
      name: r.name,
      rule: parsed.data,
      createdBy: r.created_by,
      createdAt: iso(r.created_at),
      updatedBy: r.updated_by,
      updatedAt: iso(r.updated_at),
    });
  }
  return { rows, problems };
}

export async function insertApiRule(q: Queryable, rule: AlertRule, by: string, now: Date): Promise<void> {
  await q.query(
    `INSERT INTO alert_rules (name, definition, created_by, created_at, updated_by, updated_at)
     VALUES ($1, $2::jsonb, $3, $4, $3, $4)`,
    [rule.name, JSON.stringify(rule), by, now],
  );
}

export async function updateApiRule(q: Queryable, rule: AlertRule, by: string, now: Date): Promise<void> {
  await q.query(
    'UPDATE alert_rules SET definition = $2::jsonb, updated_by = $3, updated_at = $4 WHERE name = $1',
    [rule.name, JSON.stringify(rule), by, now],
  );
}

export async function deleteApiRule(q: Queryable, name: string): Promise<void> {
  await q.query('DELETE FROM alert_rules WHERE name = $1', [name]);
}
