import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { z } from 'zod';
import { AppError } from '../../shared/app-error.ts';

/**
 * Where a credential comes from: an environment variable or a file (Docker/Kubernetes secrets).
 * The portfolio file only ever names it, so the file can be committed and shown.
 */
export const SecretRef = z.union([
  z.strictObject({
    env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'),
  }),
  z.strictObject({ file: z.string().min(1).max(1000) }),
]);
export type SecretRef = z.infer<typeof SecretRef>;

/** A resolved credential. It prints, logs and serialises as `[secret]`; only `reveal()` gives the value. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[secret]';
  }
  toJSON(): string {
    return '[secret]';
  }
  [inspect.custom](): string {
    return '[secret]';
  }
}

export interface SecretSources {
  /** The environment, handed over by the startup code (code never reads process.env itself). */
  env: Readonly<Record<string, string | undefined>>;
  readFile?: (path: string) => string;
}

/** Resolves a reference once, at startup; `field` names the place in the config for the error. */
export function resolveSecret(ref: SecretRef, sources: SecretSources, field: string): Secret {
  let value: string | undefined;
  if ('env' in ref) {
    value = sources.env[ref.env];
    if (value === undefined || value === '')
      throw new AppError('invalid_portfolio', `${field}: environment variable ${ref.env} is not set`, field);
  } else {
    try {
      value = (sources.readFile ?? ((p) => readFileSync(p, 'utf8')))(ref.file);
    } catch (err) {
      throw new AppError(
        'invalid_portfolio',
        `${field}: cannot read secret file ${ref.file}: ${(err as Error).message}`,
        field,
      );
    }
  }
  const trimmed = value.trim();
  if (!trimmed) throw new AppError('invalid_portfolio', `${field}: the secret is empty`, field);
  return new Secret(trimmed);
}
