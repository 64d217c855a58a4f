import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import { BrandMark } from '../components/brand-mark.tsx';

/** Sign in with an operator login token (printed once by the first start or `operators add`). */
export function LoginPage(props: { onLoggedIn: () => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (token.trim() === '') {
      setError('Paste your login token.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api('/api/v1/auth/login', { method: 'POST', body: { token: token.trim() } });
      props.onLoggedIn();
    } catch (err) {
      const e2 = err as ApiError;
      setError(
        e2 instanceof ApiError && e2.status === 401
          ? 'This token was not accepted: it is unknown or has been revoked. Check that you copied the whole token.'
          : e2.message,
      );
      setBusy(false);
    }
  };

  return (
    <div className="login">
      <form className="login-card" onSubmit={submit} noValidate>
        <div style={{ display: 'flex', alignItems: 'center', gap: 10 }}>
          <BrandMark />
          <h1>Sign in to Portfolio OS</h1>
        </div>
        <label className="field">
          Login token
          <input
            className="input"
            type="password"
            name="token"
            autoComplete="current-password"
            placeholder="pos_op_…"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            aria-invalid={error !== null}
            aria-describedby="token-help"
            // biome-ignore lint/a11y/noAutofocus: the only field of the page
            autoFocus
          />
        </label>
        {error && (
          <div className="alert alert-error" role="alert" data-testid="login-error">
            {error}
          </div>
        )}
        <button
          type="submit"
          className="btn btn-primary"
          disabled={busy}
          style={{ justifyContent: 'center', height: 38 }}
        >
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="hint" id="token-help">
          The owner's token is printed once when the server first starts. Other operators get theirs from{' '}
          <code>portfolio-os operators add</code>.
        </p>
      </form>
    </div>
  );
}
