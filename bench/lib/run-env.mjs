// What every benchmark reads from its environment and prints as it goes.
import { loadavg } from 'node:os';

/** A positive integer from the environment, or `fallback` when unset. */
export function readIntEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
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
