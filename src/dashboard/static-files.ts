import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../shared/app-error.ts';

/** Where `npm run build` writes the dashboard. */
export const DEFAULT_DIST_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.map', '.webmanifest', '.txt']);

// The app talks only to its own origin and has no inline script or style (React sets styles through
// the CSSOM, which CSP does not restrict).
const HTML_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; connect-src 'self'; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
};

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Portfolio OS</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2937}
code{background:#f3f4f6;padding:.15rem .35rem;border-radius:4px}</style></head>
<body><h1>The dashboard is not built yet</h1>
<p>The API is running, but the web dashboard has not been built. In the project folder, run</p>
<p><code>npm run build</code></p><p>then reload this page.</p></body></html>
`;

interface CachedFile {
  mtimeMs: number;
  size: number;
  body: Buffer;
  gzipped: Buffer | null;
}

/** Files are read once and kept (the built app is a few hundred kilobytes); a rebuild is noticed by mtime. */
async function load(cache: Map<string, CachedFile>, file: string): Promise<CachedFile | null> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return null;
  const cached = cache.get(file);
  if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached;
  const body = await readFile(file);
  const gzipped = COMPRESSIBLE.has(extname(file)) && body.length > 1024 ? gzipSync(body) : null;
  const entry = { mtimeMs: info.mtimeMs, size: info.size, body, gzipped };
  cache.set(file, entry);
  return entry;
}

function send(
  request: FastifyRequest,
  reply: FastifyReply,
  file: CachedFile,
  type: string,
  immutable: boolean,
) {
  const etag = `W/"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`;
  reply
    .header('content-type', type)
    .header('etag', etag)
    .header('x-content-type-options', 'nosniff')
    // Hashed file names change with their content, so they may be kept for good; the rest is revalidated.
    .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  if (type.startsWith('text/html')) reply.headers(HTML_HEADERS);
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  if (file.gzipped) {
    reply.header('vary', 'accept-encoding');
    if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
      return reply.header('content-encoding', 'gzip').send(file.gzipped);
    }
  }
  return reply.send(file.body);
}

/**
 * Serves the built dashboard (`web/dist`) at `/`: files as they are, `index.html` for any other
 * path that is not an API or asset path (client-side routes), and a page saying how to build it
 * when it is missing. Registered last-resort (`/*`): every specific route still wins.
 */
export function staticDashboardRoutes(distDir: string = DEFAULT_DIST_DIR): FastifyPluginAsync {
  const root = resolve(distDir);
  const cache = new Map<string, CachedFile>();

  return async (app) => {
    app.get('/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      const notFound = () => new AppError('not_found', `no route ${request.method} ${path}`);
      // Unknown API paths keep the API's JSON 404 instead of getting the app's HTML.
      if (path === '/api' || path.startsWith('/api/')) throw notFound();
      let relative: string;
      try {
        relative = decodeURIComponent(path);
      } catch {
        throw notFound();
      }
      const file = resolve(root, `.${relative}`);
      if (file.startsWith(root + sep)) {
        const found = await load(cache, file);
        if (found) {
          const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
          return send(request, reply, found, type, relative.startsWith('/assets/'));
        }
      }
      // A missing file (a stale asset name) is a 404, not the app: the browser would parse HTML as code.
      // Other dotted paths are the app's own (a domain page: /domains/fixie.run).
      if (relative.startsWith('/assets/') || Object.hasOwn(CONTENT_TYPES, extname(relative)))
        throw notFound();
      const index = await load(cache, resolve(root, 'index.html'));
      if (!index) return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
      return send(request, reply, index, CONTENT_TYPES['.html'] as string, false);
    });
  };
}
