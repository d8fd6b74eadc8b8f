import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import type { ApiRequestError } from '../api/http.js';
import type { SyncStatus } from '../model/sync-status.js';

/**
 * A page's frame. `data-ready` turns "true" once the page's first data (or its error) is shown:
 * tests and the benchmark wait on it rather than on timers.
 */
export function Page(props: {
  name: string;
  title: string;
  ready: boolean;
  actions?: ComponentChildren;
  children: ComponentChildren;
}) {
  useEffect(() => {
    document.title = `${props.title} · weft`;
  }, [props.title]);
  return (
    <section class="page" data-page={props.name} data-ready={props.ready ? 'true' : 'false'}>
      <header class="page-header">
        <h1>{props.title}</h1>
        {props.actions}
      </header>
      {props.children}
    </section>
  );
}

/** An API failure in the API's own words, with what the status means. */
export function ErrorBox({ error, what }: { error: ApiRequestError | undefined; what?: string }) {
  if (!error) return null;
  const hint =
    error.status === 0
      ? 'Is the weft server running?'
      : error.status === 403
        ? 'Your token’s scope does not allow this.'
        : error.status === 404
          ? 'It does not exist (any more).'
          : error.status === 503
            ? 'This server cannot answer it.'
            : '';
  return (
    <div class="error" role="alert">
      <strong>{what ? `Could not load ${what}` : 'Request failed'}</strong>
      {error.status > 0 ? ` (HTTP ${error.status})` : ''}: {error.message}
      {hint ? <span class="hint"> {hint}</span> : null}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function SyncBadge({ sync }: { sync: SyncStatus }) {
  return (
    <span class={`badge sync-${sync.state}`} title={sync.detail} data-sync={sync.state}>
      {sync.label}
    </span>
  );
}

/** Passed or failed in words and a symbol, the colour only repeating them. */
export function Verdict({ passed }: { passed: boolean | null }) {
  if (passed === null) return <span class="verdict">—</span>;
  return (
    <span class={`verdict ${passed ? 'good' : 'bad'}`}>{passed ? '✓ passed' : '✗ failed'}</span>
  );
}

export function Pager(props: {
  pageNumber: number;
  hasPrevious: boolean;
  hasNext: boolean;
  previous: () => void;
  next: () => void;
  count: number | undefined;
}) {
  return (
    <nav class="pager" aria-label="pages">
      <button type="button" onClick={props.previous} disabled={!props.hasPrevious}>
        ← Previous
      </button>
      <span>
        page {props.pageNumber}
        {props.count !== undefined ? ` · ${props.count} shown` : ''}
      </span>
      <button type="button" onClick={props.next} disabled={!props.hasNext}>
        Next →
      </button>
    </nav>
  );
}

/** Shown while a page polls: says it updates by itself, for people and for tests. */
export function LiveIndicator({ live, everyMs }: { live: boolean; everyMs: number }) {
  return (
    <span class={`live ${live ? 'on' : 'off'}`} aria-live="off">
      {live ? `● live, every ${everyMs / 1000} s` : '○ refreshes every few seconds'}
    </span>
  );
}
