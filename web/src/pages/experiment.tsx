import type { Experiment, ExperimentOut, ResultsOut, StatusHistoryOut } from '../api/types.ts';
import { type ApiState, useApi } from '../api/use-api.ts';
import { Badge, type BadgeTone } from '../components/badge.tsx';
import { canManageExperiments, ExperimentActions } from '../components/experiment-actions.tsx';
import {
  daysRunning,
  describeMetric,
  type MetricResult,
  metricsByKey,
  metricTitle,
  progressShare,
  progressText,
  recommendationHeadline,
} from '../components/experiment-text.ts';
import { Link, SimplePageHead } from '../components/layout.tsx';
import { MetricResults } from '../components/metric-results.tsx';
import { ErrorState, Panel, PanelBody } from '../components/panel.tsx';
import { useSession } from '../session.tsx';
import { STATUS_TONE } from './experiments.tsx';

const ACTION_TONE: Record<ResultsOut['recommendation']['action'], BadgeTone> = {
  ship: 'good',
  keep_control: 'warn',
  stop_guardrail: 'bad',
  keep_running: 'info',
};
const ACTION_LABEL: Record<ResultsOut['recommendation']['action'], string> = {
  ship: 'Ship',
  keep_control: 'Keep the control',
  stop_guardrail: 'Stop',
  keep_running: 'Keep running',
};

const when = (iso: string) => new Date(iso).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });

/** 0.0000024 as "2.4e-6": the banner's p-values are tiny by construction. */
function formatSmallP(p: number): string {
  return p < 0.0001 ? p.toExponential(1) : p.toFixed(4);
}

function SrmBanner(props: {
  srm: NonNullable<ResultsOut['srm']>;
  results: ResultsOut;
  experiment: Experiment;
}) {
  const primary = props.results.metrics[0];
  const total = primary?.variations.reduce((s, v) => s + v.n, 0) ?? 0;
  const split = (primary?.variations ?? []).map((v) => {
    const planned = props.experiment.variations.find((x) => x.key === v.variation)?.weight ?? 0;
    return `${v.variation} ${((v.n / Math.max(total, 1)) * 100).toFixed(1)}% (planned ${(planned * 100).toFixed(0)}%)`;
  });
  return (
    <div className="exp-banner exp-banner-bad" role="alert" data-testid="srm-warning">
      <strong>Sample ratio mismatch: do not trust these results yet.</strong>
      <span>
        The visitors were not split as planned: {split.join(', ')}. A split this far off happens by chance
        with probability p = {formatSmallP(props.srm.pValue)} (the check fires below 0.001), so something
        other than chance is at work: exposures recorded only in one variation, a redirect that loses
        visitors, bots, or weights changed while running. Fix the cause and restart before deciding.
      </span>
    </div>
  );
}

function Progress(props: { progress: ResultsOut['progress'] }) {
  const share = progressShare(props.progress);
  return (
    <div className="exp-progress" data-testid="experiment-progress">
      <div className="exp-progress-head">
        <span>
          <strong>{props.progress.exposedTotal.toLocaleString('en')}</strong> exposed
          {props.progress.neededTotal !== null && (
            <> of {props.progress.neededTotal.toLocaleString('en')} needed</>
          )}
        </span>
        {share !== null && <span className="hint">{Math.floor(share * 100)}%</span>}
      </div>
      <div
        className="exp-progress-track"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={share === null ? undefined : Math.floor(share * 100)}
      >
        <span className="exp-progress-fill" style={{ width: `${(share ?? 0) * 100}%` }} />
      </div>
      <span className="hint" data-testid="progress-text">
        {progressText(props.progress)}
      </span>
    </div>
  );
}

function MetricSection(props: {
  title: string;
  testId: string;
  metrics: MetricResult[];
  experiment: Experiment;
  empty: string;
}) {
  const defs = metricsByKey(props.experiment);
  return (
    <Panel title={props.title} testId={props.testId}>
      <div className="panel-body stack">
        {props.metrics.length === 0 ? (
          <p className="hint">{props.empty}</p>
        ) : (
          props.metrics.map((m) => {
            const def = defs.get(m.key);
            if (!def) return null;
            return (
              <div key={m.key} className="exp-metric">
                <h3>
                  {metricTitle(def)} <span className="hint">{describeMetric(def)}</span>
                </h3>
                <MetricResults result={m} metric={def} experiment={props.experiment} />
              </div>
            );
          })
        )}
      </div>
    </Panel>
  );
}

