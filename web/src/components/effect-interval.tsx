import { intervalText, signedPercent } from './experiment-text.ts';

/** The half-width of the scale every row of one table shares, so their intervals compare by eye. */
export function intervalScale(intervals: readonly (readonly [number, number])[]): number {
  const widest = Math.max(0, ...intervals.flat().map((x) => (Number.isFinite(x) ? Math.abs(x) : 0)));
  return Math.max(0.05, widest * 1.1);
}

/**
 * A relative effect and its interval on a scale centred on "no change": green when the whole
 * interval lies on the good side, red when it lies on the bad side, grey while it straddles zero.
 */
export function EffectInterval(props: {
  estimate: number;
  ci: readonly [number, number];
  scale: number;
  direction: 'increase' | 'decrease';
}) {
  const { estimate, ci, scale, direction } = props;
  const at = (x: number) => `${50 + (Math.max(-scale, Math.min(scale, x)) / scale) * 50}%`;
  const good = (x: number) => (direction === 'increase' ? x > 0 : x < 0);
  const tone =
    good(ci[0]) && good(ci[1]) ? 'good' : !good(ci[0]) && !good(ci[1]) && ci[0] !== ci[1] ? 'bad' : 'flat';
  const left = at(Math.min(ci[0], ci[1]));
  const width = `calc(${at(Math.max(ci[0], ci[1]))} - ${left})`;
  return (
    <div
      className={`ci-bar ci-${tone}`}
      role="img"
      aria-label={`${signedPercent(estimate)}, interval ${intervalText(ci)}`}
      title={`${signedPercent(estimate)} (${intervalText(ci)})`}
      data-tone={tone}
    >
      <span className="ci-zero" />
      <span className="ci-range" style={{ left, width }} />
      <span className="ci-point" style={{ left: at(estimate) }} />
    </div>
  );
}
