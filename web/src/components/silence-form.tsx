import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import type { AlertOut, SilenceOut } from '../api/types.ts';

const DURATIONS = [
  { value: '1', label: '1 hour' },
  { value: '4', label: '4 hours' },
  { value: '24', label: '1 day' },
  { value: '168', label: '1 week' },
];

/**
 * Silences one alert: matchers on every label it has (as Alertmanager's "silence" button does), so
 * only this alert is muted, for the chosen time, with the reason the team will read.
 */
export function SilenceForm(props: { alert: AlertOut; onDone: () => void; onCancel: () => void }) {
  const [hours, setHours] = useState('4');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api<SilenceOut>('/api/v1/silences', {
        method: 'POST',
        body: {
          matchers: Object.entries(props.alert.labels).map(([name, value]) => ({ name, op: '=', value })),
          endsAt: new Date(Date.now() + Number(hours) * 3_600_000).toISOString(),
          comment: comment.trim(),
        },
      });
      props.onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <form className="silence-form" onSubmit={submit} data-testid="silence-form">
      <label className="field">
        <span>Silence for</span>
        <select value={hours} onChange={(e) => setHours(e.target.value)} aria-label="Silence for">
          {DURATIONS.map((d) => (
            <option key={d.value} value={d.value}>
              {d.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field silence-comment">
        <span>Why</span>
        <input
          className="input"
          required
          maxLength={1000}
          value={comment}
          placeholder="e.g. known outage, fix deploying"
          aria-label="Why"
          onChange={(e) => setComment(e.target.value)}
        />
      </label>
      <div className="alert-actions">
        <button type="submit" className="btn btn-primary btn-small" disabled={busy || comment.trim() === ''}>
          Silence
        </button>
        <button type="button" className="btn btn-small" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
    </form>
  );
}
