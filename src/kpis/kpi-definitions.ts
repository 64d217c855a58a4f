import type { KpiDirection, KpiUnit } from '../config/portfolio/kpis.ts';
import type { Portfolio } from '../config/portfolio-schema.ts';
import { METRIC_BINDINGS, type MetricBinding, unitConversion } from './metric-bindings.ts';
import type { SourceName, SourceValues } from './metric-sources.ts';

// The portfolio file's KPIs joined to their bindings: measured metrics to a verb's figure,
// derived ones to their parts, the rest `unbound` with the reason (never a silent zero).

export type KpiBinding =
  | {
      kind: 'measured';
      binding: MetricBinding;
      /** From the binding's unit (what snapshots store) to the KPI's unit. */
      convert: (v: number) => number;
    }
  | { kind: 'derived'; numerator: string; denominator: string }
  | { kind: 'unbound'; reason: string };

export interface KpiDefinition {
  key: string;
  name: string;
  category: string;
  unit: KpiUnit;
  direction: KpiDirection;
  /** The file's `current`: the value when the plan was written. */
  planned: number | null;
  target: number | null;
  deadline: string | null;
  confidence: number | null;
  binding: KpiBinding;
}

function measuredBinding(key: string, unit: KpiUnit): KpiBinding {
  const binding = METRIC_BINDINGS[key];
  if (!binding)
    return {
      kind: 'unbound',
      reason: `no metric verb is bound to the key "${key}"; bound keys: ${Object.keys(METRIC_BINDINGS).join(', ')}`,
    };
  const conversion = unitConversion(binding.unit, unit);
  if (!conversion.ok) return { kind: 'unbound', reason: conversion.reason };
  return { kind: 'measured', binding, convert: conversion.convert };
}

/** Every KPI of the file in file order: measured metrics, then derived ones, per category. */
export function kpiDefinitions(portfolio: Pick<Portfolio, 'kpis'>): KpiDefinition[] {
  const categories = portfolio.kpis;
  const dated = new Map<string, { target: number; deadline: string; confidence: number }>();
  for (const c of categories) for (const t of c.targets) if (!dated.has(t.metric)) dated.set(t.metric, t);
  const defs: KpiDefinition[] = [];
  for (const c of categories) {
    for (const m of c.metrics) {
      const t = dated.get(m.key);
      defs.push({
        key: m.key,
        name: m.name,
        category: c.category,
        unit: m.unit,
        direction: m.direction,
        planned: m.current ?? null,
        target: t?.target ?? m.target ?? null,
        deadline: t?.deadline ?? null,
        confidence: t?.confidence ?? null,
        binding: measuredBinding(m.key, m.unit),
      });
    }
  }
  const byKey = new Map(defs.map((d) => [d.key, d]));
  for (const c of categories) {
    for (const m of c.derivedMetrics) {
      const t = dated.get(m.key);
      const parts = [m.numerator, m.denominator].map((k) => byKey.get(k));
      const unbound = parts.find((p) => p === undefined || p.binding.kind !== 'measured');
      defs.push({
        key: m.key,
        name: m.name,
        category: c.category,
        unit: 'ratio',
        direction: m.direction,
        planned: null,
        target: t?.target ?? null,
        deadline: t?.deadline ?? null,
        confidence: t?.confidence ?? null,
        binding:
          unbound === undefined
            ? { kind: 'derived', numerator: m.numerator, denominator: m.denominator }
            : {
                kind: 'unbound',
                reason: `its part ${unbound.key} is unbound: ${(unbound.binding as { reason?: string }).reason ?? 'not a measured metric'}`,
              },
      });
    }
  }
  return defs;
}

/** The sources the bound KPIs read. */
export function neededSources(defs: readonly KpiDefinition[]): Set<SourceName> {
  const needed = new Set<SourceName>();
  for (const d of defs)
    if (d.binding.kind === 'measured') for (const s of d.binding.binding.sources) needed.add(s);
  return needed;
}

/**
 * Values of one day as snapshots store them: measured KPIs in their binding's unit; derived ones
 * as the ratio of their parts in the parts' KPI units (null when either is null or the
 * denominator is 0). Unbound KPIs are absent.
 */
export function valuesOfDay(
  defs: readonly KpiDefinition[],
  sources: SourceValues,
): Map<string, number | null> {
  const values = new Map<string, number | null>();
  const shown = new Map<string, number | null>();
  for (const d of defs) {
    if (d.binding.kind !== 'measured') continue;
    const v = d.binding.binding.pick(sources);
    const value = v === null || !Number.isFinite(v) ? null : v;
    values.set(d.key, value);
    shown.set(d.key, value === null ? null : d.binding.convert(value));
  }
  for (const d of defs) {
    if (d.binding.kind !== 'derived') continue;
    const n = shown.get(d.binding.numerator) ?? null;
    const q = shown.get(d.binding.denominator) ?? null;
    values.set(d.key, n === null || q === null || q === 0 ? null : n / q);
  }
  return values;
}

/** A stored value in the KPI's unit. */
export function toKpiUnit(def: KpiDefinition, stored: number | null): number | null {
  if (stored === null) return null;
  return def.binding.kind === 'measured' ? def.binding.convert(stored) : stored;
}
