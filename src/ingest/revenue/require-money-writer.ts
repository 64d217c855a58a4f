import { type Actor, requireAdmin } from '../../auth/actor.ts';
import { AppError } from '../../shared/app-error.ts';

/**
 * Recording revenue and importing commissions or costs: a domain's secret key (its own server),
 * owners and admins, and the local CLI. A public key lives in web pages, so it may not.
 */
export function requireMoneyWriter(actor: Actor): void {
  if (actor.kind === 'api_key') {
    if (actor.keyKind === 'secret') return;
    throw new AppError(
      'forbidden',
      "a public key can only send events; record revenue with the domain's secret key",
    );
  }
  requireAdmin(actor);
}
