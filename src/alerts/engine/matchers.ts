import type { Labels } from '../notification.ts';

// Alertmanager label matchers: `=` and `!=` compare strings, `=~` and `!~` match a regular
// expression anchored at both ends. A label the alert lacks reads as the empty string.

export const MATCH_OPS = ['=', '!=', '=~', '!~'] as const;
export type MatchOp = (typeof MATCH_OPS)[number];
export interface LabelMatcherValue {
  name: string;
  op: MatchOp;
  value: string;
}

const MATCHER_RE = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/;

/** `severity="critical"`, `domain!=fixie.run` or `alertname=~"perf_.*"` as a matcher; quotes optional. */
export function parseMatcher(text: string): LabelMatcherValue | string {
  const m = MATCHER_RE.exec(text);
  if (!m) return 'must be a matcher like severity="critical" (operators =, !=, =~, !~)';
  const [, name = '', op, raw = ''] = m;
  let value = raw;
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    try {
      value = JSON.parse(value) as string;
    } catch {
      return 'has a badly quoted value';
    }
  }
  return { name, op: op as MatchOp, value };
}

/** Why a regular expression is not usable, or undefined when it compiles. */
export function regexProblem(source: string): string | undefined {
  try {
    new RegExp(`^(?:${source})$`, 'u');
    return undefined;
  } catch (err) {
    return `is not a valid regular expression: ${(err as Error).message}`;
  }
}

const compiled = new Map<string, RegExp>();
function anchored(source: string): RegExp {
  let re = compiled.get(source);
  if (!re) {
    re = new RegExp(`^(?:${source})$`, 'u');
    compiled.set(source, re);
  }
  return re;
}

export function matches(matcher: LabelMatcherValue, labels: Labels): boolean {
  const actual = labels[matcher.name] ?? '';
  switch (matcher.op) {
    case '=':
      return actual === matcher.value;
    case '!=':
      return actual !== matcher.value;
    case '=~':
      return anchored(matcher.value).test(actual);
    case '!~':
      return !anchored(matcher.value).test(actual);
  }
}

/** Every matcher matches; an empty list matches everything. */
export function matchesAll(matchers: readonly LabelMatcherValue[], labels: Labels): boolean {
  return matchers.every((m) => matches(m, labels));
}