function NotStarted(props: { experiment: ExperimentOut }) {
  const k = props.experiment.key;
  return (
    <Panel title="Not started yet" testId="experiment-not-started">
      <div className="panel-body exp-empty">
        <span>
          Nobody is in this experiment yet. Start it (owners and admins), then, on{' '}
          {props.experiment.definition.domains.join(', ')}, load the tracker's experiments add-on and branch
          on the visitor's variation:
        </span>
        <code className="exp-code">{`<script defer src="${window.location.origin}/js/script.experiments.js"></script>`}</code>
        <code className="exp-code">{`if (portfolio.variant('${k}') === 1) { /* show ${props.experiment.definition.variations[1]?.name ?? 'the variation'} */ }`}</code>
        <span>
          Each page view records one <code>Experiment Viewed</code> exposure; a server can ask{' '}
          <code>{`GET /api/v1/experiments/${k}/assignment?id=…&record=1`}</code> instead. Results appear here
          as exposures and goals come in. More in <code>docs/experiments.md</code>.
        </span>
      </div>
    </Panel>
  );
}

function History(props: { state: ApiState<StatusHistoryOut> }) {
  return (
    <Panel title="Status history" testId="experiment-history">
      <PanelBody state={props.state} height={60}>
        {(d) => (
          <ol className="exp-history">
            {d.history.map((h) => (
              <li key={`${h.at}-${h.to}`}>
                <Badge tone={STATUS_TONE[h.to]}>{h.to}</Badge> <span className="hint">{when(h.at)}</span> by{' '}
                {h.actor.replace(/^operator:/, '')}
                {h.reason && <span className="hint"> · {h.reason}</span>}
              </li>
            ))}
          </ol>
        )}
      </PanelBody>
    </Panel>
  );
}

