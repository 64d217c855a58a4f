/** Classical two-proportion z-test with the pooled proportion under H0 (as in most textbooks). */
import { normSf } from './special/normal.ts';

export function twoProportionZTest(
  successes: readonly [number, number],
  trials: readonly [number, number],
): { z: number; pValue: number } {
  const [x1, x2] = successes;
  const [n1, n2] = trials;
  const pooled = (x1 + x2) / (n1 + n2);
  const z = (x1 / n1 - x2 / n2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return { z, pValue: 2 * normSf(Math.abs(z)) };
}
