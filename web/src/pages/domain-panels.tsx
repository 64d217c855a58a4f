import { useState } from 'react';
import type { BreakdownResult, FunnelResult, GoalsResult } from '../api/types.ts';
import { useApi } from '../api/use-api.ts';
import { BarList, Tabs } from '../components/bar-list.tsx';
import { Panel, PanelBody } from '../components/panel.tsx';
import { type Filters, metricsUrl, useQueryParam } from '../filters.ts';
import { formatCount, formatEur, formatPercent, toNumber } from '../format.ts';

// The lists of a domain page, as in Plausible: sources, pages, devices, goals and a funnel.

interface Dimension {
  value: string;
  label: string;
  /** What the first column lists. */
  noun: string;
  /** Shown for the null value (no referrer: a direct visit). */
  none: string;
}

const SOURCES: Dimension[] = [
  { value: 'channel', label: 'Channels', noun: 'Channel', none: 'Direct / None' },
  { value: 'source', label: 'Sources', noun: 'Source', none: 'Direct / None' },
  { value: 'referrer', label: 'Referrers', noun: 'Referrer', none: 'Direct / None' },
];
const CAMPAIGNS: Dimension[] = [
  { value: 'utm_campaign', label: 'Campaign', noun: 'UTM campaign', none: '(not set)' },
  { value: 'utm_source', label: 'Source', noun: 'UTM source', none: '(not set)' },
  { value: 'utm_medium', label: 'Medium', noun: 'UTM medium', none: '(not set)' },
];
const PAGES: Dimension[] = [
  { value: 'page', label: 'Top pages', noun: 'Page', none: '(unknown)' },
  { value: 'entry_page', label: 'Entry pages', noun: 'Entry page', none: '(unknown)' },
  { value: 'exit_page', label: 'Exit pages', noun: 'Exit page', none: '(unknown)' },
];
const DEVICES: Dimension[] = [
  { value: 'browser', label: 'Browser', noun: 'Browser', none: '(unknown)' },
  { value: 'os', label: 'OS', noun: 'Operating system', none: '(unknown)' },
  { value: 'device', label: 'Device', noun: 'Device', none: '(unknown)' },
];

function rowLabel(row: BreakdownResult['rows'][number], dim: Dimension): string {
  return row.value === '' || row.value === '(none)' ? dim.none : row.value;
}

export function BreakdownPanel(props: {
  title: string;
  dimensions: Dimension[];
  filters: Filters;
  testId?: string;
}) {
  const [dim, setDim] = useState(props.dimensions[0] as Dimension);
  const [expanded, setExpanded] = useState(false);
  const limit = expanded ? 50 : 10;
  const state = useApi<BreakdownResult>(
    metricsUrl('traffic/breakdown', props.filters, { dimension: dim.value, limit }),
  );
  return (
    <Panel
      title={props.title}
      testId={props.testId}
      actions={
        props.dimensions.length > 1 ? (
          <Tabs
            label={props.title}
            tabs={props.dimensions.map((d) => ({ value: d.value, label: d.label }))}
            value={dim.value}
            onChange={(v) => {
              setDim(props.dimensions.find((d) => d.value === v) as Dimension);
              setExpanded(false);
            }}
          />
        ) : undefined
      }
    >
      <PanelBody
        state={state}
        isEmpty={(b) => b.rows.length === 0}
        empty="Nothing recorded in this period."
        height={300}
      >
        {(b) => (
          <>
            <BarList
              columns={[dim.noun, 'Visitors', '%']}
              rows={b.rows.map((r) => ({
                key: `${r.value}`,
                label: rowLabel(r, dim),
                value: toNumber(r.visitors) ?? 0,
                cells: [formatCount(r.visitors), formatPercent(r.share, 0)],
              }))}
            />
            {(b.rows.length >= limit || expanded) && (
              <button type="button" className="btn btn-small bk-more" onClick={() => setExpanded((e) => !e)}>
                {expanded ? 'Show top 10' : 'Show more'}
              </button>
            )}
          </>
        )}
      </PanelBody>
    </Panel>
  );
}

export function SourcesPanel(props: { filters: Filters }) {
  return <BreakdownPanel title="Top sources" dimensions={SOURCES} filters={props.filters} testId="sources" />;
}

export function CampaignsPanel(props: { filters: Filters }) {
  return (
    <BreakdownPanel title="UTM campaigns" dimensions={CAMPAIGNS} filters={props.filters} testId="campaigns" />
  );
}

export function PagesPanel(props: { filters: Filters }) {
  return <BreakdownPanel title="Pages" dimensions={PAGES} filters={props.filters} testId="pages" />;
}

export function DevicesPanel(props: { filters: Filters }) {
  return <BreakdownPanel title="Devices" dimensions={DEVICES} filters={props.filters} testId="devices" />;
}

