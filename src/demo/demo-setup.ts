import { randomBytes } from 'node:crypto';
import type { DemoClient } from './demo-client.ts';
import { DemoError, DemoHttpError } from './demo-client.ts';
import type { DemoDomain } from './demo-plan.ts';

// What the demo needs from the server before sending anything, all through the owner's API:
// the domains, their revenue streams, a secret key per domain and Stripe webhook secrets. The
// demo leaves nothing of this behind: keys are revoked and its webhook secrets removed at the end.

export interface ServerSetup {
  domains: (DemoDomain & { stream?: string | undefined })[];
  /** Whether `POST /api/v1/events` takes a `userAgent` per event (browser, OS and device). */
  userAgents: boolean;
}

interface DomainsResponse {
  domains: { host: string; kind: string }[];
}
interface StreamsResponse {
  revenueStreams: { id?: string; domain?: string }[];
}

/** The portfolio's domains with their revenue stream, and what the events API accepts. */
export async function readServerSetup(client: DemoClient): Promise<ServerSetup> {
  const { domains } = await client.request<DomainsResponse>('GET', '/api/v1/domains');
  const { revenueStreams } = await client.request<StreamsResponse>('GET', '/api/v1/revenue-streams');
  const openapi = await client.request<Record<string, unknown>>('GET', '/api/openapi.json');
  return {
    domains: domains.map((d) => ({
      host: d.host,
      kind: d.kind,
      stream: revenueStreams.find((s) => s.domain === d.host)?.id,
    })),
    userAgents: JSON.stringify(
      (openapi.paths as Record<string, unknown> | undefined)?.['/api/v1/events'] ?? {},
    ).includes('"userAgent"'),
  };
}

export interface DemoCredentials {
  /** host → secret key */
  keys: Map<string, string>;
  keyIds: string[];
  /** host → webhook signing secret set by the demo */
  stripeSecrets: Map<string, string>;
}

/**
 * True when the domain already has a Stripe webhook endpoint: an unsigned delivery is refused
 * with 400 (bad signature) instead of 404 (no endpoint). The demo never replaces a real secret.
 */
async function hasStripeEndpoint(client: DemoClient, host: string): Promise<boolean> {
  try {
    await client.request('POST', `/api/v1/webhooks/stripe/${host}`, {
      raw: { text: '{}', contentType: 'application/json' },
      headers: { 'stripe-signature': 't=0,v1=00' },
    });
    return true;
  } catch (err) {
    if (err instanceof DemoHttpError && err.status === 404) return false;
    if (err instanceof DemoHttpError && err.status === 400) return true;
    throw err;
  }
}

export async function createCredentials(
  client: DemoClient,
  hosts: readonly string[],
  stripeHosts: readonly string[],
  label: string,
): Promise<DemoCredentials> {
  const credentials: DemoCredentials = { keys: new Map(), keyIds: [], stripeSecrets: new Map() };
  for (const host of stripeHosts) {
    if (await hasStripeEndpoint(client, host)) {
      throw new DemoError(
        `${host} already has a Stripe webhook secret; the demo would replace it. Run the demo on a ` +
          `database of its own, or remove the secret first (DELETE /api/v1/webhooks/stripe/${host}/secret).`,
      );
    }
  }
  try {
    for (const host of hosts) {
      const created = await client.request<{ key: { id: string }; secret: string }>('POST', '/api/v1/keys', {
        body: { domain: host, kind: 'secret', name: label },
      });
      credentials.keys.set(host, created.secret);
      credentials.keyIds.push(created.key.id);
    }
    for (const host of stripeHosts) {
      const secret = `whsec_demo${randomBytes(24).toString('base64url')}`;
      await client.request('POST', `/api/v1/webhooks/stripe/${host}/secret`, { body: { secret } });
      credentials.stripeSecrets.set(host, secret);
    }
  } catch (err) {
    await removeCredentials(client, credentials).catch(() => undefined);
    throw err;
  }
  return credentials;
}

/** Revokes the demo's keys and removes its webhook secrets. */
export async function removeCredentials(client: DemoClient, credentials: DemoCredentials): Promise<void> {
  for (const id of credentials.keyIds) await client.request('DELETE', `/api/v1/keys/${id}`);
  for (const host of credentials.stripeSecrets.keys()) {
    await client.request('DELETE', `/api/v1/webhooks/stripe/${host}/secret`);
  }
}
