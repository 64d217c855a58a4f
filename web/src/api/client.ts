/** The server's one error shape: `{ error: { code, message, field } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The endpoint is not on this server (yet): panels say so instead of showing an error. */
  get isMissingRoute(): boolean {
    return this.status === 404 && this.message.startsWith('no route ');
  }
}

/** Fired when any call answers 401: the session ended, so the app shows the login page. */
export const UNAUTHENTICATED_EVENT = 'pos:unauthenticated';

/** JSON over fetch with the session cookie; every failure becomes an ApiError. */
export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      headers: init.body !== undefined ? { 'content-type': 'application/json' } : {},
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const error = (json as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
    if (res.status === 401 && !path.endsWith('/auth/login')) {
      window.dispatchEvent(new Event(UNAUTHENTICATED_EVENT));
    }
    throw new ApiError(
      res.status,
      error?.code ?? 'http_error',
      error?.message ?? `The server answered ${res.status} ${res.statusText}`,
      error?.field,
    );
  }
  return json as T;
}
