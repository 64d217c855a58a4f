import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api } from './client.ts';

export interface ApiState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  /** True while a request is in flight (the previous data stays shown, dimmed). */
  loading: boolean;
  reload: () => void;
}

// Answers by URL, so going back to a page shows its numbers at once while they refresh.
const recent = new Map<string, unknown>();
const RECENT_LIMIT = 200;

function remember(path: string, data: unknown): void {
  recent.delete(path);
  recent.set(path, data);
  if (recent.size > RECENT_LIMIT) recent.delete(recent.keys().next().value as string);
}

/** GETs `path` (null: nothing to fetch) and refetches when it changes; aborts a superseded request. */
export function useApi<T>(path: string | null): ApiState<T> {
  const [state, setState] = useState<{ path: string | null; data?: T; error?: ApiError; loading: boolean }>({
    path,
    data: path ? (recent.get(path) as T | undefined) : undefined,
    loading: path !== null,
  });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(path);
  latest.current = path;

  // biome-ignore lint/correctness/useExhaustiveDependencies: generation is the reload trigger
  useEffect(() => {
    if (path === null) {
      setState({ path, loading: false });
      return;
    }
    const abort = new AbortController();
    setState((s) => ({
      path,
      data: (recent.get(path) as T | undefined) ?? s.data,
      loading: true,
    }));
    api<T>(path, { signal: abort.signal }).then(
      (data) => {
        remember(path, data);
        if (latest.current === path) setState({ path, data, loading: false });
      },
      (err: unknown) => {
        if (abort.signal.aborted) return;
        const error =
          err instanceof ApiError ? err : new ApiError(0, 'client', (err as Error)?.message ?? 'failed');
        if (latest.current === path) setState({ path, error, loading: false });
      },
    );
    return () => abort.abort();
  }, [path, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
