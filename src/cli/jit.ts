import { setFlagsFromString } from 'node:v8';

/**
 * For a one-shot command about to keep every core busy hashing a workspace it has never seen:
 * TurboFan's background compiles would take CPU from the hash threads and the stages, and the
 * process ends before the optimised code pays that back (a cold `weft run` of the benchmark's
 * 100 stages used ~0.1 s less CPU with baseline code only). It lasts for the process, so
 * long-lived commands (serve, up) must not call it. Set at runtime: as a node flag it would
 * make Node reject the code cache of its own modules.
 */
export function useBaselineJitOnly(): void {
  setFlagsFromString('--max-opt=1');
}
