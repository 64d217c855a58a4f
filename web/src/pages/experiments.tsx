import { useState } from 'react';
import type { ExperimentOut } from '../api/types.ts';
import { useApi } from '../api/use-api.ts';
import { Badge, type BadgeTone } from '../components/badge.tsx';
import { canManageExperiments } from '../components/experiment-actions.tsx';
import { ExperimentForm } from '../components/experiment-form.tsx';
import { daysRunning, describeMetric } from '../components/experiment-text.ts';
import { Link, SimplePageHead } from '../components/layout.tsx';
import { Panel, PanelBody } from '../components/panel.tsx';
import { navigate } from '../router.ts';
import { useSession } from '../session.tsx';

export const STATUS_TONE: Record<ExperimentOut['status'], BadgeTone> = {
  draft: 'neutral',
  running: 'info',
  stopped: 'warn',
  shipped: 'good',
};

const ORDER: ExperimentOut['status'][] = ['running', 'stopped', 'draft', 'shipped'];

function HowToStart() {
  return (
    <div className="exp-empty" data-testid="experiments-empty">
      <strong>No experiments yet.</strong>
      <span>
        Create one here (or under <code>experiments:</code> in the portfolio file), start it, then ask for the
        visitor's variation on the page with the tracker's experiments add-on:
      </span>
      <code className="exp-code">
        {'<script defer src="/js/script.experiments.js"></script> … portfolio.variant(\'my-experiment\')'}
      </code>
      <span>
        It records one <code>Experiment Viewed</code> exposure per page view; results compare the variations
        on the goal you chose. See <code>docs/experiments.md</code>.
      </span>
    </div>
  );
}

/** Every experiment in scope, the running ones first, and a form for a new draft. */
export function ExperimentsPage() {
  const session = useSession();
  const state = useApi<{ experiments: ExperimentOut[] }>('/api/v1/experiments');
  const [creating, setCreating] = useState(false);
  const admin = canManageExperiments(session.me);
  const sorted = [...(state.data?.experiments ?? [])].sort(
    (a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status) || b.updatedAt.localeCompare(a.updatedAt),
  );
  return (
    <>
      <SimplePageHead
        title="Experiments"
        sub="A/B tests on your domains: who sees what, and which variation wins"
        controls={
          admin && !creating ? (
            <button type="button" className="btn btn-primary btn-small" onClick={() => setCreating(true)}>
              New experiment
            </button>
          ) : undefined
        }
      />
      <div className="stack">
        {creating && (
          <Panel title="New experiment" testId="new-experiment">
            <div className="panel-body">
              <ExperimentForm
                domains={session.domains}
                onCancel={() => setCreating(false)}
                onCreated={(e) => {
                  setCreating(false);
                  state.reload();
                  navigate(`/experiments/${encodeURIComponent(e.key)}`);
                }}
              />
            </div>
          </Panel>
        )}
        <Panel title="All experiments" testId="experiments-list">
          <PanelBody state={state} isEmpty={(d) => d.experiments.length === 0} empty={<HowToStart />}>
            {() => (
              <div className="table-wrap">
                <table className="table cards">
                  <thead>
                    <tr>
                      <th>Experiment</th>
                      <th>Status</th>
                      <th>Domains</th>
                      <th>Primary metric</th>
                      <th>Variations</th>
                      <th>Days running</th>
                    </tr>
                  </thead>
                  <tbody>
                    {sorted.map((e) => {
                      const days = daysRunning(e);
                      return (
                        <tr key={e.key} data-key={e.key} data-testid="experiment-row">
                          <td>
                            <span className="exp-name-cell">
                              <Link to={`/experiments/${encodeURIComponent(e.key)}`} keepFilters={false}>
                                <strong>{e.definition.name}</strong>
                              </Link>
                              <span className="hint mono">
                                {e.key}
                                {e.source === 'portfolio' ? ' · portfolio file' : ''}
                              </span>
                            </span>
                          </td>
                          <td data-label="Status">
                            <Badge tone={STATUS_TONE[e.status]} testId="experiment-status">
                              {e.status === 'shipped' && e.shippedVariation
                                ? `shipped ${e.shippedVariation}`
                                : e.status}
                            </Badge>
                          </td>
                          <td data-label="Domains" className="exp-wrap">
                            {e.definition.domains.join(', ')}
                          </td>
                          <td data-label="Primary metric">{describeMetric(e.definition.metrics.primary)}</td>
                          <td data-label="Variations">{e.definition.variations.length}</td>
                          <td data-label="Days running" data-testid="experiment-days">
                            {days === null ? '—' : days}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </PanelBody>
        </Panel>
      </div>
    </>
  );
}
