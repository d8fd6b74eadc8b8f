/**
 * Runs `task` over `items` with at most `limit` in flight; results keep the input order.
 * After a failure no new items start, and the first error is thrown only once every task in
 * flight has settled, so callers can clean up without racing their own writes.
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  async function work(): Promise<void> {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  }
  const workers = Math.max(1, Math.min(limit, items.length));
  await Promise.all(Array.from({ length: workers }, work));
  if (failure !== undefined) throw failure.error;
  return results;
}
