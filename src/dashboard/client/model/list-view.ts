/**
 * What a page shows of a paged list under its error box (which shows any error on its own).
 * `nothing`: the first page failed, the error says all; `loading`: no answer yet.
 */
export type ListBody = 'nothing' | 'loading' | 'empty' | 'table';

export interface ListAnswer {
  items: readonly unknown[] | undefined;
  error: unknown;
}

/**
 * A failed refresh keeps the rows it had (the error shows above them); a list without an
 * empty message shows its empty table, header and all.
 */
export function chooseListBody(list: ListAnswer, hasEmptyMessage: boolean): ListBody {
  if (list.items === undefined) return list.error ? 'nothing' : 'loading';
  return list.items.length === 0 && hasEmptyMessage ? 'empty' : 'table';
}

/** The list's first page, or its failure, has come: the page is ready to be read. */
export function hasAnswered(list: ListAnswer): boolean {
  return list.items !== undefined || list.error !== undefined;
}
