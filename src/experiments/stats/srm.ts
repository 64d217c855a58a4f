/** Sample-ratio mismatch: Pearson chi-square goodness of fit of observed units to the planned weights. */
import { chiSquareSf } from './special/chi-square.ts';

/** Conventional threshold: a mismatch this unlikely means the assignment or tracking is broken. */
export const SRM_P_THRESHOLD = 0.001;

export type SrmResult = { chiSquare: number; dof: number; pValue: number; flagged: boolean };

/**
 * Cells with zero weight take no part in the test (and do not add degrees of freedom); any unit
 * observed in a zero-weight cell is an outright mismatch (p = 0).
 */
export function checkSrm(
  users: readonly number[],
  weights: readonly number[],
  threshold = SRM_P_THRESHOLD,
): SrmResult {
  let total = 0;
  let weightSum = 0;
  let cells = 0;
  let strayUnits = false;
  for (let i = 0; i < users.length; i++) {
    const w = weights[i] ?? 0;
    const u = users[i] ?? 0;
    total += u;
    if (w > 0) {
      weightSum += w;
      cells++;
    } else if (u > 0) strayUnits = true;
  }
  if (total === 0 || cells < 2)
    return { chiSquare: 0, dof: Math.max(0, cells - 1), pValue: 1, flagged: false };
  if (strayUnits) return { chiSquare: Number.POSITIVE_INFINITY, dof: cells - 1, pValue: 0, flagged: true };
  let chiSquare = 0;
  for (let i = 0; i < users.length; i++) {
    const w = weights[i] ?? 0;
    if (!(w > 0)) continue;
    const expected = (w / weightSum) * total;
    const d = (users[i] ?? 0) - expected;
    chiSquare += (d * d) / expected;
  }
  const pValue = chiSquareSf(chiSquare, cells - 1);
  return { chiSquare, dof: cells - 1, pValue, flagged: pValue < threshold };
}
