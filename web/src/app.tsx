import { useEffect } from 'react';
import { TopBar } from './components/layout.tsx';
import { AlertsPage } from './pages/alerts.tsx';
import { DomainPage } from './pages/domain.tsx';
import { ExperimentPage } from './pages/experiment.tsx';
import { ExperimentsPage } from './pages/experiments.tsx';
import { KpisPage } from './pages/kpis.tsx';
import { LoginPage } from './pages/login.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { RevenuePage } from './pages/revenue.tsx';
import { RewardsPage } from './pages/rewards.tsx';
import { UptimePage } from './pages/uptime.tsx';
import { UsersPage } from './pages/users.tsx';
import { matchRoute, navigate, useLocation } from './router.ts';
import { ProvideSession, useSessionState } from './session.tsx';

/** Where to go after logging in: the page that asked for it, never another site. */
function nextPath(search: URLSearchParams): string {
  const next = search.get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function Page() {
  const { path } = useLocation();
  const route = matchRoute(path);
  switch (route.page) {
    case 'overview':
      return <OverviewPage />;
    case 'domain':
      return <DomainPage key={route.host} host={route.host} />;
    case 'revenue':
      return <RevenuePage />;
    case 'users':
      return <UsersPage />;
    case 'kpis':
      return <KpisPage />;
    case 'alerts':
      return <AlertsPage />;
    case 'uptime':
      return <UptimePage />;
    case 'experiments':
      return <ExperimentsPage />;
    case 'experiment':
      return <ExperimentPage key={route.key} experimentKey={route.key} />;
    case 'rewards':
      return <RewardsPage />;
    default:
      return (
        <div className="panel">
          <div className="state">
            <strong>There is no page at {path}.</strong>
            <a href="/">Back to the overview</a>
          </div>
        </div>
      );
  }
}

export function App() {
  const [state, refresh] = useSessionState();
  const { path, search } = useLocation();
  const onLogin = path === '/login';

  // Signed out: the login page, remembering where the operator was going.
  useEffect(() => {
    if (state.status === 'anonymous' && !onLogin) {
      const here = window.location.pathname + window.location.search;
      navigate(here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`, { replace: true });
    }
    if (state.status === 'ready' && onLogin) navigate(nextPath(search), { replace: true });
  }, [state.status, onLogin, search]);

  if (state.status === 'loading') {
    return <div className="state" style={{ minHeight: '100vh' }} aria-busy="true" />;
  }
  if (state.status === 'error') {
    return (
      <div className="login">
        <div className="login-card" role="alert">
          <h1>The server did not answer</h1>
          <p className="hint">{state.error.message}</p>
          <button type="button" className="btn btn-primary" onClick={refresh}>
            Try again
          </button>
        </div>
      </div>
    );
  }
  if (state.status === 'anonymous') return <LoginPage onLoggedIn={refresh} />;
  if (onLogin) return null;

  return (
    <ProvideSession session={state.session}>
      <TopBar />
      <main className="container">
        {state.session.domains.length === 0 ? (
          <div className="panel">
            <div className="state">
              <strong>No domains to show.</strong>
              <span>
                Your access does not include any domain of the portfolio yet; ask the owner to add one.
              </span>
            </div>
          </div>
        ) : (
          <Page />
        )}
      </main>
    </ProvideSession>
  );
}
