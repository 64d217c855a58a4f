import type { IncidentOut, UptimeHistoryResult } from '../api/types.ts';
import { formatBucket, formatDuration } from '../format.ts';
import { useWidth } from './charts.tsx';

// One domain's days: p95 response time as a line, each day's uptime as a strip of cells under it,
// and incidents as shaded bands placed at their real times across both.

const PAD = { top: 12, right: 12, bottom: 48, left: 56 };
const STRIP = 12;

/** Midnight of a calendar day in the viewer's zone: the API's days are in that zone (tz=TIME_ZONE). */
const midnight = (day: string) => new Date(`${day.slice(0, 10)}T00:00:00`).getTime();

function niceMax(max: number): number {
  if (max <= 0) return 100;
  const mag = 10 ** Math.floor(Math.log10(max));
  return (Math.ceil((max / mag) * 2) / 2) * mag;
}

export function formatUptime(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined) return '—';
  if (ratio >= 1) return '100%';
  return `${(Math.floor(ratio * 100_000) / 1000).toFixed(3)}%`;
}

function incidentTitle(i: IncidentOut): string {
  const when = new Date(i.openedAt).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });
  const state = i.closedAt
    ? `lasted ${formatDuration(i.durationS)}`
    : `open for ${formatDuration(i.durationS)}`;
  return `Incident ${when}, ${state}: ${i.cause}${i.lastError ? ` (${i.lastError})` : ''}`;
}

export function UptimeChart(props: { history: UptimeHistoryResult; height?: number; testId?: string }) {
  const [ref, width] = useWidth();
  const { series, incidents, range, target } = props.history;
  const height = props.height ?? 260;
  const start = midnight(range.from);
  const end = midnight(range.to) + 86_400_000;
  const plotW = Math.max(width - PAD.left - PAD.right, 10);
  const plotH = height - PAD.top - PAD.bottom;
  const x = (t: number) => PAD.left + ((t - start) / (end - start)) * plotW;
  const hi = niceMax(Math.max(0, ...series.map((s) => s.p95Ms ?? 0)));
  const y = (ms: number) => PAD.top + plotH - (ms / hi) * plotH;
  const ticks = [0, hi / 2, hi];
  const mid = (day: string) => x(midnight(day) + 43_200_000);
  const slot = plotW / Math.max(series.length, 1);
  const labelEvery = Math.max(1, Math.ceil(series.length / Math.max(2, Math.floor(plotW / 70))));
  let line = '';
  series.forEach((s, i) => {
    if (s.p95Ms === null) return;
    const prev = series[i - 1];
    line += `${line === '' || !prev || prev.p95Ms === null ? 'M' : 'L'}${mid(s.day).toFixed(1)},${y(s.p95Ms).toFixed(1)}`;
  });
  const stripY = PAD.top + plotH + 6;

  return (
    <div className="chart" ref={ref} data-testid={props.testId} style={{ height }}>
      {width > 0 && (
        <svg
          width={width}
          height={height}
          role="img"
          aria-label="p95 response time and uptime per day, with incidents"
        >
          {ticks.map((t) => (
            <g key={t}>
              <line className="gridline" x1={PAD.left} x2={width - PAD.right} y1={y(t)} y2={y(t)} />
              <text x={PAD.left - 8} y={y(t) + 4} textAnchor="end">
                {`${Math.round(t)} ms`}
              </text>
            </g>
          ))}
          {incidents.map((i) => {
            const from = Math.max(start, Date.parse(i.openedAt));
            const to = Math.min(end, i.closedAt ? Date.parse(i.closedAt) : Date.now());
            if (to < start || from > end) return null;
            const x0 = x(from);
            const w = Math.max(3, x(to) - x0);
            return (
              <rect
                key={i.id}
                className="incident-band"
                data-testid="incident-band"
                x={Math.min(x0, width - PAD.right - w)}
                y={PAD.top}
                width={w}
                height={plotH + STRIP + 6}
              >
                <title>{incidentTitle(i)}</title>
              </rect>
            );
          })}
          <path className="uptime-line" d={line} />
          {series.map((s) =>
            s.p95Ms === null ? null : (
              <circle
                key={s.day}
                className="uptime-dot"
                cx={mid(s.day)}
                cy={y(s.p95Ms)}
                r={series.length > 45 ? 0 : 2.5}
              >
                <title>{`${formatBucket(s.day, 'day')}: p95 ${s.p95Ms} ms`}</title>
              </circle>
            ),
          )}
          {series.map((s, i) => (
            <rect
              key={s.day}
              className={`uptime-cell ${s.uptime === null ? 'none' : s.uptime >= target ? 'met' : 'missed'}`}
              x={PAD.left + i * slot + 0.5}
              y={stripY}
              width={Math.max(1, slot - 1)}
              height={STRIP}
              rx={2}
            >
              <title>
                {`${formatBucket(s.day, 'day')}: ${s.uptime === null ? 'not checked' : `${formatUptime(s.uptime)} up, ${s.failed} of ${s.checks} checks failed`}`}
              </title>
            </rect>
          ))}
          <text x={PAD.left - 8} y={stripY + STRIP - 2} textAnchor="end">
            uptime
          </text>
          {series.map((s, i) =>
            i % labelEvery === 0 ? (
              <text key={s.day} x={mid(s.day)} y={height - 8} textAnchor="middle">
                {formatBucket(s.day, 'day')}
              </text>
            ) : null,
          )}
        </svg>
      )}
    </div>
  );
}
