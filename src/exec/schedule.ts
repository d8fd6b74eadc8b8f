/**
 * Runs a DAG of tasks with at most `jobs` holding a slot at once. A task starts when all its
 * upstream tasks succeeded; when one fails, everything downstream of it is skipped and the rest
 * goes on. Tasks are started in `order` (a topological order), so ties keep declaration order.
 *
 * A task may give its slot back before it finishes (`releaseSlot`): a stage whose command has
 * exited only has bookkeeping left, and the next command should not wait for it. Its dependents
 * still wait for the task itself.
 */
export async function scheduleDag(options: {
  order: string[];
  upstream: Map<string, Set<string>>;
  jobs: number;
  run: (name: string, releaseSlot: () => void) => Promise<boolean>;
  skip: (name: string, failedUpstream: string) => void;
  shouldStop: () => boolean;
}): Promise<void> {
  const selected = new Set(options.order);
  const done = new Map<string, boolean>();
  // A skipped task remembers the task that really failed, so skips downstream name it too.
  const failedRoot = new Map<string, string>();
  const pending = [...options.order];
  let running = 0;
  let slotsInUse = 0;
  let wake: () => void = () => undefined;
  const upstreamOf = (name: string): string[] =>
    [...(options.upstream.get(name) ?? [])].filter((up) => selected.has(up));

  const start = (name: string): void => {
    running += 1;
    slotsInUse += 1;
    let holdsSlot = true;
    const releaseSlot = (): void => {
      if (holdsSlot) [holdsSlot, slotsInUse] = [false, slotsInUse - 1];
      wake();
    };
    void options
      .run(name, releaseSlot)
      .then(
        (ok) => done.set(name, ok),
        () => done.set(name, false),
      )
      .finally(() => {
        running -= 1;
        releaseSlot();
      });
  };

  while (pending.length > 0 || running > 0) {
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
      if (slotsInUse >= options.jobs || !ups.every((up) => done.get(up) === true)) continue;
      pending.splice(pending.indexOf(name), 1);
      start(name);
    }
    if (running > 0) await new Promise<void>((resolve) => (wake = resolve));
  }
}
