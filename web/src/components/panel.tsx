import type { ReactNode } from 'react';
import type { ApiError } from '../api/client.ts';

export function Panel(props: {
  title: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <section className="panel" data-testid={props.testId}>
      <div className="panel-head">
        <h2>{props.title}</h2>
        {props.actions}
      </div>
      {props.children}
    </section>
  );
}

/**
 * The body of a panel fed by one request: a skeleton while the first answer comes, the error (or
 * "not available on this server" for an endpoint it does not have), the empty state, or the content.
 */
export function PanelBody<T>(props: {
  state: { data: T | undefined; error: ApiError | undefined; loading: boolean };
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  height?: number;
  children: (data: T) => ReactNode;
}) {
  const { data, error, loading } = props.state;
  if (error && !loading) {
    return (
      <div className="panel-body">
        <ErrorState error={error} />
      </div>
    );
  }
  if (data === undefined) {
    return (
      <div className="panel-body" aria-busy="true">
        <div className="skeleton" style={{ height: props.height ?? 160 }} />
      </div>
    );
  }
  const empty = props.isEmpty?.(data) ?? false;
  return (
    <div className={`panel-body${loading ? ' loading' : ''}`} aria-busy={loading}>
      {empty ? (
        <div className="state">{props.empty ?? 'No data for this period.'}</div>
      ) : (
        props.children(data)
      )}
    </div>
  );
}

export function ErrorState(props: { error: ApiError }) {
  const { error } = props;
  if (error.isMissingRoute) {
    return <div className="state">This figure is not available on this server version yet.</div>;
  }
  return (
    <div className="state state-error" role="alert">
      <strong>Could not load this.</strong>
      <span>{error.message}</span>
    </div>
  );
}
