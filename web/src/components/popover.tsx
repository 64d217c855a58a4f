import { type ReactNode, useEffect, useId, useRef, useState } from 'react';

/** A button that opens a panel below it; closes on outside click, Escape, or when `close()` is called. */
export function Popover(props: {
  label: ReactNode;
  title: string;
  testId?: string;
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const id = useId();

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div className="popover" ref={root}>
      <button
        type="button"
        className="btn"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={id}
        title={props.title}
        data-testid={props.testId}
        onClick={() => setOpen((o) => !o)}
      >
        {props.label}
        <span className="caret" aria-hidden="true">
          ▼
        </span>
      </button>
      {open && (
        <div className="popover-panel" id={id}>
          {props.children(() => setOpen(false))}
        </div>
      )}
    </div>
  );
}
