import type { AlertRule } from '../alert-rule-schema.ts';
import type { Labels } from '../notification.ts';
import { durationMs } from './duration.ts';
import type { AlertInstance, AlertTransition } from './engine-state.ts';
import { type EvalContext, evaluateExpr } from './evaluate-expr.ts';
import { fingerprint } from './labels.ts';

// Prometheus' rule state machine, one instance per rule and label set: inactive → pending when
// the expression holds, → firing once it has held for `for`, → resolved when it stops holding.
// A pending instance that clears goes back to inactive without a trace in any notification.

interface Candidate {
  rule: AlertRule;
  labels: Labels;
  annotations: Labels;
  active: boolean;
  value: number | null;
}

function formatValue(value: number | null): string {
  return value === null ? '' : String(Number(value.toPrecision(6)));
}

/** Fills `{{ $value }}` and `{{ $labels.name }}` in an annotation. */
export function expandTemplate(text: string, labels: Labels, value: number | null): string {
  return text.replace(
    /\{\{\s*\$(value|labels\.([a-zA-Z_][a-zA-Z0-9_]*))\s*\}\}/g,
    (_, what: string, name?: string) => (what === 'value' ? formatValue(value) : (labels[name ?? ''] ?? '')),
  );
}

function candidates(rules: readonly AlertRule[], ctx: EvalContext): Map<string, Candidate> {
  const out = new Map<string, Candidate>();
  for (const rule of rules) {
    const result = evaluateExpr(rule.expr, { ...ctx, domains: rule.domains });
    for (const sample of result.values()) {
      const labels = { ...sample.labels, ...rule.labels, alertname: rule.name, severity: rule.severity };
      const annotations: Labels = {};
      for (const [k, v] of Object.entries(rule.annotations))
        annotations[k] = expandTemplate(v, labels, sample.value);
      const fp = fingerprint(labels);
      const seen = out.get(fp);
      // Two samples can only collide if a rule label overwrote the differing series label.
      if (!seen || (!seen.active && sample.active))
        out.set(fp, { rule, labels, annotations, active: sample.active, value: sample.value });
    }
  }
  return out;
}

export interface RuleEvaluation {
  alerts: Record<string, AlertInstance>;
  transitions: AlertTransition[];
}

/** Advances every alert instance one evaluation; instances of removed rules resolve. */
export function evaluateRules(
  prev: Readonly<Record<string, AlertInstance>>,
  rules: readonly AlertRule[],
  ctx: EvalContext,
): RuleEvaluation {
  const now = ctx.now.toISOString();
  const nowMs = ctx.now.getTime();
  const found = candidates(rules, ctx);
  const alerts: Record<string, AlertInstance> = {};
  const transitions: AlertTransition[] = [];
  const move = (a: AlertInstance, from: AlertTransition['from'], to: AlertTransition['to']) =>
    transitions.push({ fingerprint: a.fingerprint, rule: a.rule, labels: a.labels, from, to, at: now });

  const fresh = (c: Candidate, fp: string): AlertInstance => ({
    fingerprint: fp,
    rule: c.rule.name,
    labels: c.labels,
    annotations: c.annotations,
    severity: c.rule.severity,
    state: 'pending',
    activeAt: now,
    latched: false,
    value: c.value,
    lastEvaluatedAt: now,
    escalatedSteps: 0,
    escalatedTo: [],
    silencedBy: [],
    suppressedBy: [],
  });
  const holdsLongEnough = (a: AlertInstance, c: Candidate) =>
    nowMs - Date.parse(a.activeAt) >= durationMs(c.rule.for);
  const fire = (a: AlertInstance): AlertInstance => ({
    ...a,
    state: 'firing',
    firedAt: now,
    resolvedAt: undefined,
  });

  for (const fp of new Set([...Object.keys(prev), ...found.keys()])) {
    const c = found.get(fp);
    const old = prev[fp];
    const active = c?.active === true;
    const updated: AlertInstance | undefined = old && {
      ...old,
      lastEvaluatedAt: now,
      ...(c
        ? { labels: c.labels, annotations: c.annotations, value: c.value, severity: c.rule.severity }
        : {}),
    };

    if (!updated) {
      if (!c || !active) continue;
      const a = fresh(c, fp);
      if (holdsLongEnough(a, c)) {
        alerts[fp] = fire(a);
        move(a, 'inactive', 'firing');
      } else {
        alerts[fp] = a;
        move(a, 'inactive', 'pending');
      }
      continue;
    }

    switch (updated.state) {
      case 'pending':
        if (c && active) {
          alerts[fp] = holdsLongEnough(updated, c) ? fire(updated) : updated;
          if (alerts[fp].state === 'firing') move(updated, 'pending', 'firing');
        } else {
          move(updated, 'pending', 'inactive');
          // The previous episode's resolution may still await its group's notification.
          if (updated.resolvedAt) alerts[fp] = { ...updated, state: 'resolved' };
        }
        break;
      case 'firing':
        if (active) alerts[fp] = updated;
        else {
          alerts[fp] = { ...updated, state: 'resolved', resolvedAt: now };
          move(updated, 'firing', 'resolved');
        }
        break;
      case 'resolved':
        if (c && active && !updated.latched) {
          const next: AlertInstance = {
            ...fresh(c, fp),
            resolvedAt: updated.resolvedAt,
          };
          alerts[fp] = holdsLongEnough(next, c) ? fire(next) : next;
          move(next, 'resolved', alerts[fp].state);
        } else alerts[fp] = { ...updated, latched: updated.latched && active };
        break;
    }
  }
  return { alerts, transitions };
}
