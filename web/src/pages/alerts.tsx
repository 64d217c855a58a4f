import { useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import type { AlertOut, AlertsOut, SilenceOut } from '../api/types.ts';
import { type ApiState, useApi } from '../api/use-api.ts';
import { Badge, type BadgeTone } from '../components/badge.tsx';
import { SimplePageHead } from '../components/layout.tsx';
import { ErrorState, Panel, PanelBody } from '../components/panel.tsx';
import { SilenceForm } from '../components/silence-form.tsx';
import { Stat, Stats } from '../components/stat.tsx';
import { formatDuration } from '../format.ts';

type Status = AlertOut['status'];

const STATUS: Record<Status, { label: string; tone: BadgeTone }> = {
  firing: { label: 'Firing', tone: 'bad' },
  acknowledged: { label: 'Acknowledged', tone: 'warn' },
  pending: { label: 'Pending', tone: 'info' },
  silenced: { label: 'Silenced', tone: 'neutral' },
  suppressed: { label: 'Suppressed', tone: 'neutral' },
  resolved: { label: 'Resolved', tone: 'good' },
};
const SEVERITY_TONE: Record<AlertOut['severity'], BadgeTone> = {
  critical: 'bad',
  high: 'warn',
  medium: 'info',
  low: 'neutral',
};
const HEALTH_TONE: Record<AlertsOut['health']['overall']['status'], BadgeTone> = {
  excellent: 'good',
  good: 'info',
  warning: 'warn',
  critical: 'bad',
};

/** "12m 04s ago" from an ISO time. */
function ago(iso: string): string {
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  return `${formatDuration(s)} ago`;
}

function Labels(props: { labels: Record<string, string> }) {
  return (
    <span className="labels">
      {Object.entries(props.labels)
        .filter(([k]) => k !== 'alertname' && k !== 'severity')
        .map(([k, v]) => (
          <span className="label-chip" key={k}>
            {k}={v}
          </span>
        ))}
    </span>
  );
}

function AlertRow(props: { alert: AlertOut; onChanged: () => void }) {
  const a = props.alert;
  const [silencing, setSilencing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const command = async (type: 'acknowledge' | 'resolve') => {
    setBusy(true);
    setError(null);
    try {
      await api<AlertOut>(`/api/v1/alerts/${a.fingerprint}/${type}`, { method: 'POST' });
      props.onChanged();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const active = a.status !== 'resolved';
  return (
    <div
      className="alert-row"
      data-testid="alert-row"
      data-rule={a.rule}
      data-status={a.status}
      data-fingerprint={a.fingerprint}
    >
      <div className="alert-top">
        <div className="alert-what">
          <span>
            <Badge tone={SEVERITY_TONE[a.severity]}>{a.severity}</Badge>{' '}
            <strong className="alert-rule">{a.rule}</strong>{' '}
            <Badge tone={STATUS[a.status].tone} testId="alert-status">
              {STATUS[a.status].label}
            </Badge>
          </span>
          {a.annotations.summary && <span>{a.annotations.summary}</span>}
          <Labels labels={a.labels} />
          <span className="hint">
            {a.status === 'resolved' ? 'Resolved' : a.state === 'firing' ? 'Firing' : 'Pending'} since{' '}
            {ago(a.since)}
            {a.value !== null && ` · value ${Math.round(a.value * 1000) / 1000}`}
            {a.acknowledgedBy &&
              ` · acknowledged by ${a.acknowledgedBy} ${a.acknowledgedAt ? ago(a.acknowledgedAt) : ''}`}
            {a.silencedBy.length > 0 && ` · silenced (${a.silencedBy.length})`}
            {a.suppressedBy.length > 0 && ' · in a deployment or maintenance window'}
            {a.annotations.runbook && ` · runbook: ${a.annotations.runbook}`}
          </span>
        </div>
        {active && !silencing && (
          <div className="alert-actions">
            {a.status === 'firing' && (
              <button
                type="button"
                className="btn btn-small"
                disabled={busy}
                onClick={() => void command('acknowledge')}
              >
                Acknowledge
              </button>
            )}
            {a.status !== 'silenced' && (
              <button
                type="button"
                className="btn btn-small"
                disabled={busy}
                onClick={() => setSilencing(true)}
              >
                Silence
              </button>
            )}
            {a.state === 'firing' && (
              <button
                type="button"
                className="btn btn-ghost btn-small"
                disabled={busy}
                title="Resolve by hand: it stays resolved until its condition clears once"
                onClick={() => void command('resolve')}
              >
                Resolve
              </button>
            )}
          </div>
        )}
      </div>
      {silencing && (
        <SilenceForm
          alert={a}
          onCancel={() => setSilencing(false)}
          onDone={() => {
            setSilencing(false);
            props.onChanged();
          }}
        />
      )}
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

const SECTIONS: { title: string; statuses: Status[]; empty: string; testId: string }[] = [
  {
    title: 'Firing',
    statuses: ['firing', 'acknowledged'],
    empty:
      'Nothing firing. Rules are evaluated every minute; firing alerts show up here and notify their routes.',
    testId: 'alerts-firing',
  },
  {
    title: 'Pending',
    statuses: ['pending'],
    empty: 'Nothing pending: a rule with a for: duration waits here before it fires.',
    testId: 'alerts-pending',
  },
  {
    title: 'Silenced and suppressed',
    statuses: ['silenced', 'suppressed'],
    empty: 'Nothing muted. Silence an alert above to stop its notifications while you work on it.',
    testId: 'alerts-silenced',
  },
  {
    title: 'Resolved in the last 15 minutes',
    statuses: ['resolved'],
    empty: 'Nothing resolved recently.',
    testId: 'alerts-resolved',
  },
];

function matcherText(m: SilenceOut['matchers'][number]): string {
  return `${m.name}${m.op}"${m.value}"`;
}

function Silences(props: { state: ApiState<{ silences: SilenceOut[] }>; onChanged: () => void }) {
  const { state } = props;
  const [error, setError] = useState<string | null>(null);
  const expire = async (id: string) => {
    setError(null);
    try {
      await api<SilenceOut>(`/api/v1/silences/${id}`, { method: 'DELETE' });
      props.onChanged();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  return (
    <Panel title="Silences" testId="silences">
      <PanelBody
        state={state}
        isEmpty={(d) => d.silences.every((s) => s.status === 'expired')}
        empty="No active silence. Use Silence on an alert to mute it for a while, with the reason."
      >
        {(d) => (
          <>
            {d.silences
              .filter((s) => s.status !== 'expired')
              .map((s) => (
                <div className="alert-row" key={s.id} data-testid="silence-row">
                  <div className="alert-top">
                    <div className="alert-what">
                      <span>
                        <Badge tone={s.status === 'active' ? 'info' : 'neutral'}>{s.status}</Badge>{' '}
                        {s.comment}
                      </span>
                      <span className="labels">
                        {s.matchers.map((m) => (
                          <span className="label-chip" key={matcherText(m)}>
                            {matcherText(m)}
                          </span>
                        ))}
                      </span>
                      <span className="hint">
                        By {s.createdBy}, until{' '}
                        {new Date(s.endsAt).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' })}
                      </span>
                    </div>
                    <div className="alert-actions">
                      <button type="button" className="btn btn-small" onClick={() => void expire(s.id)}>
                        Expire now
                      </button>
                    </div>
                  </div>
                </div>
              ))}
            {error && (
              <div className="alert alert-error" role="alert">
                {error}
              </div>
            )}
          </>
        )}
      </PanelBody>
    </Panel>
  );
}

export function AlertsPage() {
  const state = useApi<AlertsOut>('/api/v1/alerts');
  const silences = useApi<{ silences: SilenceOut[] }>('/api/v1/silences');
  const changed = () => {
    state.reload();
    silences.reload();
  };
  const data = state.data;
  const count = (...s: Status[]) => data?.alerts.filter((a) => s.includes(a.status)).length ?? 0;
  const head = (
    <SimplePageHead
      title="Alerts"
      sub={
        data?.evaluatedAt
          ? `Rules last evaluated ${ago(data.evaluatedAt)}`
          : data
            ? 'Rules have not been evaluated yet: the evaluator runs every minute once the server is up'
            : 'Firing, pending and muted alerts'
      }
      controls={
        <button type="button" className="btn btn-small" onClick={changed}>
          Refresh
        </button>
      }
    />
  );
  if (state.error && !state.loading && !data) {
    return (
      <>
        {head}
        <div className="panel">
          <ErrorState error={state.error} />
        </div>
      </>
    );
  }
  const health = data?.health.overall;
  return (
    <>
      {head}
      <div className="stack">
        <Stats count={4} testId="alerts-summary">
          <Stat
            label="Health score"
            hint="100 − 30/15/5/1 per firing critical/high/medium/low alert"
            value={
              health ? (
                <>
                  {health.score} <Badge tone={HEALTH_TONE[health.status]}>{health.status}</Badge>
                </>
              ) : (
                '…'
              )
            }
            testId="alerts-health"
          />
          <Stat
            label="Firing"
            value={data ? count('firing', 'acknowledged') : '…'}
            testId="alerts-count-firing"
          />
          <Stat label="Pending" value={data ? count('pending') : '…'} testId="alerts-count-pending" />
          <Stat
            label="Silenced or suppressed"
            value={data ? count('silenced', 'suppressed') : '…'}
            testId="alerts-count-silenced"
          />
        </Stats>
        {SECTIONS.map((s) => {
          const alerts = data?.alerts.filter((a) => s.statuses.includes(a.status)) ?? [];
          if (s.statuses.includes('resolved') && alerts.length === 0) return null;
          return (
            <Panel key={s.title} title={`${s.title}${data ? ` (${alerts.length})` : ''}`} testId={s.testId}>
              <PanelBody state={state} isEmpty={() => alerts.length === 0} empty={s.empty} height={80}>
                {() => alerts.map((a) => <AlertRow key={a.fingerprint} alert={a} onChanged={changed} />)}
              </PanelBody>
            </Panel>
          );
        })}
        <Silences state={silences} onChanged={changed} />
        {data && Object.keys(data.health.byDomain).length > 0 && (
          <Panel title="Health by domain" testId="health-by-domain">
            <div className="panel-body">
              <div className="health-domains">
                {Object.entries(data.health.byDomain).map(([host, h]) => (
                  <div key={host} className="health-domain" data-host={host}>
                    <span className="host">{host}</span>
                    <span>
                      <strong>{h.score}</strong> <Badge tone={HEALTH_TONE[h.status]}>{h.status}</Badge>
                    </span>
                  </div>
                ))}
              </div>
            </div>
          </Panel>
        )}
      </div>
    </>
  );
}
