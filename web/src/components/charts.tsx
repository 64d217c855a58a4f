import { type ReactNode, useEffect, useRef, useState } from 'react';

// Hand-written SVG charts: a line/area chart with a comparison line, and signed stacked bars (MRR
// bridge). Drawn in pixels at the measured width so text and strokes stay crisp at any size.

/** The measured width of a chart's box, kept current as the layout changes. */
export function useWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry?.contentRect.width ?? 0)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** A rounded axis top and its ticks: 0, 25k, 50k… */
function niceScale(max: number, min = 0, ticks = 4): { lo: number; hi: number; step: number } {
  const span = Math.max(max - min, 1e-9);
  const raw = span / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  return { lo: Math.floor(min / step) * step, hi: Math.max(Math.ceil(max / step) * step, step), step };
}

const PAD = { top: 12, right: 12, bottom: 26, left: 52 };

export interface LineSeries {
  name: string;
  values: (number | null)[];
  color: string;
  dashed?: boolean;
  fill?: boolean;
  /** Per point, what the tooltip names this value by (the comparison period's own dates). */
  labels?: string[];
}

function Tooltip(props: { x: number; width: number; title: string; rows: ReactNode }) {
  const left = props.x > props.width * 0.6 ? props.x - 170 : props.x + 14;
  return (
    <div className="chart-tip" style={{ left, top: 8 }}>
      <div className="tip-title">{props.title}</div>
      {props.rows}
    </div>
  );
}

/** Horizontal grid lines with their value labels, shared by the line and the bar charts. */
function YGrid(p: {
  ticks: number[];
  y: (v: number) => number;
  width: number;
  format: (v: number) => string;
}) {
  return (
    <>
      {p.ticks.map((t) => (
        <g key={t}>
          <line className="gridline" x1={PAD.left} x2={p.width - PAD.right} y1={p.y(t)} y2={p.y(t)} />
          <text x={PAD.left - 8} y={p.y(t) + 4} textAnchor="end">
            {p.format(t)}
          </text>
        </g>
      ))}
    </>
  );
}

