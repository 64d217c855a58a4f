import { AppError } from '../../shared/app-error.ts';

/** The chain cannot be used as configured (unreachable, wrong chain id, lost ownership, …). */
export class ChainError extends AppError {
  constructor(message: string, field?: string) {
    super('unavailable', message, field);
    this.name = 'ChainError';
  }
}

/** What the chain runtime logs through (pino's and Fastify's loggers fit). */
export interface ChainLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
