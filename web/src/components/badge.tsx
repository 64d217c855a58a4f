import type { ReactNode } from 'react';

export type BadgeTone = 'good' | 'warn' | 'bad' | 'info' | 'neutral';

/** A short status word in a tinted pill: verdicts, alert states, health. */
export function Badge(props: { tone: BadgeTone; children: ReactNode; title?: string; testId?: string }) {
  return (
    <span className={`badge badge-${props.tone}`} title={props.title} data-testid={props.testId}>
      {props.children}
    </span>
  );
}

/** A page title row with page-specific controls (no date range: these pages are not ranged by it). */
export function SimplePageHead(props: { title: ReactNode; sub?: ReactNode; controls?: ReactNode }) {
  return (
    <div className="page-head">
      <div className="page-title">
        <div>
          <h1>{props.title}</h1>
          {props.sub && <div className="sub">{props.sub}</div>}
        </div>
      </div>
      {props.controls && <div className="controls">{props.controls}</div>}
    </div>
  );
}
