import type { FastifyRequest } from 'fastify';
import { clientIp } from './enrich/visitor-id.ts';
import type { RequestOrigin } from './ingest-service.ts';

export function requestOrigin(request: FastifyRequest, trustProxy: boolean): RequestOrigin {
  return {
    ip: clientIp(request.headers, request.socket.remoteAddress ?? '', trustProxy),
    userAgent: String(request.headers['user-agent'] ?? '').slice(0, 1000),
    now: new Date(),
  };
}
