import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

// Plausible's published tracker, served to test pages as ES modules. Its imports have no
// extension (`./lib/tracker`), so files are looked up with `.js` appended when needed.
const PLAUSIBLE_BUILD = new URL('../../node_modules/plausible-tracker/build/module/', import.meta.url)
  .pathname;

/**
 * The sites under test: a tiny HTTP server on its own port, so pages and the API are different
 * origins as in production. `http://127.0.0.1:PORT` and `http://localhost:PORT` act as two sites.
 */
export async function startPageServer() {
  const pages = new Map<string, string>();
  const requested: string[] = [];
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://pages');
    requested.push(`${request.headers.host}${request.url}`);
    const page = pages.get(url.pathname);
    if (page !== undefined) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    } else if (url.pathname.startsWith('/plausible-tracker/')) {
      const file = normalize(join(PLAUSIBLE_BUILD, url.pathname.slice('/plausible-tracker/'.length)));
      if (!file.startsWith(PLAUSIBLE_BUILD)) return response.writeHead(403).end();
      const body = await readFile(extname(file) ? file : `${file}.js`).catch(() => null);
      if (body === null) return response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(body);
    } else if (url.pathname.startsWith('/files/')) {
      response
        .writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment' })
        .end('%PDF-1.4 test');
    } else {
      // Any other path is a plain page without a tracker: where outbound links land.
      response
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!doctype html><p>landed</p>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    /** Origin of the first site (127.0.0.1) and of the second one (localhost). */
    origin: `http://127.0.0.1:${port}`,
    otherOrigin: `http://localhost:${port}`,
    /** `host/path?query` of every request received, oldest first. */
    requested,
    /** Registers the HTML answered for a path (on both hosts). */
    page(path: string, html: string): void {
      pages.set(path, html);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type PageServer = Awaited<ReturnType<typeof startPageServer>>;

export interface TrackerPageOptions {
  api: string;
  domain: string;
  /** Extra attributes on the tracker tag, e.g. `data-hash`. */
  attributes?: string;
  /** Script path on the API server (default /js/script.js). */
  src?: string;
  /** Markup and scripts placed in the head before the tracker (e.g. queued calls). */
  head?: string;
  body?: string;
  /** Local pages are ignored and so is automation, unless allowed: both are, by default. */
  allow?: boolean;
}

const QUEUE_SNIPPET =
  'window.portfolio = window.portfolio || function () { (window.portfolio.q = window.portfolio.q || []).push(arguments); };';

/** A page with our tracker, set up as the README documents it (queue snippet, then the tag). */
export function trackerPage(options: TrackerPageOptions): string {
  const allow = options.allow === false ? '' : ' data-allow-localhost data-allow-automation';
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>test page</title>
<script>${QUEUE_SNIPPET}</script>
${options.head ?? ''}
<script defer data-domain="${options.domain}"${allow} ${options.attributes ?? ''} src="${options.api}${options.src ?? '/js/script.js'}"></script>
</head><body><h1>A test page with enough text to paint</h1>${options.body ?? ''}</body></html>`;
}
