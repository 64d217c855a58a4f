import { useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import type { ExperimentOut, Me } from '../api/types.ts';

export function canManageExperiments(me: Me): boolean {
  return me.role === 'owner' || me.role === 'admin';
}

/**
 * Start, stop and ship, for owners and admins (the API refuses others; the buttons are not shown
 * to them). Shipping asks which variation, preselecting the recommended one.
 */
export function ExperimentActions(props: {
  experiment: ExperimentOut;
  recommended?: string | undefined;
  onChanged: () => void;
}) {
  const e = props.experiment;
  const variations = e.definition.variations;
  const [shipping, setShipping] = useState(false);
  const preferred = () => props.recommended ?? variations[1]?.key ?? variations[0]?.key ?? '';
  const [variation, setVariation] = useState(preferred);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const act = async (action: 'start' | 'stop' | 'ship', body: Record<string, string> = {}) => {
    setBusy(true);
    setError(null);
    try {
      await api<ExperimentOut>(`/api/v1/experiments/${encodeURIComponent(e.key)}/${action}`, {
        method: 'POST',
        body,
      });
      setShipping(false);
      props.onChanged();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="exp-actions" data-testid="experiment-actions">
      {(e.status === 'draft' || e.status === 'stopped') && (
        <button
          type="button"
          className="btn btn-primary btn-small"
          disabled={busy}
          onClick={() => void act('start')}
        >
          {e.status === 'draft' ? 'Start' : 'Restart'}
        </button>
      )}
      {e.status === 'running' && (
        <button
          type="button"
          className="btn btn-small"
          disabled={busy}
          onClick={() => void act('stop', { reason: 'stopped from the dashboard' })}
        >
          Stop
        </button>
      )}
      {(e.status === 'running' || e.status === 'stopped') &&
        (shipping ? (
          <span className="exp-ship">
            <select
              className="input"
              aria-label="Variation to ship"
              value={variation}
              onChange={(ev) => setVariation(ev.target.value)}
            >
              {variations.map((v) => (
                <option key={v.key} value={v.key}>
                  {v.name}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="btn btn-primary btn-small"
              disabled={busy || !variation}
              onClick={() => void act('ship', { variation })}
            >
              Ship to everyone
            </button>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setShipping(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <button
            type="button"
            className="btn btn-small"
            disabled={busy}
            onClick={() => {
              setVariation(preferred());
              setShipping(true);
            }}
          >
            Ship…
          </button>
        ))}
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
