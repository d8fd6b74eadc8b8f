const tails = new Map<string, Promise<void>>();

/**
 * Runs `work` after every earlier call with the same key has settled, within this process.
 * SQLite needs it because better-sqlite3 waits for a busy lock synchronously: a second
 * connection in the same process that blocks on the first one's write lock also blocks the
 * event loop the first one needs to commit, and both stall until busy_timeout fails one.
 */
export async function runExclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  let release = (): void => {};
  const current = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => current);
  tails.set(key, tail);
  await previous;
  try {
    return await work();
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}
