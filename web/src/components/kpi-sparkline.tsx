import type { KpiOut } from '../api/types.ts';

// A KPI's history as a small line, with its fitted trend carried on (dashed) to the deadline and the
// target as a horizontal line: at a glance, whether the trend crosses the target in time.

const W = 300;
const H = 64;
const PAD = 4;
const DAY_MS = 86_400_000;

const dayNumber = (day: string) => Math.round(Date.parse(`${day.slice(0, 10)}T00:00:00Z`) / DAY_MS);

export function KpiSparkline(props: { kpi: KpiOut; asOf: string }) {
  const { kpi } = props;
  const points = kpi.history.filter((p): p is { day: string; value: number } => p.value !== null);
  if (points.length < 2) return null;
  const first = dayNumber(points[0]?.day ?? props.asOf);
  const last = Math.max(dayNumber(props.asOf), dayNumber(points[points.length - 1]?.day ?? props.asOf));
  // Carry the trend to the deadline when it is within a year; further out it would flatten the history.
  const deadline = kpi.deadline ? dayNumber(kpi.deadline) : null;
  const end = deadline !== null && deadline > last && deadline - last <= 366 ? deadline : last;
  const trendAt = (d: number) =>
    kpi.trend ? kpi.trend.intercept + kpi.trend.slopePerDay * (d - dayNumber(kpi.trend.originDay)) : null;

  const values = points.map((p) => p.value);
  if (kpi.target !== null) values.push(kpi.target);
  const trendEnd = trendAt(end);
  if (trendEnd !== null) values.push(trendEnd);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi - lo < 1e-9) {
    lo -= 1;
    hi += 1;
  }
  const x = (d: number) => PAD + ((d - first) / Math.max(end - first, 1)) * (W - 2 * PAD);
  const y = (v: number) => PAD + (1 - (v - lo) / (hi - lo)) * (H - 2 * PAD);
  const line = points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(dayNumber(p.day)).toFixed(1)},${y(p.value).toFixed(1)}`)
    .join('');
  const trendStart = trendAt(first);

  return (
    <svg
      className="sparkline"
      viewBox={`0 0 ${W} ${H}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={`${kpi.name}: ${points.length} daily values${kpi.target !== null ? ', with the target' : ''}`}
      data-testid={`kpi-spark-${kpi.key}`}
    >
      {kpi.target !== null && (
        <line
          className="spark-target"
          x1={0}
          x2={W}
          y1={y(kpi.target)}
          y2={y(kpi.target)}
          vectorEffect="non-scaling-stroke"
        />
      )}
      {deadline !== null && deadline === end && (
        <line
          className="spark-deadline"
          x1={x(end)}
          x2={x(end)}
          y1={0}
          y2={H}
          vectorEffect="non-scaling-stroke"
        />
      )}
      {trendStart !== null && trendEnd !== null && (
        <line
          className="spark-trend"
          x1={x(first)}
          x2={x(end)}
          y1={y(trendStart)}
          y2={y(trendEnd)}
          vectorEffect="non-scaling-stroke"
        />
      )}
      <path className="spark-line" d={line} vectorEffect="non-scaling-stroke" />
    </svg>
  );
}
