import { ApiError } from './errors.js';

/** One page of a list; `nextCursor` asks for the next one, null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Page sizes the API accepts; the store is asked for one more row to know if a page follows. */
export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 500;

export interface PageQuery {
  limit: number;
  cursor?: string;
}

/** The querystring properties every list shares. */
export const pageQueryProperties = {
  limit: {
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_LIMIT,
    default: DEFAULT_PAGE_LIMIT,
    description: 'Page size.',
  },
  cursor: {
    type: 'string',
    maxLength: 512,
    description: 'The `nextCursor` of the previous page.',
  },
} as const;

type CursorKey = number | string;

/**
 * Cursors are opaque to clients: base64url of `[list, key]`, the key being where the page ended
 * in the list's stable order (an id, a version number, a name). Naming the list lets a cursor of
 * one list be refused by another with a clear message.
 */
export function encodeCursor(list: string, key: CursorKey): string {
  return Buffer.from(JSON.stringify([list, key])).toString('base64url');
}

export function decodeCursor(
  list: string,
  cursor: string | undefined,
  kind: 'number',
): number | undefined;
export function decodeCursor(
  list: string,
  cursor: string | undefined,
  kind: 'string',
): string | undefined;
export function decodeCursor(
  list: string,
  cursor: string | undefined,
  kind: 'number' | 'string',
): CursorKey | undefined {
  if (cursor === undefined) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (!Array.isArray(decoded) || decoded.length !== 2 || typeof decoded[1] !== kind) {
    throw new ApiError(400, 'query parameter cursor is not a cursor this API issued');
  }
  if (decoded[0] !== list) {
    throw new ApiError(
      400,
      `query parameter cursor belongs to another list (${String(decoded[0])}), not ${list}`,
    );
  }
  return decoded[1] as CursorKey;
}

/**
 * A page from rows fetched with `limit + 1`: the extra row only says that another page exists,
 * and the cursor points after the last row returned.
 */
export function toPage<T>(
  rows: readonly T[],
  limit: number,
  list: string,
  keyOf: (row: T) => CursorKey,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(list, keyOf(last)) : null,
  };
}

/**
 * A page of a small list held in memory (a model's aliases, the tokens), in the order given,
 * which must sort by `keyOf` ascending: the cursor is a key, so inserts never shift a page.
 */
export function pageInMemory<T>(
  sorted: readonly T[],
  query: PageQuery,
  list: string,
  keyOf: (row: T) => CursorKey,
  kind: 'number' | 'string',
): Page<T> {
  const after =
    kind === 'number'
      ? decodeCursor(list, query.cursor, 'number')
      : decodeCursor(list, query.cursor, 'string');
  const start = after === undefined ? 0 : sorted.findIndex((row) => keyOf(row) > after);
  const rest = start < 0 ? [] : sorted.slice(start, start + query.limit + 1);
  return toPage(rest, query.limit, list, keyOf);
}

/**
 * Fills a page by scanning a keyset-paged source in chunks and keeping the rows that match, for
 * filters the store cannot apply (fields inside a JSON status): bounded reads, stable cursors.
 */
export async function collectPage<T>(
  fetchChunk: (after: string | undefined, size: number) => Promise<T[]>,
  matches: (row: T) => boolean,
  query: PageQuery,
  list: string,
  keyOf: (row: T) => string,
): Promise<Page<T>> {
  const chunkSize = query.limit + 1;
  const kept: T[] = [];
  let after = decodeCursor(list, query.cursor, 'string');
  for (;;) {
    const chunk = await fetchChunk(after, chunkSize);
    for (const row of chunk) {
      if (matches(row)) kept.push(row);
      if (kept.length > query.limit) return toPage(kept, query.limit, list, keyOf);
    }
    const last = chunk.at(-1);
    if (chunk.length < chunkSize || last === undefined)
      return toPage(kept, query.limit, list, keyOf);
    after = keyOf(last);
  }
}

/** The tighter of two "below this id" bounds. */
export function lowest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined ? a : Math.min(a, b);
}
