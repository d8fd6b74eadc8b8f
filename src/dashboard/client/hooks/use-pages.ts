import { useEffect, useState } from 'preact/hooks';
import type { Query } from '../api/http.js';
import type { Page } from '../api/types.js';
import { useApi, type ApiOptions, type ApiState } from './use-api.js';

export interface PagedList<T> extends Omit<ApiState<Page<T>>, 'data'> {
  items: T[] | undefined;
  /** 1 for the first page. */
  pageNumber: number;
  hasNext: boolean;
  hasPrevious: boolean;
  next: () => void;
  previous: () => void;
}

/**
 * One page of an API list at a time, walked with its cursors (never the whole list: a store
 * can hold 10,000 runs). The cursors of the pages before are kept to go back; new filters
 * start again from the first page.
 */
export function usePagedList<T>(
  path: string,
  query: Query,
  options: ApiOptions & { limit?: number } = {},
): PagedList<T> {
  const filterKey = `${path}?${JSON.stringify(query)}`;
  const [cursors, setCursors] = useState<{ key: string; stack: string[] }>({
    key: filterKey,
    stack: [],
  });
  useEffect(() => setCursors({ key: filterKey, stack: [] }), [filterKey]);
  const stack = cursors.key === filterKey ? cursors.stack : [];
  const cursor = stack.at(-1);
  const state = useApi<Page<T>>(path, { ...query, limit: options.limit ?? 50, cursor }, options);
  const nextCursor = state.data?.nextCursor ?? null;
  return {
    items: state.data?.items,
    error: state.error,
    loading: state.loading,
    refresh: state.refresh,
    pageNumber: stack.length + 1,
    hasNext: nextCursor !== null,
    hasPrevious: stack.length > 0,
    next: () => {
      if (nextCursor !== null) setCursors({ key: filterKey, stack: [...stack, nextCursor] });
    },
    previous: () => setCursors({ key: filterKey, stack: stack.slice(0, -1) }),
  };
}
