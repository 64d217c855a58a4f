import { z } from 'zod';
import { ALL_DOMAINS, type Scope } from '../db/types.ts';
import { AppError } from '../shared/app-error.ts';

export const OperatorRole = z.enum(['owner', 'admin', 'analyst']);
export type OperatorRole = z.infer<typeof OperatorRole>;

/** Who is acting: an operator (token or session), a domain API key, or the local CLI/system. */
export type Actor =
  | { kind: 'operator'; operatorId: string; email: string; role: OperatorRole; scope: Scope }
  | { kind: 'api_key'; keyId: string; keyKind: 'public' | 'secret'; domainId: string; scope: Scope }
  | { kind: 'system'; name: string; scope: Scope };

export function systemActor(name: string): Actor {
  return { kind: 'system', name, scope: ALL_DOMAINS };
}

/** The name written to the audit log. */
export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'operator':
      return `operator:${actor.email}`;
    case 'api_key':
      return `key:${actor.keyId}`;
    case 'system':
      return `system:${actor.name}`;
  }
}

/** Reading the portfolio's data: operators of any role, secret keys. Public keys only ingest. */
export function requireReader(actor: Actor): void {
  if (actor.kind === 'api_key' && actor.keyKind === 'public') {
    throw new AppError(
      'forbidden',
      'a public ingest key can only send events; use a secret key or an operator token',
    );
  }
}

/** Changing configuration (keys, portfolio): owners and admins, and the local CLI. */
export function requireAdmin(actor: Actor): void {
  requireReader(actor);
  if (actor.kind === 'system') return;
  if (actor.kind === 'operator' && (actor.role === 'owner' || actor.role === 'admin')) return;
  throw new AppError('forbidden', 'this action needs the owner or admin role');
}

/**
 * Writing a domain's data from a server (events, revenue, imports): its secret key, owners and
 * admins, and the local CLI. A public key lives in web pages, so it may only send browser events.
 */
export function requireServerWriter(actor: Actor): void {
  if (actor.kind === 'api_key') {
    if (actor.keyKind === 'secret') return;
    throw new AppError('forbidden', "a public key can only send browser events; use the domain's secret key");
  }
  requireAdmin(actor);
}

/** Portfolio-wide actions (operators, reload, plan data) also need an unlimited scope. */
export function requireUnscopedAdmin(actor: Actor): void {
  requireAdmin(actor);
  if (actor.scope.kind !== 'all') {
    throw new AppError(
      'forbidden',
      'this action needs access to all domains; your access is limited to some domains',
    );
  }
}

export function isUnscoped(actor: Actor): boolean {
  return actor.scope.kind === 'all';
}
