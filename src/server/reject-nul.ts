import type { FastifyInstance } from 'fastify';
import { AppError } from '../shared/app-error.ts';

/** The path of the first key or string value holding U+0000, which PostgreSQL text cannot store. */
export function findNul(value: unknown, path: string[] = []): string[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes('\u0000')) return [...path, key];
    const found = findNul(inner, [...path, key]);
    if (found) return found;
  }
  return null;
}

/** Rejects any request whose body or query contains NUL, before validation and storage see it. */
export function installNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [
      ['body', request.body],
      ['query', request.query],
    ] as const) {
      const at = findNul(value);
      if (at) {
        const field = [part, ...at].join('.');
        throw new AppError('invalid_request', `${field}: must not contain NUL characters`, field);
      }
    }
  });
}
