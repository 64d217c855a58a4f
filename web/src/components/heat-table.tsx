import type { ReactNode } from 'react';

export interface HeatCell {
  /** 0–1: how strongly the cell is tinted. */
  intensity: number | null;
  text: ReactNode;
  title?: string;
  partial?: boolean;
}

/** A table whose cells are tinted by their value: cohort retention, domain overlap. */
export function HeatTable(props: {
  corner: string;
  columns: ReactNode[];
  rows: { key: string; head: ReactNode; lead?: ReactNode; cells: HeatCell[] }[];
  leadLabel?: string;
  testId?: string;
}) {
  return (
    <div className="table-wrap" data-testid={props.testId}>
      <table className="heat">
        <thead>
          <tr>
            <th className="row-head">{props.corner}</th>
            {props.leadLabel !== undefined && <th>{props.leadLabel}</th>}
            {props.columns.map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
              <th key={i}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={r.key}>
              <th className="row-head">{r.head}</th>
              {props.leadLabel !== undefined && <td className="plain num">{r.lead}</td>}
              {r.cells.map((c, i) => (
                <td
                  // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                  key={i}
                  title={c.title}
                  className={c.intensity === null ? 'empty' : c.partial ? 'partial' : undefined}
                  style={
                    c.intensity === null
                      ? undefined
                      : {
                          background: `color-mix(in srgb, var(--chart-1) ${Math.round(8 + c.intensity * 80)}%, transparent)`,
                          color: c.intensity > 0.55 ? 'white' : undefined,
                        }
                  }
                >
                  {c.text}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
