import { useState } from 'preact/hooks';
import type { Run } from '../api/types.js';
import { readFields } from '../components/forms.js';
import { PagedTable } from '../components/paged-table.js';
import { Page } from '../components/ui.js';
import { usePagedList } from '../hooks/use-pages.js';
import { formatDuration, formatTime, shortSha } from '../model/format.js';
import { hasAnswered } from '../model/list-view.js';
import { hrefs } from '../router.js';

const FILTER_NAMES = ['status', 'pipeline', 'branch', 'commit'] as const;

/** Runs, newest first, a page at a time; filters live in the hash so a filtered list is a link. */
export function RunsPage({ query }: { query: Record<string, string> }) {
  const filters = Object.fromEntries(
    FILTER_NAMES.flatMap((name) => (query[name] ? [[name, query[name]]] : [])),
  );
  const list = usePagedList<Run>('runs', filters);
  const [selected, setSelected] = useState<number[]>([]);
  const toggle = (id: number) =>
    setSelected((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]));
  const apply = (event: Event) => {
    event.preventDefault();
    location.hash = hrefs.runs(readFields(event.target as HTMLFormElement, FILTER_NAMES));
  };
  const compareHref = hrefs.compareRuns([...selected].sort((a, b) => a - b));
  return (
    <Page
      name="runs"
      title="Runs"
      ready={hasAnswered(list)}
      actions={
        selected.length >= 2 ? (
          <a class="button" href={compareHref} data-testid="compare-selected">
            Compare {selected.length} runs
          </a>
        ) : (
          <span class="muted small">Tick two or more runs to compare them.</span>
        )
      }
    >
      <form class="toolbar" onSubmit={apply} key={JSON.stringify(filters)}>
        <label>
          Status{' '}
          <select name="status" defaultValue={filters.status ?? ''}>
            <option value="">any</option>
            <option value="succeeded">succeeded</option>
            <option value="failed">failed</option>
            <option value="running">running</option>
          </select>
        </label>
        <label>
          Pipeline <input name="pipeline" defaultValue={filters.pipeline ?? ''} size={12} />
        </label>
        <label>
          Branch <input name="branch" defaultValue={filters.branch ?? ''} size={12} />
        </label>
        <label>
          Commit{' '}
          <input
            name="commit"
            defaultValue={filters.commit ?? ''}
            size={10}
            pattern="[0-9a-fA-F]{1,40}"
          />
        </label>
        <button type="submit">Filter</button>
      </form>
      <PagedTable
        list={list}
        what="the runs"
        loadingWhat="runs"
        empty={`No runs${Object.keys(filters).length ? ' match these filters' : ' yet'}.`}
        testId="runs"
        columns={[
          'Compare',
          'Run',
          'Pipeline',
          'Status',
          'Branch',
          'Commit',
          'Author',
          'Started',
          'Took',
        ]}
        row={(run) => (
          <tr key={run.id} data-run={run.id}>
            <td>
              <input
                type="checkbox"
                aria-label={`compare run ${run.id}`}
                checked={selected.includes(run.id)}
                onChange={() => toggle(run.id)}
              />
            </td>
            <th scope="row">
              <a href={hrefs.run(run.id)}>#{run.id}</a>
            </th>
            <td>{run.pipeline}</td>
            <td class={`status-${run.status}`}>{run.status}</td>
            <td>{run.branch ?? '—'}</td>
            <td>
              <code>{shortSha(run.commit)}</code>
              {run.dirty ? ' (dirty)' : ''}
            </td>
            <td>{run.author ?? '—'}</td>
            <td>{formatTime(run.startedAt)}</td>
            <td>
              {run.finishedAt
                ? formatDuration(Date.parse(run.finishedAt) - Date.parse(run.startedAt))
                : '—'}
            </td>
          </tr>
        )}
      />
    </Page>
  );
}
