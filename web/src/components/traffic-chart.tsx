import type { TrafficResult } from '../api/types.ts';
import { useApi } from '../api/use-api.ts';
import { type Filters, metricsUrl } from '../filters.ts';
import { formatBucket, formatRange } from '../format.ts';
import { Legend, LineChart } from './charts.tsx';

type Point = TrafficResult['series'][number];

/**
 * One traffic figure over time, with the comparison period drawn dashed underneath, bucket by
 * bucket (the comparison's series is its own request over the `previous` range the API echoes).
 */
export function TrafficChart(props: {
  traffic: TrafficResult;
  filters: Filters;
  value: (p: Point) => number | null;
  name: string;
  format: (n: number) => string;
  testId?: string;
}) {
  const { traffic, filters } = props;
  const prev = traffic.previous;
  const previous = useApi<TrafficResult>(
    prev
      ? metricsUrl(
          'traffic',
          { ...filters, period: 'custom', from: prev.from, to: prev.to, compare: 'none' },
          { interval: traffic.interval },
        )
      : null,
  );
  const series = traffic.series;
  const before = prev ? (previous.data?.series ?? null) : null;
  return (
    <>
      <LineChart
        testId={props.testId}
        labels={series.map((p) => formatBucket(p.bucket, traffic.interval))}
        format={props.format}
        series={[
          { name: props.name, color: 'var(--chart-1)', fill: true, values: series.map(props.value) },
          ...(before
            ? [
                {
                  name: 'Comparison',
                  color: 'var(--chart-2)',
                  dashed: true,
                  values: series.map((_, i) => (before[i] ? props.value(before[i]) : null)),
                  labels: series.map((_, i) =>
                    before[i] ? formatBucket(before[i].bucket, traffic.interval) : '',
                  ),
                },
              ]
            : []),
        ]}
      />
      {before && (
        <Legend
          items={[
            { name: formatRange(traffic.range.from, traffic.range.to), color: 'var(--chart-1)' },
            ...(prev
              ? [{ name: formatRange(prev.from, prev.to), color: 'var(--chart-2)', dashed: true }]
              : []),
          ]}
        />
      )}
    </>
  );
}
