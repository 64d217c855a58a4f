import type { MouseEvent, ReactNode } from 'react';
import { hrefKeepingFilters, useFilters } from '../filters.ts';
import { navigate, useLocation } from '../router.ts';
import { useSession } from '../session.tsx';
import { useTheme } from '../theme.ts';
import { BrandMark } from './brand-mark.tsx';
import { DateRangePicker } from './date-range-picker.tsx';
import { DomainFilter } from './domain-filter.tsx';

/** An in-app link: navigates without reloading and keeps the range, comparison and domain filter. */
export function Link(props: {
  to: string;
  children: ReactNode;
  className?: string;
  current?: boolean;
  keepFilters?: boolean;
}) {
  const { search } = useLocation();
  const href = props.keepFilters === false ? props.to : hrefKeepingFilters(props.to, search);
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return (
    <a
      href={href}
      onClick={onClick}
      className={props.className}
      aria-current={props.current ? 'page' : undefined}
    >
      {props.children}
    </a>
  );
}

const NAV = [
  { to: '/', label: 'Overview' },
  { to: '/revenue', label: 'Revenue' },
  { to: '/users', label: 'Users' },
  { to: '/kpis', label: 'KPIs' },
  { to: '/uptime', label: 'Uptime' },
  { to: '/alerts', label: 'Alerts' },
  { to: '/experiments', label: 'Experiments' },
  { to: '/rewards', label: 'Rewards' },
];

function ThemeToggle() {
  const [theme, toggle] = useTheme();
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="btn btn-ghost btn-small"
      onClick={toggle}
      title={`Switch to ${next} mode`}
      aria-label={`Switch to ${next} mode`}
      data-testid="theme-toggle"
    >
      {theme === 'dark' ? (
        <svg
          width="16"
          height="16"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          aria-hidden="true"
        >
          <circle cx="12" cy="12" r="4" />
          <path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" />
        </svg>
      ) : (
        <svg
          width="16"
          height="16"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          aria-hidden="true"
        >
          <path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z" />
        </svg>
      )}
    </button>
  );
}

export function TopBar() {
  const session = useSession();
  const { path } = useLocation();
  return (
    <header className="topbar">
      <div className="container topbar-inner">
        <Link to="/" className="brand">
          <BrandMark />
          <span className="brand-name">Portfolio OS</span>
        </Link>
        <nav className="nav" aria-label="Main">
          {NAV.map((n) => (
            <Link
              key={n.to}
              to={n.to}
              current={
                n.to === '/'
                  ? path === '/' || path.startsWith('/domains/')
                  : path === n.to || path.startsWith(`${n.to}/`)
              }
            >
              {n.label}
            </Link>
          ))}
        </nav>
        <div className="topbar-user">
          <span className="who" title={session.me.role ?? undefined}>
            {session.label}
          </span>
          <ThemeToggle />
          <button type="button" className="btn btn-small" onClick={() => void session.logout()}>
            Log out
          </button>
        </div>
      </div>
    </header>
  );
}

/** A page's title and subtitle, with anything shown beside them. */
function PageTitle(props: { title: ReactNode; sub?: ReactNode; extra?: ReactNode }) {
  return (
    <div className="page-title">
      <div>
        <h1>{props.title}</h1>
        {props.sub && <div className="sub">{props.sub}</div>}
      </div>
      {props.extra}
    </div>
  );
}

/** A page title row with page-specific controls (no date range: these pages are not ranged by it). */
export function SimplePageHead(props: { title: ReactNode; sub?: ReactNode; controls?: ReactNode }) {
  return (
    <div className="page-head">
      <PageTitle title={props.title} sub={props.sub} />
      {props.controls && <div className="controls">{props.controls}</div>}
    </div>
  );
}

/** The title row of a page with the global controls on the right. */
export function PageHead(props: {
  title: ReactNode;
  sub?: ReactNode;
  extra?: ReactNode;
  domainFilter?: boolean;
}) {
  const [filters, setFilters] = useFilters();
  const { domains } = useSession();
  return (
    <div className="page-head">
      <PageTitle title={props.title} sub={props.sub} extra={props.extra} />
      <div className="controls">
        {props.domainFilter !== false && domains.length > 1 && (
          <DomainFilter
            domains={domains}
            selected={filters.domains}
            onChange={(hosts) => setFilters({ domains: hosts })}
          />
        )}
        <DateRangePicker filters={filters} onChange={setFilters} />
      </div>
    </div>
  );
}
