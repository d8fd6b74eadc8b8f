import type { AuditEntry, AuditVerification } from '../api/types.js';
import { readFields } from '../components/forms.js';
import { PagedTable } from '../components/paged-table.js';
import { ErrorBox, Loading, Page } from '../components/ui.js';
import { useApi } from '../hooks/use-api.js';
import { usePagedList } from '../hooks/use-pages.js';
import { describeRevision, formatJson, formatTime } from '../model/format.js';
import { hasAnswered } from '../model/list-view.js';
import { hrefs } from '../router.js';

const FILTERS = [
  { name: 'actor', label: 'Actor', hint: 'controller, a token, a Git author' },
  { name: 'action', label: 'Action', hint: 'e.g. deployment.rollback' },
  { name: 'objectKind', label: 'Object kind', hint: 'e.g. ModelDeployment' },
  { name: 'objectName', label: 'Object name', hint: '' },
  { name: 'since', label: 'Since', hint: 'ISO time, e.g. 2026-01-31' },
] as const;

/** The hash-chained audit log, filtered, and whether its chain verifies. */
export function AuditPage({ query }: { query: Record<string, string> }) {
  const filters = Object.fromEntries(
    FILTERS.flatMap(({ name }) => (query[name] ? [[name, query[name]]] : [])),
  );
  const list = usePagedList<AuditEntry>('audit', filters);
  const verification = useApi<AuditVerification>('audit/verify');
  const apply = (event: Event) => {
    event.preventDefault();
    location.hash = hrefs.audit(
      readFields(
        event.target as HTMLFormElement,
        FILTERS.map(({ name }) => name),
      ),
    );
  };
  return (
    <Page name="audit" title="Audit log" ready={hasAnswered(list)}>
      <Verification state={verification.data} />
      <ErrorBox error={verification.error} what="the chain verification" />
      <form class="toolbar" onSubmit={apply} key={JSON.stringify(filters)}>
        {FILTERS.map(({ name, label, hint }) => (
          <label key={name}>
            {label}{' '}
            <input name={name} defaultValue={filters[name] ?? ''} placeholder={hint} size={14} />
          </label>
        ))}
        <button type="submit">Filter</button>
        {Object.keys(filters).length ? <a href={hrefs.audit()}>Clear</a> : null}
      </form>
      <PagedTable
        list={list}
        what="the audit log"
        loadingWhat="the audit log"
        empty={`No entries${Object.keys(filters).length ? ' match these filters' : ''}.`}
        testId="audit"
        columns={['#', 'At', 'Actor', 'Action', 'Object', 'Revision', 'Before', 'After']}
        row={(entry) => (
          <tr key={entry.id}>
            <th scope="row">{entry.id}</th>
            <td>{formatTime(entry.at)}</td>
            <td>{entry.actor}</td>
            <td>
              <code>{entry.action}</code>
            </td>
            <td>
              {entry.object.kind === 'ModelDeployment' ? (
                <a href={hrefs.deployment(entry.object.name)}>{entry.object.name}</a>
              ) : (
                `${entry.object.kind}/${entry.object.name}`
              )}
            </td>
            <td>{describeRevision(entry.revision)}</td>
            <td class="small">
              <code>{formatJson(entry.before)}</code>
            </td>
            <td class="small">
              <code>{formatJson(entry.after)}</code>
            </td>
          </tr>
        )}
      />
    </Page>
  );
}

function Verification({ state }: { state: AuditVerification | undefined }) {
  if (!state) return <Loading what="the chain verification" />;
  return state.ok ? (
    <p class="verification good" data-testid="verification" role="status">
      ✓ Chain intact: all {state.entries} entries verify.
    </p>
  ) : (
    <p class="verification bad" data-testid="verification" role="alert">
      ✗ Chain broken at entry {state.brokenAt ?? '?'}: {state.reason ?? 'unknown reason'} (
      {state.entries} entries before it verify).
    </p>
  );
}
