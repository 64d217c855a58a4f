import type { CSSProperties, ReactNode } from 'react';
import { formatChange } from '../format.ts';

/** "+12%" in green when the change is good news, red when bad (for churn and bounce rate, lower is better). */
export function ChangeBadge(props: { change: number | null | undefined; lowerIsBetter?: boolean }) {
  const text = formatChange(props.change);
  if (text === null) return null;
  const c = props.change as number;
  const tone = Math.abs(c) < 0.0005 ? 'flat' : c > 0 !== Boolean(props.lowerIsBetter) ? 'good' : 'bad';
  return (
    <span className={`change ${tone}`} title="Change from the comparison period">
      {text}
    </span>
  );
}

/** One figure with its change; a button when it selects what the chart shows. */
export function Stat(props: {
  label: string;
  value: ReactNode;
  change?: number | null;
  lowerIsBetter?: boolean;
  previous?: ReactNode;
  hint?: string;
  selected?: boolean;
  onSelect?: () => void;
  testId?: string;
}) {
  const body = (
    <>
      <div className="stat-label" title={props.hint ?? props.label}>
        {props.label}
      </div>
      <div className="stat-value">
        <span data-testid={props.testId}>{props.value}</span>
        <ChangeBadge change={props.change} lowerIsBetter={props.lowerIsBetter} />
      </div>
      {props.previous !== undefined && <div className="stat-prev">{props.previous}</div>}
    </>
  );
  if (props.onSelect) {
    return (
      <button type="button" className="stat" aria-pressed={props.selected} onClick={props.onSelect}>
        {body}
      </button>
    );
  }
  return <div className="stat">{body}</div>;
}

/** A row of stats in one box, as many columns as figures on a wide screen. */
export function Stats(props: { count: number; children: ReactNode; testId?: string }) {
  return (
    <div className="stats" data-testid={props.testId} style={{ '--cols': props.count } as CSSProperties}>
      {props.children}
    </div>
  );
}
