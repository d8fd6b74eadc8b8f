import type { VNode } from 'preact';
import type { PagedList } from '../hooks/use-pages.js';
import { chooseListBody } from '../model/list-view.js';
import { ErrorBox, Loading, Pager } from './ui.js';

/**
 * A page of an API list as a table: its error, "Loading…" until the first page comes, the
 * empty message, or the rows; then the pager that walks the list's pages.
 */
export function PagedTable<T>(props: {
  list: PagedList<T>;
  /** For the error: "Could not load {what}". */
  what: string;
  /** For the wait: "Loading {loadingWhat}…". */
  loadingWhat: string;
  /** Shown instead of a table without rows; absent, the empty table shows. */
  empty?: string;
  testId: string;
  /** Names the table for screen readers, where the page title names it for the eye. */
  caption?: string;
  columns: readonly string[];
  /** One `<tr>` with its key. */
  row: (item: T) => VNode;
}) {
  const { list } = props;
  const body = chooseListBody(list, props.empty !== undefined);
  return (
    <>
      <ErrorBox error={list.error} what={props.what} />
      {body === 'loading' ? <Loading what={props.loadingWhat} /> : null}
      {body === 'empty' ? <p class="muted">{props.empty}</p> : null}
      {body === 'table' ? (
        <table class="data" data-testid={props.testId}>
          {props.caption ? <caption class="visually-hidden">{props.caption}</caption> : null}
          <thead>
            <tr>
              {props.columns.map((column) => (
                <th scope="col" key={column}>
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{list.items?.map(props.row)}</tbody>
        </table>
      ) : null}
      <Pager {...list} count={list.items?.length} />
    </>
  );
}
