/** Reads a reference-vector file; these files write non-finite floats as bare Infinity (Python's json). */
import { readFileSync } from 'node:fs';

// Byte-for-byte copies of ../shared/reference/stats (the project's reference data), kept in the
// repository so the tests run from any clone; biome leaves them alone (they hold bare Infinity).
export const REFERENCE_DIR = new URL('./fixtures/', import.meta.url);

export function loadVectors(file: string): unknown {
  const text = readFileSync(new URL(file, REFERENCE_DIR), 'utf8');
  return JSON.parse(text.replace(/(?<=[[,:]\s*)(-?Infinity|NaN)(?=\s*[,\]}])/g, '"$1"'));
}

/** Turns the vectors' "Infinity"/"-Infinity" markers (quoted or not) into numbers. */
export function num(v: unknown): number {
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (typeof v !== 'number') throw new Error(`not a number: ${JSON.stringify(v)}`);
  return v;
}
