import { DeliveryError, type SendContext } from './delivery.ts';
import { type CheckedUrl, checkOutboundUrl, TargetRefusedError } from './url-guard.ts';

/** Runs the SSRF guard at send time; a refused target is a permanent failure (no retry can fix it). */
export async function guardedTarget(
  url: string,
  allowPrivateTargets: boolean,
  context: SendContext,
): Promise<CheckedUrl> {
  try {
    return await checkOutboundUrl(url, { allowPrivateTargets, lookup: context.lookup });
  } catch (err) {
    if (err instanceof TargetRefusedError)
      throw new DeliveryError(err.message, { permanent: !err.temporary });
    throw err;
  }
}
