/**
 * Signals for a runtime's whole process group. Runtimes are spawned `detached`, so each leads its
 * own group and a Python server's worker processes are stopped with it, never left orphaned.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Sends `signal` to every process in the group; false when none is left. */
export function signalGroup(groupId: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-groupId, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a process of the group still runs. Zombies do not count: orphans of the group are
 * reaped by init, and an init that reaps late (or weft itself as PID 1 in a container, which
 * never reaps them) would otherwise keep a stopped group "alive" for good.
 */
export function isGroupAlive(groupId: number): boolean {
  return signalGroup(groupId, 0) && (hasRunningMember(groupId) ?? true);
}

/** Reads /proc (Linux); undefined where there is none, and the signal test has to do. */
function hasRunningMember(groupId: number): boolean | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  return entries.some((entry) => /^\d+$/.test(entry) && isRunningMember(entry, groupId));
}

function isRunningMember(pid: string, groupId: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the parenthesised command name: state, parent pid, process group id.
    const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(group) === groupId && state !== 'Z';
  } catch {
    return false;
  }
}

/** How long the group gets to vanish after SIGKILL before the caller is told it did not. */
const KILL_WAIT_MS = 2_000;

/**
 * SIGTERM to the group, SIGKILL to whatever is left after `graceMs`; true once `isGone` holds
 * (the caller knows when its own child has exited), false if it still does not after SIGKILL.
 */
export async function stopGroup(
  groupId: number,
  isGone: () => boolean,
  graceMs: number,
): Promise<boolean> {
  signalGroup(groupId, 'SIGTERM');
  if (await waitUntil(isGone, graceMs)) return true;
  signalGroup(groupId, 'SIGKILL');
  return waitUntil(isGone, KILL_WAIT_MS);
}

/** Polls until `isDone` holds or `timeoutMs` passes; true when it held. */
async function waitUntil(isDone: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!isDone()) {
    if (Date.now() >= deadline) return false;
    await sleep(20);
  }
  return true;
}

/**
 * Groups still running, killed if weft exits without closing its runtimes (an uncaught error):
 * detached children would otherwise outlive it. One listener for all of them.
 */
const liveGroups = new Set<number>();
const killLiveGroups = (): void => liveGroups.forEach((groupId) => signalGroup(groupId, 'SIGKILL'));

export function trackGroup(groupId: number): void {
  if (liveGroups.size === 0) process.on('exit', killLiveGroups);
  liveGroups.add(groupId);
}

export function untrackGroup(groupId: number): void {
  liveGroups.delete(groupId);
  if (liveGroups.size === 0) process.off('exit', killLiveGroups);
}