export function GoalsPanel(props: { filters: Filters }) {
  const state = useApi<GoalsResult>(metricsUrl('traffic/goals', props.filters));
  return (
    <Panel title="Goal conversions" testId="goals">
      <PanelBody
        state={state}
        isEmpty={(g) => g.goals.length === 0}
        empty={
          <span>
            No custom events in this period. Send one from a page with <code>portfolio('Signup')</code>.
          </span>
        }
      >
        {(g) => (
          <BarList
            columns={['Goal', 'Uniques', 'Total', 'CR', 'Value']}
            rows={g.goals.map((row) => ({
              key: row.goal,
              label: row.goal,
              value: row.uniques,
              cells: [
                formatCount(row.uniques),
                formatCount(row.events),
                formatPercent(row.conversionRate),
                row.valueEur ? formatEur(row.valueEur) : '—',
              ],
            }))}
          />
        )}
      </PanelBody>
    </Panel>
  );
}

/** An ordered funnel over goals and pages; its steps are kept in the URL (`funnel=`). */
export function FunnelPanel(props: { filters: Filters }) {
  const goals = useApi<GoalsResult>(metricsUrl('traffic/goals', props.filters));
  const [stepsParam, setStepsParam] = useQueryParam<string>('funnel', '');
  const [draft, setDraft] = useState('');
  const steps = stepsParam.split(',').filter((s) => s !== '');
  const suggestions = (goals.data?.goals ?? []).map((g) => g.goal).filter((g) => !steps.includes(g));
  const funnel = useApi<FunnelResult>(
    steps.length >= 2 ? metricsUrl('traffic/funnel', props.filters, { steps: steps.join(',') }) : null,
  );
  const setSteps = (next: string[]) => setStepsParam(next.join(','));
  // A first funnel to try: the home page, then the two goals reached by most visitors.
  const suggested = [
    '/',
    ...[...(goals.data?.goals ?? [])]
      .sort((a, b) => b.uniques - a.uniques)
      .slice(0, 2)
      .map((g) => g.goal),
  ];
  const add = (step: string) => {
    const s = step.trim();
    if (s && !steps.includes(s) && !s.includes(',')) setSteps([...steps, s]);
    setDraft('');
  };

  const first = funnel.data?.steps[0]?.visitors ?? 0;
  return (
    <Panel title="Funnel" testId="funnel">
      <div className="panel-body stack" style={{ gap: 12 }}>
        <div className="chips">
          {steps.map((s, i) => (
            <span className="chip" key={s}>
              {i + 1}. {s}
              <button
                type="button"
                aria-label={`Remove step ${s}`}
                onClick={() => setSteps(steps.filter((x) => x !== s))}
              >
                ×
              </button>
            </span>
          ))}
          <form
            className="chips"
            onSubmit={(e) => {
              e.preventDefault();
              add(draft);
            }}
          >
            <input
              className="input"
              style={{ width: 220, height: 30 }}
              list="funnel-suggestions"
              placeholder={steps.length === 0 ? 'First step: a goal or /page' : 'Next step…'}
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              aria-label="Add a funnel step"
            />
            <datalist id="funnel-suggestions">
              {suggestions.map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
            <button type="submit" className="btn btn-small">
              Add step
            </button>
          </form>
        </div>
        {steps.length < 2 ? (
          <div className="state" style={{ minHeight: 80 }}>
            <span>
              Pick at least two steps — goals (custom event names) or page paths starting with “/” — to see
              how many visitors go through them in order.
            </span>
            {steps.length === 0 && suggested.length >= 2 && (
              <button
                type="button"
                className="btn btn-small"
                data-testid="funnel-suggestion"
                onClick={() => setSteps(suggested)}
              >
                Try {suggested.join(' → ')}
              </button>
            )}
          </div>
        ) : (
          <PanelBody state={funnel} height={120}>
            {(f) => (
              <div className="funnel">
                {f.steps.map((s, i) => {
                  const visitors = s.visitors;
                  const label = s.step;
                  return (
                    <div className="funnel-step" key={label}>
                      <span className="funnel-index">{i + 1}</span>
                      <div className="funnel-bar">
                        <span style={{ width: `${first > 0 ? (visitors / first) * 100 : 0}%` }} />
                        <em>{label}</em>
                      </div>
                      <span className="num" style={{ minWidth: 150, textAlign: 'right' }}>
                        <strong>{formatCount(visitors)}</strong>{' '}
                        <span className="muted">
                          {i === 0
                            ? 'visitors'
                            : `${formatPercent(s.conversionRate)} · −${formatCount(s.dropOff)}`}
                        </span>
                      </span>
                    </div>
                  );
                })}
              </div>
            )}
          </PanelBody>
        )}
      </div>
    </Panel>
  );
}
