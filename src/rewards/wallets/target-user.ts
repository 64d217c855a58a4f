import type { Queryable } from '../../db/types.ts';
import { AppError } from '../../shared/app-error.ts';
import { findDomainUser } from '../user-auth/domain-users.sql.ts';
import type { Requester } from '../user-auth/requester.ts';

/**
 * The user a wallet request is for: a domain's server names a user active on its domain; a user
 * token is for its own user and names nobody.
 */
export async function targetUser(
  q: Queryable,
  requester: Requester,
  ref: { userId?: string | undefined; externalId?: string | undefined },
): Promise<string> {
  if (requester.kind === 'user') {
    if (ref.userId !== undefined || ref.externalId !== undefined)
      throw new AppError(
        'invalid_request',
        'a user token acts for its own user: leave out userId and externalId',
        ref.userId !== undefined ? 'body.userId' : 'body.externalId',
      );
    return requester.userId;
  }
  if (ref.userId !== undefined && ref.externalId !== undefined)
    throw new AppError('invalid_request', 'give userId or externalId, not both', 'body.externalId');
  if (ref.userId !== undefined)
    return findDomainUser(q, requester.domainId, { userId: ref.userId }, 'body.userId');
  if (ref.externalId !== undefined)
    return findDomainUser(q, requester.domainId, { externalId: ref.externalId }, 'body.externalId');
  throw new AppError('invalid_request', "name the user: userId or the domain's externalId", 'body.userId');
}
