import { useState } from 'react';

/** The empty state of a domain without data: the one line to add to its pages. */
export function TrackerSnippet(props: { host?: string; title?: string }) {
  const host = props.host ?? 'example.com';
  const snippet = `<script defer data-domain="${host}" src="${window.location.origin}/js/script.js"></script>`;
  const [copied, setCopied] = useState(false);
  return (
    <div className="install" data-testid="tracker-snippet">
      <h3>{props.title ?? 'No visitors recorded yet'}</h3>
      <p>
        Add this line to the <code>&lt;head&gt;</code> of every page of{' '}
        {props.host ? <strong>{host}</strong> : 'your site'}. Page views show up here within seconds; the
        script is under 2 kB, sets no cookies and stores no IP address.
      </p>
      <div className="snippet">
        <code>{snippet}</code>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            void navigator.clipboard?.writeText(snippet).then(() => setCopied(true));
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p>
        Custom events and revenue:{' '}
        <code>
          portfolio('Signup', {'{'} props: {'{'} plan: 'pro' {'}'} {'}'})
        </code>
        . A site already using Plausible or Umami can point its existing snippet at this server.
      </p>
    </div>
  );
}
