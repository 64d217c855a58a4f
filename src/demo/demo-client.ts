// The demo's only way into the server: its public HTTP API. Rate limits (429) and a full ingest
// queue (503) are waited out and retried, as a well-behaved integration would.

/** A failure of the demo that the CLI reports as a message (exit code 1), without a stack. */
export class DemoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoError';
  }
}

export class DemoHttpError extends DemoError {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    const detail = (body as { error?: { message?: string; field?: string } } | null)?.error;
    super(
      `${method} ${path} answered ${status}${detail?.message ? `: ${detail.message}` : ''}${detail?.field ? ` (${detail.field})` : ''}`,
    );
    this.name = 'DemoHttpError';
  }
}

export interface RequestOptions {
  token?: string | undefined;
  body?: unknown;
  /** A body sent as is (CSV files, signed webhooks), with its content type. */
  raw?: { text: string; contentType: string };
  headers?: Record<string, string>;
}

const MAX_ATTEMPTS = 8;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class DemoClient {
  requests = 0;
  retries = 0;

  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  /** Sends one request and returns the parsed JSON body; non-2xx answers throw DemoHttpError. */
  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { ...options.headers };
    headers.authorization = `Bearer ${options.token ?? this.token}`;
    let body: string | undefined;
    if (options.raw) {
      body = options.raw.text;
      headers['content-type'] = options.raw.contentType;
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    for (let attempt = 1; ; attempt++) {
      this.requests += 1;
      let res: Response;
      try {
        res = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers,
          ...(body !== undefined ? { body } : {}),
        });
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS) {
          const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
          throw new DemoError(`cannot reach ${this.baseUrl}: ${cause}`);
        }
        this.retries += 1;
        await sleep(250 * attempt);
        continue;
      }
      const text = await res.text();
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = text;
      }
      if (res.ok) return json as T;
      if ((res.status === 429 || res.status === 503) && attempt < MAX_ATTEMPTS) {
        this.retries += 1;
        const after = Number(res.headers.get('retry-after'));
        await sleep(Number.isFinite(after) && after > 0 ? Math.min(after, 60) * 1000 : 500 * attempt);
        continue;
      }
      throw new DemoHttpError(method, path, res.status, json);
    }
  }
}

/** Runs `fn` over the items with at most `concurrency` in flight; stops at the first failure. */
export async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        await fn(items[index] as T, index);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
