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
