import { expect } from 'vitest';
import type { Digest } from '../../src/core/digest.js';
import { WeftError } from '../../src/core/errors.js';

/** A well-formed digest made of one repeated hex character: readable in failing assertions. */
export const fakeDigest = (hexChar: string): Digest => `sha256:${hexChar.repeat(64)}`;

/** The WeftError `run` throws; fails the test when it throws nothing or something else. */
export function thrownWeftError(run: () => unknown): WeftError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WeftError);
    return error as WeftError;
  }
  throw new Error('expected a WeftError');
}