/** One experiment: the recommendation, SRM, progress, every metric's table, history and actions. */
export function ExperimentPage(props: { experimentKey: string }) {
  const session = useSession();
  const path = `/api/v1/experiments/${encodeURIComponent(props.experimentKey)}`;
  const exp = useApi<ExperimentOut>(path);
  const results = useApi<ResultsOut>(`${path}/results`);
  const history = useApi<StatusHistoryOut>(`${path}/history`);
  const reload = () => {
    exp.reload();
    results.reload();
    history.reload();
  };
  const e = exp.data;
  if (!e) {
    return (
      <>
        <SimplePageHead title={props.experimentKey} sub={<Link to="/experiments">All experiments</Link>} />
        <div className="panel">
          {exp.error && !exp.loading ? (
            exp.error.status === 404 ? (
              <div className="state">No experiment {props.experimentKey} in your scope.</div>
            ) : (
              <ErrorState error={exp.error} />
            )
          ) : (
            <div className="panel-body" aria-busy="true">
              <div className="skeleton" style={{ height: 160 }} />
            </div>
          )}
        </div>
      </>
    );
  }
  const def = e.definition;
  const r = results.data;
  const days = daysRunning(e);
  const exposed = (r?.progress.exposedTotal ?? 0) > 0;
  const primary = r?.metrics.filter((m) => m.role === 'primary') ?? [];
  return (
    <>
      <SimplePageHead
        title={
          <>
            {def.name}{' '}
            <Badge tone={STATUS_TONE[e.status]} testId="experiment-status">
              {e.status === 'shipped' && e.shippedVariation ? `shipped ${e.shippedVariation}` : e.status}
            </Badge>
          </>
        }
        sub={
          <>
            <Link to="/experiments">Experiments</Link> · <span className="mono">{e.key}</span> ·{' '}
            {def.domains.join(', ')}
            {days !== null &&
              ` · ${days} ${days === 1 ? 'day' : 'days'} ${e.status === 'running' ? 'running' : 'run'}`}
          </>
        }
        controls={
          canManageExperiments(session.me) ? (
            <ExperimentActions experiment={e} recommended={r?.recommendation.variation} onChanged={reload} />
          ) : undefined
        }
      />
      <div className="stack">
        {def.hypothesis && <p className="exp-hypothesis">{def.hypothesis}</p>}
        {e.stopReason && e.status !== 'running' && (
          <div className="notice" data-testid="stop-reason">
            Stopped: {e.stopReason}
          </div>
        )}
        {results.error && !results.loading && (
          <div className="panel">
            <ErrorState error={results.error} />
          </div>
        )}
        {!r && !results.error && <div className="skeleton" style={{ height: 200 }} />}
        {r && !e.startedAt && <NotStarted experiment={e} />}
        {r && e.startedAt && (
          <>
            {r.srm?.warning && <SrmBanner srm={r.srm} results={r} experiment={def} />}
            <section
              className={`exp-recommendation exp-rec-${r.recommendation.action}`}
              data-testid="recommendation"
            >
              <div className="exp-rec-head">
                <Badge tone={ACTION_TONE[r.recommendation.action]} testId="recommendation-action">
                  {ACTION_LABEL[r.recommendation.action]}
                </Badge>
                <strong data-testid="recommendation-text">{recommendationHeadline(r, def)}</strong>
              </div>
              <span className="hint" data-testid="recommendation-rule">
                {r.recommendation.text}
                {r.srm && !r.srm.warning && ` Sample ratio check passed (p = ${r.srm.pValue.toFixed(3)}).`}
                {r.srm?.warning && ' Resolve the sample ratio mismatch above before acting on this.'}
              </span>
              <Progress progress={r.progress} />
            </section>
            {!exposed && (
              <div className="notice" data-testid="no-exposures">
                Running, but no exposure recorded yet: check that the page calls{' '}
                <code>portfolio.variant('{e.key}')</code> with the experiments add-on loaded.
              </div>
            )}
            <MetricSection
              title="Primary metric"
              testId="primary-metric"
              metrics={primary}
              experiment={def}
              empty="No primary metric."
            />
            <MetricSection
              title="Guardrail metrics"
              testId="guardrail-metrics"
              metrics={r.metrics.filter((m) => m.role === 'guardrail')}
              experiment={def}
              empty="No guardrails: add metrics that must not get worse (errors, refunds) to stop a harmful variation early."
            />
            <MetricSection
              title="Secondary metrics"
              testId="secondary-metrics"
              metrics={r.metrics.filter((m) => m.role === 'secondary')}
              experiment={def}
              empty="No secondary metrics."
            />
          </>
        )}
        <div className="grid-2">
          <Panel title="Setup" testId="experiment-setup">
            <div className="panel-body">
              <dl className="exp-setup">
                <dt>Variations</dt>
                <dd>
                  {def.variations.map((v) => `${v.name} ${Math.round(v.weight * 1000) / 10}%`).join(' · ')}
                </dd>
                <dt>Coverage</dt>
                <dd>{Math.round(def.coverage * 100)}% of visitors</dd>
                <dt>Statistics</dt>
                <dd>
                  {def.decision.engine}
                  {def.decision.sequential ? ', sequential' : ''}; ship at{' '}
                  {(def.decision.chanceToWin * 100).toFixed(1)}% chance to win and ≥{' '}
                  {(def.decision.minImprovement * 100).toFixed(1)}% better
                </dd>
                <dt>Sample size</dt>
                <dd>
                  {(def.decision.power * 100).toFixed(0)}% power for a{' '}
                  {(def.decision.minimumDetectableEffect * 100).toFixed(1)}% change
                </dd>
                <dt>Mode</dt>
                <dd>
                  {def.mode === 'bandit'
                    ? `bandit, re-weighted every ${def.bandit.everyHours} h`
                    : 'fixed split'}
                </dd>
              </dl>
            </div>
          </Panel>
          <History state={history} />
        </div>
      </div>
    </>
  );
}
