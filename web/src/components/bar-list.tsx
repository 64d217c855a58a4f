import type { ReactNode } from 'react';

export interface BarListRow {
  key: string;
  label: ReactNode;
  /** Sets the bar's length relative to the largest row. */
  value: number;
  cells: ReactNode[];
}

/** Plausible-style list: each row's label sits on a bar proportional to its value. */
export function BarList(props: { columns: string[]; rows: BarListRow[]; testId?: string }) {
  const max = Math.max(...props.rows.map((r) => r.value), 0);
  const template = `minmax(0, 1fr) ${props.columns
    .slice(1)
    .map(() => '76px')
    .join(' ')}`;
  return (
    <div data-testid={props.testId}>
      <div className="bk-head" style={{ gridTemplateColumns: template }}>
        {props.columns.map((c) => (
          <span key={c}>{c}</span>
        ))}
      </div>
      {props.rows.map((r) => (
        <div className="bk-row" key={r.key} style={{ gridTemplateColumns: template }}>
          <div className="bk-label">
            <span
              className="bk-bar"
              style={{ width: `${max > 0 && r.value > 0 ? Math.max(1, (r.value / max) * 100) : 0}%` }}
            />
            <span className="bk-text">{r.label}</span>
          </div>
          {r.cells.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional columns
            <span className="v" key={i}>
              {c}
            </span>
          ))}
        </div>
      ))}
    </div>
  );
}

export function Tabs<T extends string>(props: {
  tabs: { value: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
  label: string;
}) {
  return (
    <div className="tabs" role="tablist" aria-label={props.label}>
      {props.tabs.map((t) => (
        <button
          key={t.value}
          type="button"
          role="tab"
          className="tab"
          aria-selected={t.value === props.value}
          onClick={() => props.onChange(t.value)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
