import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { collectPage, decodeCursor, encodeCursor, pageInMemory, toPage } from './pagination.js';

/** Every item of a list walked page by page with `next`. */
async function walk<T>(
  next: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
): Promise<T[]> {
  const seen: T[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 10_000; pages++) {
    const page = await next(cursor);
    seen.push(...page.items);
    if (page.nextCursor === null) return seen;
    cursor = page.nextCursor;
  }
  throw new Error('the pages never end');
}

describe('cursors', () => {
  it('round-trip any key of their list, and refuse another list or junk', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.string()), (key) => {
        const kind = typeof key === 'number' ? 'number' : 'string';
        const cursor = encodeCursor('runs', key);
        expect(cursor).toMatch(/^[\w-]+$/);
        expect(
          kind === 'number'
            ? decodeCursor('runs', cursor, 'number')
            : decodeCursor('runs', cursor, 'string'),
        ).toBe(key);
        expect(() => decodeCursor('audit', cursor, 'number')).toThrow(ApiError);
      }),
    );
    for (const junk of [
      '',
      'x',
      encodeCursor('runs', 'seven'),
      Buffer.from('[1]').toString('base64url'),
    ]) {
      expect(() => decodeCursor('runs', junk, 'number')).toThrow(/not a cursor this API issued/);
    }
  });
});

describe('pages', () => {
  it('walk a sorted list in memory exactly once, whatever the page size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: -1000, max: 1000 })),
        fc.integer({ min: 1, max: 7 }),
        async (keys, limit) => {
          const sorted = [...keys].sort((a, b) => a - b);
          const seen = await walk((cursor) =>
            Promise.resolve(
              pageInMemory(
                sorted,
                { limit, ...(cursor ? { cursor } : {}) },
                'l',
                (k) => k,
                'number',
              ),
            ),
          );
          expect(seen).toEqual(sorted);
        },
      ),
    );
  });

  it('fill filtered pages from a keyset source in bounded chunks, missing no match', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 })),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        async (names, limit, modulo) => {
          const sorted = [...names].sort();
          const matches = (name: string) => name.length % modulo === 0;
          let largestChunk = 0;
          const source = (after: string | undefined, size: number) => {
            largestChunk = Math.max(largestChunk, size);
            return Promise.resolve(
              sorted.filter((n) => after === undefined || n > after).slice(0, size),
            );
          };
          const seen = await walk((cursor) =>
            collectPage(source, matches, { limit, ...(cursor ? { cursor } : {}) }, 'd', (n) => n),
          );
          expect(seen).toEqual(sorted.filter(matches));
          expect(largestChunk).toBeLessThanOrEqual(limit + 1);
        },
      ),
    );
  });

  it('say a next page exists only when the store returned more than the page', () => {
    expect(toPage([3, 2], 2, 'l', (n) => n)).toEqual({ items: [3, 2], nextCursor: null });
    expect(toPage([3, 2, 1], 2, 'l', (n) => n)).toEqual({
      items: [3, 2],
      nextCursor: encodeCursor('l', 2),
    });
  });
});
