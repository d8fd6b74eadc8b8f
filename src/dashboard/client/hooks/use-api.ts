import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiRequestError, apiGet, type Query } from '../api/http.js';

export interface ApiState<T> {
  /** The last answer; kept while a refresh is under way or after a refresh failed. */
  data: T | undefined;
  error: ApiRequestError | undefined;
  loading: boolean;
  refresh: () => void;
}

export interface ApiOptions {
  /** Fetch again this long after each answer (live pages); null or absent: once. */
  pollMs?: number | null;
  /** Parameters computed at each call, e.g. a time window ending now; not part of the key. */
  queryAtCall?: () => Query;
}

/**
 * GETs an API path, and again every `pollMs` while the page shows it. A new path or query
 * starts afresh (a late answer to an old one is dropped); a null path fetches nothing. Polls
 * wait while the tab is hidden, and never overlap: the next is timed from the last answer.
 */
export function useApi<T>(
  path: string | null,
  query: Query = {},
  options: ApiOptions = {},
): ApiState<T> {
  const key = path === null ? null : `${path}?${JSON.stringify(query)}`;
  const [state, setState] = useState<{ key: string | null; data?: T; error?: ApiRequestError }>({
    key: null,
  });
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  const queryRef = useRef(query);
  queryRef.current = query;
  const atCallRef = useRef(options.queryAtCall);
  atCallRef.current = options.queryAtCall;
  const pollMs = options.pollMs ?? null;

  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async (): Promise<void> => {
      setLoading(true);
      try {
        const now = atCallRef.current?.() ?? {};
        const data = await apiGet<T>(path, { ...queryRef.current, ...now }, controller.signal);
        setState({ key, data });
      } catch (error) {
        if (controller.signal.aborted) return;
        const failure =
          error instanceof ApiRequestError ? error : new ApiRequestError(0, String(error));
        setState((previous) => ({
          key,
          ...(previous.key === key && previous.data !== undefined ? { data: previous.data } : {}),
          error: failure,
        }));
      }
      if (controller.signal.aborted) return;
      setLoading(false);
      if (pollMs !== null) timer = setTimeout(poll, pollMs);
    };
    const poll = (): void => {
      if (document.hidden) timer = setTimeout(poll, pollMs ?? 1000);
      else void load();
    };
    void load();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [key, pollMs, tick]);

  const refresh = useCallback(() => setTick((n) => n + 1), []);
  const current = state.key === key;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: loading || !current,
    refresh,
  };
}
