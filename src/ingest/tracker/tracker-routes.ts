import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServerDeps } from '../../server/build-server.ts';
import { compactScript } from './compact-script.ts';

export interface ServedScript {
  body: string;
  etag: string;
}

/** Reads and compacts a browser script shipped next to this file. */
export async function loadScript(file: string): Promise<ServedScript> {
  const body = compactScript(await readFile(new URL(file, import.meta.url), 'utf8'));
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/** `If-None-Match` uses the weak comparison: `W/"x"` matches `"x"`, and `*` matches anything. */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const value = tag.trim();
    return value === '*' || value.replace(/^W\//, '') === etag;
  });
}

const PATHS: Record<string, string> = {
  '/js/script.js': 'script.js',
  '/js/script.vitals.js': 'vitals.js',
  '/js/script.experiments.js': 'experiments.js',
};

/**
 * Plausible's script names, so a site switches by changing only the host: `plausible.js` and the
 * variants whose extensions ours covers (hash routing is read from the name, as Plausible does;
 * outbound links, downloads and revenue are always on). Others, such as `manual` (no automatic
 * page views) or `exclusions`, would count differently and are not served.
 */
export const PLAUSIBLE_NAME = /^(plausible|script)(\.(hash|outbound-links|file-downloads|revenue))*\.js$/;

/** Serves the tracker scripts, read once at start-up, cacheable for an hour and revalidated by etag. */
export function trackerRoutes(_deps: ServerDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const files = new Map<string, ServedScript>();
    for (const file of new Set(Object.values(PATHS))) files.set(file, await loadScript(`./${file}`));
    const serve = (script: ServedScript, request: FastifyRequest, reply: FastifyReply) => {
      reply
        .header('cache-control', 'public, max-age=3600')
        .header('etag', script.etag)
        // Lets sites load it with `crossorigin` and Subresource Integrity.
        .header('access-control-allow-origin', '*');
      if (matchesEtag(request.headers['if-none-match'], script.etag)) return reply.code(304).send();
      return reply.type('application/javascript; charset=utf-8').send(script.body);
    };
    const options = { config: { public: true }, logLevel: 'warn', schema: { hide: true } } as const;
    for (const [path, file] of Object.entries(PATHS)) {
      const script = files.get(file) as ServedScript;
      app.get(path, options, async (request, reply) => serve(script, request, reply));
    }
    const tracker = files.get('script.js') as ServedScript;
    app.get<{ Params: { file: string } }>('/js/:file', options, async (request, reply) =>
      PLAUSIBLE_NAME.test(request.params.file) ? serve(tracker, request, reply) : reply.callNotFound(),
    );
  };
}