export function LineChart(props: {
  labels: string[];
  series: LineSeries[];
  format: (n: number) => string;
  height?: number;
  testId?: string;
}) {
  const [ref, width] = useWidth();
  const [hover, setHover] = useState<number | null>(null);
  const height = props.height ?? 260;
  const n = props.labels.length;
  const all = props.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const { hi, step } = niceScale(Math.max(0, ...all));
  const plotW = Math.max(width - PAD.left - PAD.right, 10);
  const plotH = height - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (n <= 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const y = (v: number) => PAD.top + plotH - (v / hi) * plotH;
  const ticks: number[] = [];
  for (let t = 0; t <= hi + step / 2; t += step) ticks.push(t);
  const labelEvery = Math.max(1, Math.ceil(n / Math.max(2, Math.floor(plotW / 80))));

  const path = (values: (number | null)[]) => {
    let d = '';
    values.forEach((v, i) => {
      if (v === null) return;
      d += `${d === '' || values[i - 1] === null ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    });
    return d;
  };

  return (
    <div className="chart" ref={ref} data-testid={props.testId} style={{ height }}>
      {width > 0 && (
        <svg width={width} height={height} role="img" aria-label={props.series.map((s) => s.name).join(', ')}>
          <YGrid ticks={ticks} y={y} width={width} format={props.format} />
          {props.labels.map((label, i) =>
            i % labelEvery === 0 ? (
              <text key={label} x={x(i)} y={height - 6} textAnchor="middle">
                {label}
              </text>
            ) : null,
          )}
          {props.series.map((s) =>
            s.fill && n > 1 ? (
              <path
                key={`${s.name}-fill`}
                d={`${path(s.values)}L${x(n - 1)},${y(0)}L${x(0)},${y(0)}Z`}
                fill="var(--chart-fill)"
              />
            ) : null,
          )}
          {props.series.map((s) => (
            <path
              key={s.name}
              d={path(s.values)}
              fill="none"
              stroke={s.color}
              strokeWidth={s.dashed ? 1.75 : 2.25}
              strokeDasharray={s.dashed ? '5 4' : undefined}
              strokeLinejoin="round"
              strokeLinecap="round"
            />
          ))}
          {n === 1 &&
            props.series.map((s) =>
              s.values[0] != null ? (
                <circle key={s.name} cx={x(0)} cy={y(s.values[0])} r={4} fill={s.color} />
              ) : null,
            )}
          {hover !== null && (
            <g>
              <line x1={x(hover)} x2={x(hover)} y1={PAD.top} y2={PAD.top + plotH} stroke="var(--border)" />
              {props.series.map((s) => {
                const v = s.values[hover];
                return v == null ? null : (
                  <circle key={s.name} cx={x(hover)} cy={y(v)} r={4} fill={s.color} />
                );
              })}
            </g>
          )}
          {/* biome-ignore lint/a11y/noStaticElementInteractions: hover only adds a tooltip; every figure is also in the stats or tables */}
          <rect
            x={PAD.left}
            y={PAD.top}
            width={plotW}
            height={plotH}
            fill="transparent"
            onMouseMove={(e) => {
              const box = (e.currentTarget as SVGRectElement).getBoundingClientRect();
              const rel = (e.clientX - box.left) / Math.max(box.width, 1);
              setHover(Math.min(n - 1, Math.max(0, Math.round(rel * (n - 1)))));
            }}
            onMouseLeave={() => setHover(null)}
          />
        </svg>
      )}
      {hover !== null && (
        <Tooltip
          x={x(hover)}
          width={width}
          title={props.labels[hover] ?? ''}
          rows={props.series.map((s) => (
            <div className="tip-row" key={s.name}>
              <span>
                <span className="swatch" style={{ background: s.color }} />
                {s.labels?.[hover] ?? s.name}
              </span>
              <strong>{s.values[hover] == null ? '—' : props.format(s.values[hover] as number)}</strong>
            </div>
          ))}
        />
      )}
    </div>
  );
}

export interface BarStack {
  name: string;
  color: string;
  values: number[];
}

/** Stacked bars around zero: positive stacks rise, negative ones (given as negative numbers) fall. */
export function SignedBarChart(props: {
  labels: string[];
  stacks: BarStack[];
  line?: { name: string; color: string; values: number[] };
  format: (n: number) => string;
  height?: number;
  testId?: string;
}) {
  const [ref, width] = useWidth();
  const [hover, setHover] = useState<number | null>(null);
  const height = props.height ?? 280;
  const n = props.labels.length;
  const up = props.labels.map((_, i) => props.stacks.reduce((a, s) => a + Math.max(0, s.values[i] ?? 0), 0));
  const down = props.labels.map((_, i) =>
    props.stacks.reduce((a, s) => a + Math.min(0, s.values[i] ?? 0), 0),
  );
  const lineVals = props.line?.values ?? [];
  const { lo, hi, step } = niceScale(Math.max(0, ...up, ...lineVals), Math.min(0, ...down, ...lineVals));
  const plotW = Math.max(width - PAD.left - PAD.right, 10);
  const plotH = height - PAD.top - PAD.bottom;
  const y = (v: number) => PAD.top + ((hi - v) / (hi - lo)) * plotH;
  const slot = plotW / Math.max(n, 1);
  const barW = Math.max(4, Math.min(44, slot * 0.62));
  const cx = (i: number) => PAD.left + slot * (i + 0.5);
  const ticks: number[] = [];
  for (let t = lo; t <= hi + step / 2; t += step) ticks.push(Math.round(t * 100) / 100);
  const labelEvery = Math.max(1, Math.ceil(n / Math.max(2, Math.floor(plotW / 70))));

  return (
    <div className="chart" ref={ref} data-testid={props.testId} style={{ height }}>
      {width > 0 && (
        <svg width={width} height={height} role="img" aria-label={props.stacks.map((s) => s.name).join(', ')}>
          <YGrid ticks={ticks} y={y} width={width} format={props.format} />
          <line
            x1={PAD.left}
            x2={width - PAD.right}
            y1={y(0)}
            y2={y(0)}
            stroke="var(--muted)"
            strokeOpacity={0.5}
          />
          {props.labels.map((label, i) => {
            let pos = 0;
            let neg = 0;
            return (
              <g key={label} opacity={hover === null || hover === i ? 1 : 0.55}>
                {props.stacks.map((s) => {
                  const v = s.values[i] ?? 0;
                  if (v === 0) return null;
                  const from = v > 0 ? pos : neg;
                  const to = from + v;
                  if (v > 0) pos = to;
                  else neg = to;
                  return (
                    <rect
                      key={s.name}
                      x={cx(i) - barW / 2}
                      width={barW}
                      y={Math.min(y(from), y(to))}
                      height={Math.max(1, Math.abs(y(from) - y(to)))}
                      fill={s.color}
                      rx={2}
                    />
                  );
                })}
                {i % labelEvery === 0 && (
                  <text x={cx(i)} y={height - 6} textAnchor="middle">
                    {label}
                  </text>
                )}
              </g>
            );
          })}
          {props.line && n > 0 && (
            <>
              <path
                d={props.line.values.map((v, i) => `${i === 0 ? 'M' : 'L'}${cx(i)},${y(v)}`).join('')}
                fill="none"
                stroke={props.line.color}
                strokeWidth={2}
              />
              {props.line.values.map((v, i) => (
                <circle key={props.labels[i]} cx={cx(i)} cy={y(v)} r={3} fill={props.line?.color} />
              ))}
            </>
          )}
          {/* biome-ignore lint/a11y/noStaticElementInteractions: hover only adds a tooltip; every figure is also in the stats or tables */}
          <rect
            x={PAD.left}
            y={PAD.top}
            width={plotW}
            height={plotH}
            fill="transparent"
            onMouseMove={(e) => {
              const box = (e.currentTarget as SVGRectElement).getBoundingClientRect();
              setHover(Math.min(n - 1, Math.max(0, Math.floor(((e.clientX - box.left) / box.width) * n))));
            }}
            onMouseLeave={() => setHover(null)}
          />
        </svg>
      )}
      {hover !== null && (
        <Tooltip
          x={cx(hover)}
          width={width}
          title={props.labels[hover] ?? ''}
          rows={[
            ...props.stacks.map((s) => (
              <div className="tip-row" key={s.name}>
                <span>
                  <span className="swatch" style={{ background: s.color }} />
                  {s.name}
                </span>
                <strong>{props.format(s.values[hover] ?? 0)}</strong>
              </div>
            )),
            props.line ? (
              <div className="tip-row" key="line">
                <span>
                  <span className="swatch" style={{ background: props.line.color }} />
                  {props.line.name}
                </span>
                <strong>{props.format(props.line.values[hover] ?? 0)}</strong>
              </div>
            ) : null,
          ]}
        />
      )}
    </div>
  );
}

export function Legend(props: { items: { name: string; color: string; dashed?: boolean }[] }) {
  return (
    <div className="legend">
      {props.items.map((i) => (
        <span key={i.name}>
          <span
            className="swatch"
            style={
              i.dashed
                ? {
                    background: 'transparent',
                    border: `2px dashed ${i.color}`,
                    width: 14,
                    height: 2,
                    borderRadius: 0,
                  }
                : { background: i.color }
            }
          />
          {i.name}
        </span>
      ))}
    </div>
  );
}
