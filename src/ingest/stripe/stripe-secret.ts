import { z } from 'zod';
import { actorLabel, requireAdmin } from '../../auth/actor.ts';
import { writeAudit } from '../../auth/audit.ts';
import type { Ctx } from '../../auth/context.ts';
import { resolveDomainIds } from '../../auth/resolve-domains.ts';
import { AppError } from '../../shared/app-error.ts';
import { deleteStripeSecret, saveStripeSecret } from './stripe-endpoints.sql.ts';

export const SetStripeSecretInput = z.strictObject({
  secret: z
    .string()
    .trim()
    .regex(
      /^whsec_[A-Za-z0-9+/=_-]{10,490}$/,
      "must be the endpoint's signing secret from the Stripe dashboard (whsec_…), not an API key",
    ),
});
export type SetStripeSecretInput = z.infer<typeof SetStripeSecretInput>;

export const StripeEndpointOut = z.object({
  domain: z.string(),
  webhookPath: z.string().describe('Where to point the Stripe webhook endpoint, on this server'),
  rotated: z.boolean().describe('true: a previous secret was replaced'),
  updatedAt: z.string(),
});
export type StripeEndpointOut = z.infer<typeof StripeEndpointOut>;

export function webhookPath(domain: string): string {
  return `/api/v1/webhooks/stripe/${domain}`;
}

/** Sets (or rotates) a domain's Stripe signing secret; audited without the secret itself. */
export async function setStripeSecret({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: SetStripeSecretInput & { domain: string };
}): Promise<StripeEndpointOut> {
  requireAdmin(ctx.actor);
  return ctx.db.transaction(
    async (tx) => {
      const [domainId] = (await resolveDomainIds(tx, [input.domain], 'domain')) as [string];
      const saved = await saveStripeSecret(tx, {
        domainId,
        secret: input.secret,
        actor: actorLabel(ctx.actor),
      });
      await writeAudit(tx, ctx.actor, {
        action: saved.rotated ? 'stripe_endpoint.rotate_secret' : 'stripe_endpoint.set_secret',
        targetType: 'stripe_endpoint',
        targetId: input.domain,
        domainId,
        details: { domain: input.domain },
      });
      return {
        domain: input.domain,
        webhookPath: webhookPath(input.domain),
        rotated: saved.rotated,
        updatedAt: saved.updatedAt.toISOString(),
      };
    },
    { scope: ctx.actor.scope },
  );
}

/** Removes the secret: deliveries for the domain are refused (404) from then on. */
export async function removeStripeSecret({ ctx, input }: { ctx: Ctx; input: { domain: string } }) {
  requireAdmin(ctx.actor);
  return ctx.db.transaction(
    async (tx) => {
      const [domainId] = (await resolveDomainIds(tx, [input.domain], 'domain')) as [string];
      if (!(await deleteStripeSecret(tx, domainId))) {
        throw new AppError('not_found', `no Stripe endpoint is configured for ${input.domain}`, 'domain');
      }
      await writeAudit(tx, ctx.actor, {
        action: 'stripe_endpoint.remove',
        targetType: 'stripe_endpoint',
        targetId: input.domain,
        domainId,
        details: { domain: input.domain },
      });
      return { domain: input.domain, removed: true as const };
    },
    { scope: ctx.actor.scope },
  );
}
