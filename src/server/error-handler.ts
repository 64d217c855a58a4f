import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DbError } from '../db/types.ts';
import { AppError } from '../shared/app-error.ts';

export const ErrorBody = z
  .object({
    error: z.object({
      code: z
        .string()
        .describe('Stable machine-readable code, e.g. invalid_request, unauthenticated, forbidden'),
      message: z.string(),
      field: z.string().optional().describe('The offending input, e.g. body.email or query.domain'),
      details: z.unknown().optional(),
    }),
  })
  .describe('Every error has this shape');
export type ErrorBody = z.infer<typeof ErrorBody>;

// Constraint violations that reached the database: a race past the verb's own checks.
const DB_ERRORS: Record<string, [number, string, string]> = {
  '23505': [409, 'conflict', 'already exists'],
  '23503': [409, 'conflict', 'refers to something that does not exist or is still referenced'],
  '42501': [403, 'forbidden', 'not allowed in your scope'],
};

/** Connection loss, server shutdown, too many connections: the client should retry. */
function isTransient(code: string | undefined): boolean {
  if (!code) return false;
  return (
    code.startsWith('08') || ['57P01', '57P02', '57P03', '53300', 'ECONNREFUSED', 'ECONNRESET'].includes(code)
  );
}

function body(code: string, message: string, field?: string, details?: unknown): ErrorBody {
  return {
    error: { code, message, ...(field ? { field } : {}), ...(details !== undefined ? { details } : {}) },
  };
}

function fieldPath(context: string | undefined, instancePath: string): string {
  const path = instancePath.split('/').filter(Boolean).join('.');
  return [context, path].filter(Boolean).join('.');
}

/** Maps every failure to `{ error: { code, message, field } }`: one shape for clients to handle. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      if (err.status >= 500 && err.code !== 'unavailable') request.log.error({ err }, err.message);
      if (err.retryAfterSeconds !== undefined) reply.header('retry-after', String(err.retryAfterSeconds));
      return reply.code(err.status).send(body(err.code, err.message, err.field, err.details));
    }
    if (err instanceof DbError && isTransient(err.code)) {
      request.log.warn({ err }, 'database unavailable');
      reply.header('retry-after', '1');
      return reply
        .code(503)
        .send(body('unavailable', 'the database is unavailable; nothing was stored, retry shortly'));
    }
    if (err instanceof DbError && err.code && DB_ERRORS[err.code]) {
      const [status, code, message] = DB_ERRORS[err.code] as [number, string, string];
      request.log.warn({ err }, message);
      return reply.code(status).send(body(code, `${message}: ${err.detail ?? err.message}`, err.constraint));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      // Fastify sets the part of the request that failed (body, querystring, params, headers).
      const context = (err as { validationContext?: string }).validationContext;
      const first = err.validation[0];
      const field = first ? fieldPath(context, first.instancePath) : undefined;
      const message = err.validation
        .map((v) => `${fieldPath(context, v.instancePath) || 'request'}: ${v.message}`)
        .join('; ');
      return reply.code(400).send(body('invalid_request', message, field));
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, 'response does not match its schema');
      return reply.code(500).send(body('internal', 'internal error'));
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(415).send(body('invalid_request', err.message, 'headers.content-type'));
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // Fastify's own client errors: malformed JSON, body too large, bad content type…
      if (err.statusCode === 413) return reply.code(413).send(body('payload_too_large', err.message, 'body'));
      return reply.code(err.statusCode).send(body('invalid_request', err.message));
    }
    request.log.error({ err }, 'unhandled error');
    return reply.code(500).send(body('internal', 'internal error'));
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(body('not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
  });
}

/** OpenAPI response entries for the error statuses a route can answer, all with the one error shape. */
export function errorResponses<const S extends readonly number[]>(
  ...statuses: S
): { [K in S[number]]: typeof ErrorBody } {
  return Object.fromEntries(statuses.map((s) => [s, ErrorBody])) as { [K in S[number]]: typeof ErrorBody };
}
