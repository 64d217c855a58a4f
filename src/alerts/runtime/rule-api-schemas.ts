import { z } from 'zod';
import {
  AbsenceExpr,
  type AlertExpr,
  AnomalyExpr,
  ChangeExpr,
  SuppressionKind,
  ThresholdExpr,
} from '../alert-rule-schema.ts';
import { AlertSeverity } from '../notification.ts';

// Request and response shapes of /api/v1/alerts/rules (docs/alerts.md, "Rules API").

export const RuleSource = z
  .enum(['portfolio', 'kpi', 'api'])
  .describe('portfolio: `alerting.rules` of the file; kpi: a `kpis[].alerts` entry; api: created here.');
export type RuleSource = z.infer<typeof RuleSource>;

// Answers give the parsed (canonical) rule: no shorthand, defaults filled in. AlertRule itself
// cannot serialize a response (its shorthand parsing is a one-way transform).
const LeafExprOut = z.discriminatedUnion('kind', [ThresholdExpr, ChangeExpr, AbsenceExpr, AnomalyExpr]);
const ExprOut: z.ZodType<AlertExpr> = z.lazy(() =>
  z.union([LeafExprOut, z.object({ all: z.array(ExprOut) }), z.object({ any: z.array(ExprOut) })]),
);
export const AlertRuleOut = z.object({
  name: z.string(),
  expr: ExprOut,
  for: z.string(),
  severity: AlertSeverity,
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  domains: z.array(z.string()).optional(),
  suppressDuring: z.array(SuppressionKind),
  escalateAfter: z.string().optional(),
});

export const RuleOut = z.object({
  name: z.string(),
  source: RuleSource,
  /** False for an API rule whose name the portfolio file has taken since (the file's rule runs). */
  active: z.boolean(),
  rule: AlertRuleOut,
  createdBy: z.string().nullable(),
  createdAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type RuleOut = z.infer<typeof RuleOut>;

export const RulesOut = z.object({ rules: z.array(RuleOut) });
export type RulesOut = z.infer<typeof RulesOut>;

export const RuleNameParams = z.object({
  name: z
    .string()
    .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a rule name: letters, digits and underscores')
    .max(100),
});

export const RuleProblem = z.object({
  field: z.string().describe('The offending input, e.g. body.expr.metric'),
  message: z.string(),
});

export const ValidateRuleOut = z.object({
  valid: z.boolean().describe('Whether POST /api/v1/alerts/rules would accept it now.'),
  problems: z.array(RuleProblem),
  rule: AlertRuleOut.nullable().describe('The parsed (canonical) rule when it parses.'),
});
export type ValidateRuleOut = z.infer<typeof ValidateRuleOut>;
