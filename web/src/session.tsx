import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { ApiError, api, UNAUTHENTICATED_EVENT } from './api/client.ts';
import type { DomainInfo, Me } from './api/types.ts';

export interface Session {
  me: Me;
  /** The operator's name for the top bar: their e-mail for an operator. */
  label: string;
  /** Every domain the operator may see (the server limits this list to their scope). */
  domains: DomainInfo[];
  logout: () => Promise<void>;
}

type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous' }
  | { status: 'error'; error: ApiError }
  | { status: 'ready'; session: Session };

const SessionContext = createContext<Session | null>(null);

/** The signed-in operator; only rendered inside a ready session. */
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in view');
  return s;
}

/** Loads who is signed in and their domains; `refresh` after logging in. */
export function useSessionState(): [SessionState, () => void] {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: generation is the refresh trigger
  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const me = await api<Me>('/api/v1/auth/me');
        const { domains } = await api<{ domains: DomainInfo[] }>('/api/v1/domains');
        if (cancelled) return;
        const logout = async () => {
          await api('/api/v1/auth/logout', { method: 'POST' }).catch(() => undefined);
          setState({ status: 'anonymous' });
        };
        const label = me.actor.replace(/^operator:/, '');
        setState({ status: 'ready', session: { me, label, domains, logout } });
      } catch (err) {
        if (cancelled) return;
        if (err instanceof ApiError && err.status === 401) setState({ status: 'anonymous' });
        else setState({ status: 'error', error: err as ApiError });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [generation]);

  useEffect(() => {
    const onExpired = () => setState({ status: 'anonymous' });
    window.addEventListener(UNAUTHENTICATED_EVENT, onExpired);
    return () => window.removeEventListener(UNAUTHENTICATED_EVENT, onExpired);
  }, []);

  const refresh = useCallback(() => {
    setState({ status: 'loading' });
    setGeneration((g) => g + 1);
  }, []);
  return [state, refresh];
}

export function ProvideSession(props: { session: Session; children: ReactNode }) {
  return <SessionContext.Provider value={props.session}>{props.children}</SessionContext.Provider>;
}
