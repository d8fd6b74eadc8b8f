// What every benchmark reads from its environment and prints as it goes.
import { closeSync, mkdirSync, mkdtempSync, openSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A positive integer (or zero, with `allowZero`) from the environment; `fallback` when unset. */
export function readIntEnv(name, fallback, { allowZero = false } = {}) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  const least = allowZero ? 0 : 1;
  if (!Number.isSafeInteger(value) || value < least)
    throw new Error(
      `${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got "${raw}"`,
    );
  return value;
}

/** Logs a message prefixed with the seconds since this logger was made. */
export function createProgress() {
  const started = Date.now();
  return (message) =>
    console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}`);
}

/** The 1, 5 and 15 minute load averages, for judging how busy the machine was. */
export const loadAverage = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

/**
 * CPU microseconds this machine spends creating one empty file and one directory under `parent`
 * (left in place: deleting them would itself slow later creations down). On ext4 without
 * a journal, the inode allocator skips inodes freed in the last minutes and reads their inode
 * table blocks to find out, so right after mass deletions (a previous benchmark's temp
 * directories, a test suite) creating a file can cost ten times its usual ~20 µs. A cold `weft
 * run` creates hundreds of files and directories; this shows what each cost in this run.
 */
export function measureFileCreation(parent, count = 200) {
  const dir = mkdtempSync(join(parent, 'creation-probe-'));
  const cpuMicros = (create) => {
    const before = process.cpuUsage();
    for (let i = 0; i < count; i += 1) create(i);
    const used = process.cpuUsage(before);
    return (used.user + used.system) / count;
  };
  return {
    file: cpuMicros((i) => closeSync(openSync(join(dir, `file-${i}`), 'wx'))),
    directory: cpuMicros((i) => mkdirSync(join(dir, `dir-${i}`))),
  };
}

/** File creation this slow means recently freed inodes are in the way (see measureFileCreation). */
const SLOW_CREATION_MICROS = 100;
const SETTLE_PROBE_EVERY_MS = 20_000;

/**
 * Waits, up to `maxSeconds`, until creating a file under `parent` costs its usual few tens of
 * microseconds again; returns the last measurement and how long it waited. Inodes stop counting
 * as recently freed a few minutes after their deletion, so a run started right after a test
 * suite or another benchmark would otherwise charge weft (and not the raw baseline, which
 * creates no files) several times the usual cost for each file it stores.
 */
export async function settleFileCreation(parent, maxSeconds, report) {
  const started = Date.now();
  let creation = measureFileCreation(parent);
  while (creation.file > SLOW_CREATION_MICROS && Date.now() - started < maxSeconds * 1000) {
    report(
      `creating a file costs ${creation.file.toFixed(0)} µs of CPU here (recently freed inodes); waiting for that to settle, at most ${maxSeconds} s in all (WEFT_BENCH_SETTLE_SECONDS)`,
    );
    await sleep(SETTLE_PROBE_EVERY_MS);
    creation = measureFileCreation(parent);
  }
  return { ...creation, waitedSeconds: (Date.now() - started) / 1000 };
}
