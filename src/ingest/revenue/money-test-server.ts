import { systemActor } from '../../auth/actor.ts';
import { addOperator } from '../../auth/add-operator.ts';
import { createApiKey } from '../../auth/create-api-key.ts';
import { startTestServer } from '../../test-support/test-server.ts';

// Test support for the money ingestion suites: raw-body requests and quick keys and operators.

export interface RawResponse {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are inspected field by field
  json: any;
  text: string;
}

/** The shared test server (every route wired as in production) plus helpers for the money suites. */
export async function startMoneyTestServer() {
  const server = await startTestServer();
  const { app, db, url, ownerToken } = server;
  const system = { db, actor: systemActor('test'), now: new Date() };

  /** JSON in, JSON out; `raw` sends a body as is, with `contentType`. */
  async function request(
    method: string,
    path: string,
    options: {
      token?: string;
      body?: unknown;
      raw?: string;
      contentType?: string;
      headers?: Record<string, string>;
    } = {},
  ): Promise<RawResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.raw !== undefined) {
      body = options.raw;
      headers['content-type'] = options.contentType ?? 'application/json';
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, json, text };
  }

  return {
    app,
    db,
    url,
    ownerToken,
    request,
    async createKey(domain: string, kind: 'public' | 'secret'): Promise<string> {
      return (await createApiKey({ ctx: system, input: { domain, kind } })).secret;
    },
    async createOperator(
      email: string,
      role: 'owner' | 'admin' | 'analyst',
      domains?: string[],
    ): Promise<string> {
      return (await addOperator({ ctx: system, input: { email, role, ...(domains ? { domains } : {}) } }))
        .token;
    },
    close: server.close,
  };
}
export type MoneyTestServer = Awaited<ReturnType<typeof startMoneyTestServer>>;
