/**
 * Runs a DAG of tasks: a task starts as soon as all its upstream tasks succeeded; when one
 * fails, everything downstream of it is skipped and the rest goes on. Tasks are started in
 * `order` (a topological order), so ties keep declaration order. How many stage commands run
 * at once is not decided here but by JobSlots: checking or restoring a stage needs no slot.
 */
export async function scheduleDag(options: {
  order: string[];
  upstream: Map<string, Set<string>>;
  run: (name: string) => Promise<boolean>;
  skip: (name: string, failedUpstream: string) => void;
  shouldStop: () => boolean;
}): Promise<void> {
  const selected = new Set(options.order);
  const done = new Map<string, boolean>();
  // A skipped task remembers the task that really failed, so skips downstream name it too.
  const failedRoot = new Map<string, string>();
  const running = new Map<string, Promise<void>>();
  const pending = [...options.order];
  const upstreamOf = (name: string): string[] =>
    [...(options.upstream.get(name) ?? [])].filter((up) => selected.has(up));

  while (pending.length > 0 || running.size > 0) {
    for (const name of [...pending]) {
      const ups = upstreamOf(name);
      const failed = ups.find((up) => done.get(up) === false);
      if (failed !== undefined || options.shouldStop()) {
        const root = failed === undefined ? '' : (failedRoot.get(failed) ?? failed);
        pending.splice(pending.indexOf(name), 1);
        options.skip(name, root);
        failedRoot.set(name, root);
        done.set(name, false);
        continue;
      }
      if (!ups.every((up) => done.get(up) === true)) continue;
      pending.splice(pending.indexOf(name), 1);
      const task = options.run(name).then(
        (ok) => void done.set(name, ok),
        () => void done.set(name, false),
      );
      running.set(
        name,
        task.finally(() => running.delete(name)),
      );
    }
    if (running.size > 0) await Promise.race(running.values());
  }
}
