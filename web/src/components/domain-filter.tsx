import type { DomainInfo } from '../api/types.ts';
import { Popover } from './popover.tsx';

/** Which domains the numbers cover: all (default) or a selection, from the domains the API lists. */
export function DomainFilter(props: {
  domains: DomainInfo[];
  selected: string[];
  onChange: (hosts: string[]) => void;
}) {
  const { domains, selected, onChange } = props;
  const known = selected.filter((h) => domains.some((d) => d.host === h));
  const label =
    known.length === 0
      ? `All domains (${domains.length})`
      : known.length === 1
        ? (domains.find((d) => d.host === known[0])?.name ?? known[0])
        : `${known.length} domains`;
  const toggle = (host: string) => {
    const next = known.includes(host) ? known.filter((h) => h !== host) : [...known, host];
    onChange(next.length === domains.length ? [] : next);
  };

  return (
    <Popover label={label} title="Filter domains" testId="domain-filter">
      {() => (
        <>
          <button
            type="button"
            role="menuitemcheckbox"
            className="menu-item"
            aria-checked={known.length === 0}
            onClick={() => onChange([])}
          >
            All domains
          </button>
          <div className="menu-sep" />
          {domains.map((d) => (
            <button
              key={d.host}
              type="button"
              role="menuitemcheckbox"
              className="menu-item"
              aria-checked={known.includes(d.host)}
              data-host={d.host}
              onClick={() => toggle(d.host)}
            >
              <input
                type="checkbox"
                readOnly
                tabIndex={-1}
                checked={known.includes(d.host)}
                aria-hidden="true"
              />
              <span>
                {d.name}
                <span className="muted" style={{ display: 'block', fontSize: 12, fontWeight: 400 }}>
                  {d.host}
                </span>
              </span>
            </button>
          ))}
        </>
      )}
    </Popover>
  );
}
