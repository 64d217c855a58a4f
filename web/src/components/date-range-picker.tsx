import { useState } from 'react';
import { COMPARISONS, type Compare, type Filters, PERIODS } from '../filters.ts';
import { formatDay } from '../format.ts';
import { Popover } from './popover.tsx';

function rangeLabel(f: Filters): string {
  if (f.period === 'custom' && f.from) {
    const to = f.to ?? 'today';
    return `${formatDay(f.from)} – ${to === 'today' ? to : formatDay(to)}`;
  }
  return PERIODS.find((p) => p.value === f.period)?.label ?? 'Last 30 days';
}

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** From/to inputs, filled from the current range each time the picker opens. */
function CustomRange(props: { filters: Filters; onApply: (from: string, to: string) => void }) {
  const [from, setFrom] = useState(props.filters.from ?? '');
  const [to, setTo] = useState(props.filters.to ?? today());
  const invalid = from === '' || to === '' || from > to;
  return (
    <form
      className="menu-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!invalid) props.onApply(from, to);
      }}
    >
      <strong style={{ fontSize: 13 }}>Custom range</strong>
      <label className="field">
        From
        <input
          className="input"
          type="date"
          value={from}
          max={to}
          onChange={(e) => setFrom(e.target.value)}
        />
      </label>
      <label className="field">
        To
        <input className="input" type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
      </label>
      <button type="submit" className="btn btn-primary" disabled={invalid}>
        Apply
      </button>
    </form>
  );
}

/** Presets, a custom from/to, and the comparison period. */
export function DateRangePicker(props: { filters: Filters; onChange: (patch: Partial<Filters>) => void }) {
  const { filters, onChange } = props;

  return (
    <div className="controls">
      <Popover label={rangeLabel(filters)} title="Date range" testId="range-picker">
        {(close) => (
          <>
            {PERIODS.map((p) => (
              <button
                key={p.value}
                type="button"
                role="menuitemradio"
                className="menu-item"
                aria-checked={filters.period === p.value}
                onClick={() => {
                  onChange({ period: p.value, from: null, to: null });
                  close();
                }}
              >
                {p.label}
              </button>
            ))}
            <div className="menu-sep" />
            <CustomRange
              filters={filters}
              onApply={(from, to) => {
                onChange({ period: 'custom', from, to });
                close();
              }}
            />
          </>
        )}
      </Popover>
      <Popover
        label={
          filters.compare === 'none'
            ? 'No comparison'
            : `vs ${COMPARISONS.find((c) => c.value === filters.compare)?.label.toLowerCase()}`
        }
        title="Compare with"
        testId="compare-picker"
      >
        {(close) =>
          COMPARISONS.map((c) => (
            <button
              key={c.value}
              type="button"
              role="menuitemradio"
              className="menu-item"
              aria-checked={filters.compare === c.value}
              onClick={() => {
                onChange({ compare: c.value as Compare });
                close();
              }}
            >
              {c.label}
            </button>
          ))
        }
      </Popover>
    </div>
  );
}
