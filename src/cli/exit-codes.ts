import { describeError, isWeftError, type ErrorCode } from '../core/errors.js';

/**
 * The one place errors become exit codes, documented in README.md. CI keys on them: 1 means
 * "the pipeline ran and something in it failed", 2 means "fix your input", 3 "the store needs
 * attention", 4 "try again later".
 */
export const EXIT = {
  ok: 0,
  failed: 1,
  invalidInput: 2,
  storage: 3,
  busy: 4,
  interrupted: 130,
} as const;

const CODE_TO_EXIT: Record<ErrorCode, number> = {
  STAGE_FAILED: EXIT.failed,
  GIT_FAILED: EXIT.failed,
  SOURCE_FAILED: EXIT.failed,
  SERVER_FAILED: EXIT.failed,
  METADATA_FAILED: EXIT.failed,
  SPEC_INVALID: EXIT.invalidInput,
  PIPELINE_INVALID: EXIT.invalidInput,
  DATASET_INVALID: EXIT.invalidInput,
  MODEL_INVALID: EXIT.invalidInput,
  USAGE: EXIT.invalidInput,
  NOT_FOUND: EXIT.invalidInput,
  STORE_CORRUPT: EXIT.storage,
  STORE_IO: EXIT.storage,
  OBJECT_MISSING: EXIT.storage,
  LOCKED: EXIT.busy,
  INTERRUPTED: EXIT.interrupted,
};

export function exitCodeFor(error: unknown): number {
  return isWeftError(error) ? CODE_TO_EXIT[error.code] : EXIT.failed;
}

export function describeForUser(error: unknown): string {
  if (isWeftError(error)) return `weft: ${error.message}`;
  return `weft: unexpected error: ${describeError(error)}`;
}
