/** Fixed-horizon Welch t-test on an effect: p-value and confidence interval, one- or two-sided. */
import { tCdf, tQuantile, tSf } from './special/student-t.ts';

/** 'greater': H1 is treatment > control; 'less': treatment < control. */
export type Sided = 'two-sided' | 'greater' | 'less';

export type TestOutcome = { pValue: number; ci: [number, number] };

export function welchTest(
  estimate: number,
  variance: number,
  dof: number,
  alpha: number,
  sided: Sided,
): TestOutcome {
  const se = Math.sqrt(variance);
  const t = estimate / se;
  if (sided === 'two-sided') {
    const half = tQuantile(1 - alpha / 2, dof) * se;
    return { pValue: 2 * tSf(Math.abs(t), dof), ci: [estimate - half, estimate + half] };
  }
  const half = tQuantile(1 - alpha, dof) * se;
  if (sided === 'greater') {
    return { pValue: tSf(t, dof), ci: [estimate - half, Number.POSITIVE_INFINITY] };
  }
  return { pValue: tCdf(t, dof), ci: [Number.NEGATIVE_INFINITY, estimate + half] };
}
