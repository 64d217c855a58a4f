import type { z } from 'zod';

/**
 * Defensive readers for cross-field checks. Those checks run even when other fields are invalid
 * (`when: always`), so they read their input through these instead of trusting the parsed type.
 */

export type Loose = Record<string, unknown>;
export type Ctx = z.RefinementCtx;

/** Refinement option: run the check even when the object has other issues, to report them all at once. */
export const always = { when: () => true };

export function isRecord(v: unknown): v is Loose {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
export function field(v: unknown, key: string): unknown {
  return isRecord(v) ? v[key] : undefined;
}
/** Items of an array, index-preserving; non-objects become undefined. */
export function records(v: unknown): Array<Loose | undefined> {
  return Array.isArray(v) ? v.map((x) => (isRecord(x) ? x : undefined)) : [];
}
export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
