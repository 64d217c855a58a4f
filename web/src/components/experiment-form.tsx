import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import type { DomainInfo, ExperimentInput, ExperimentOut } from '../api/types.ts';

interface VariationDraft {
  key: string;
  name: string;
  /** Percent of the traffic, as typed. */
  weight: string;
}

type GoalKind = 'conversion' | 'revenue' | 'pageviews';

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^-+|-+$/g, '');

/** Equal split in whole percents, the remainder on the control: 34/33/33. */
function evenWeights(n: number): string[] {
  const each = Math.floor(100 / n);
  return Array.from({ length: n }, (_, i) => String(i === 0 ? 100 - each * (n - 1) : each));
}

/**
 * A new draft experiment: key, name, domains, variations with their share of traffic and the
 * primary metric with the direction that counts as better. The server's schema has the last word;
 * its message (and the field it names) is shown as it comes.
 */
export function ExperimentForm(props: {
  domains: DomainInfo[];
  onCreated: (e: ExperimentOut) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [keyEdited, setKeyEdited] = useState(false);
  const [hypothesis, setHypothesis] = useState('');
  const [hosts, setHosts] = useState<string[]>([]);
  const [variations, setVariations] = useState<VariationDraft[]>([
    { key: 'control', name: 'Control', weight: '50' },
    { key: 'treatment', name: 'Treatment', weight: '50' },
  ]);
  const [goal, setGoal] = useState<GoalKind>('conversion');
  const [event, setEvent] = useState('');
  const [direction, setDirection] = useState<'increase' | 'decrease'>('increase');
  const [engine, setEngine] = useState<'bayesian' | 'frequentist'>('bayesian');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const total = variations.reduce((s, v) => s + (Number(v.weight) || 0), 0);
  const setVariation = (i: number, patch: Partial<VariationDraft>) =>
    setVariations((vs) => vs.map((v, j) => (j === i ? { ...v, ...patch } : v)));
  const addVariation = () =>
    setVariations((vs) => {
      const next = [...vs, { key: `variant-${vs.length}`, name: `Variant ${vs.length}`, weight: '0' }];
      const weights = evenWeights(next.length);
      return next.map((v, i) => ({ ...v, weight: weights[i] ?? '0' }));
    });
  const removeVariation = (i: number) =>
    setVariations((vs) => {
      const next = vs.filter((_, j) => j !== i);
      const weights = evenWeights(next.length);
      return next.map((v, j) => ({ ...v, weight: weights[j] ?? '0' }));
    });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (Math.abs(total - 100) > 0.001) {
      setError(`The weights add up to ${total}%; they must add up to 100%.`);
      return;
    }
    const metricKey =
      goal === 'conversion' ? slug(event) || 'goal' : goal === 'revenue' ? 'revenue' : 'pageviews';
    const primary: ExperimentInput['metrics']['primary'] =
      goal === 'conversion'
        ? { key: metricKey, kind: 'conversion', event: event.trim(), direction }
        : goal === 'revenue'
          ? { key: metricKey, kind: 'revenue', direction }
          : { key: metricKey, kind: 'engagement', measure: 'pageviews', direction };
    const body: ExperimentInput = {
      key,
      name: name.trim(),
      ...(hypothesis.trim() ? { hypothesis: hypothesis.trim() } : {}),
      domains: hosts,
      variations: variations.map((v) => ({
        key: v.key,
        name: v.name.trim(),
        weight: Math.round(Number(v.weight) * 1000) / 100_000,
      })),
      metrics: { primary },
      decision: { engine },
    };
    setBusy(true);
    try {
      props.onCreated(await api<ExperimentOut>('/api/v1/experiments', { method: 'POST', body }));
    } catch (err) {
      const where = err instanceof ApiError && err.field ? ` (${err.field.replace(/^body\./, '')})` : '';
      setError(err instanceof ApiError ? `${err.message}${where}` : String(err));
      setBusy(false);
    }
  };

  return (
    <form className="exp-form" onSubmit={submit} data-testid="experiment-form">
      <div className="exp-form-row">
        <label className="field">
          <span>Name</span>
          <input
            className="input"
            required
            maxLength={200}
            value={name}
            placeholder="e.g. Shorter checkout"
            onChange={(e) => {
              setName(e.target.value);
              if (!keyEdited) setKey(slug(e.target.value));
            }}
          />
        </label>
        <label className="field">
          <span>Key</span>
          <input
            className="input mono"
            required
            maxLength={100}
            pattern="[a-z0-9][a-z0-9_.\-]*"
            title="Lowercase letters, digits, _ . or -"
            value={key}
            onChange={(e) => {
              setKey(e.target.value);
              setKeyEdited(true);
            }}
          />
        </label>
      </div>
      <label className="field">
        <span>Hypothesis (optional)</span>
        <input
          className="input"
          maxLength={2000}
          value={hypothesis}
          placeholder="e.g. Fewer steps make more visitors finish checkout"
          onChange={(e) => setHypothesis(e.target.value)}
        />
      </label>
      <fieldset className="exp-fieldset">
        <legend>Domains</legend>
        <div className="exp-domains">
          {props.domains.map((d) => (
            <label key={d.host} className="exp-check">
              <input
                type="checkbox"
                checked={hosts.includes(d.host)}
                onChange={(e) =>
                  setHosts((hs) => (e.target.checked ? [...hs, d.host] : hs.filter((h) => h !== d.host)))
                }
              />
              {d.host}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="exp-fieldset">
        <legend>Variations (the first is the control)</legend>
        {variations.map((v, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; their keys change as typed
          <div className="exp-variation" key={i} data-testid="variation-row">
            <input
              className="input mono"
              aria-label={`Variation ${i + 1} key`}
              required
              value={v.key}
              onChange={(e) => setVariation(i, { key: e.target.value })}
            />
            <input
              className="input"
              aria-label={`Variation ${i + 1} name`}
              required
              value={v.name}
              onChange={(e) => setVariation(i, { name: e.target.value })}
            />
            <span className="exp-weight">
              <input
                className="input"
                type="number"
                min={0}
                max={100}
                step="any"
                aria-label={`Variation ${i + 1} weight`}
                value={v.weight}
                onChange={(e) => setVariation(i, { weight: e.target.value })}
              />
              %
            </span>
            <button
              type="button"
              className="btn btn-ghost btn-small"
              disabled={variations.length <= 2}
              onClick={() => removeVariation(i)}
              aria-label={`Remove variation ${i + 1}`}
            >
              Remove
            </button>
          </div>
        ))}
        <div className="exp-form-foot">
          <button
            type="button"
            className="btn btn-small"
            onClick={addVariation}
            disabled={variations.length >= 20}
          >
            Add a variation
          </button>
          <span className={`hint${Math.abs(total - 100) > 0.001 ? ' exp-bad' : ''}`}>Total {total}%</span>
        </div>
      </fieldset>
      <fieldset className="exp-fieldset">
        <legend>Primary metric</legend>
        <div className="exp-form-row">
          <label className="field">
            <span>Goal</span>
            <select className="input" value={goal} onChange={(e) => setGoal(e.target.value as GoalKind)}>
              <option value="conversion">Conversion to an event</option>
              <option value="revenue">Revenue per visitor</option>
              <option value="pageviews">Page views per visitor</option>
            </select>
          </label>
          {goal === 'conversion' && (
            <label className="field">
              <span>Goal event</span>
              <input
                className="input"
                required
                maxLength={120}
                value={event}
                placeholder="e.g. Signup"
                onChange={(e) => setEvent(e.target.value)}
              />
            </label>
          )}
          <label className="field">
            <span>Better is</span>
            <select
              className="input"
              value={direction}
              onChange={(e) => setDirection(e.target.value as 'increase' | 'decrease')}
            >
              <option value="increase">Higher</option>
              <option value="decrease">Lower</option>
            </select>
          </label>
          <label className="field">
            <span>Statistics</span>
            <select
              className="input"
              value={engine}
              onChange={(e) => setEngine(e.target.value as 'bayesian' | 'frequentist')}
            >
              <option value="bayesian">Bayesian (chance to win)</option>
              <option value="frequentist">Frequentist (p-values)</option>
            </select>
          </label>
        </div>
      </fieldset>
      <p className="hint">
        It is saved as a draft; nobody sees a variation until you start it. Ship rule: 99% chance to win and
        at least 2% better; 95% power for a 5% change. Guardrails and secondary metrics are set through the
        API or the portfolio file.
      </p>
      <div className="alert-actions">
        <button type="submit" className="btn btn-primary btn-small" disabled={busy || hosts.length === 0}>
          Create draft
        </button>
        <button type="button" className="btn btn-small" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
      {error && (
        <div className="alert alert-error" role="alert" data-testid="experiment-form-error">
          {error}
        </div>
      )}
    </form>
  );
}
