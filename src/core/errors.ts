/**
 * One error type for the whole product. `code` is stable (tests, exit codes and API statuses
 * key on it); `message` reads "failed to <verb> <object>: <cause>" and names the fix when known.
 */
export type ErrorCode =
  | 'SPEC_INVALID'
  | 'PIPELINE_INVALID'
  | 'DATASET_INVALID'
  | 'MODEL_INVALID'
  | 'STAGE_FAILED'
  | 'STORE_CORRUPT'
  | 'STORE_IO'
  | 'OBJECT_MISSING'
  | 'GIT_FAILED'
  | 'SOURCE_FAILED'
  | 'SERVER_FAILED'
  | 'NOT_FOUND'
  | 'USAGE'
  | 'LOCKED'
  | 'METADATA_FAILED'
  | 'INTERRUPTED';

export class WeftError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WeftError';
    this.code = code;
  }
}

/** Where in a spec file something is: 1-based line and column, as editors count. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

export interface SpecProblem extends SourceLocation {
  /** Dotted path of the offending key, e.g. `spec.stages.train.cmd`. */
  key: string;
  message: string;
}

/** A spec file that cannot be used; carries every problem found, each with its location. */
export class SpecError extends WeftError {
  readonly problems: readonly SpecProblem[];

  constructor(problems: readonly SpecProblem[]) {
    super('SPEC_INVALID', problems.map(formatSpecProblem).join('\n'));
    this.name = 'SpecError';
    this.problems = problems;
  }
}

export function formatSpecProblem(p: SpecProblem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.key ? `${p.key}: ` : ''}${p.message}`;
}

export function isWeftError(error: unknown, code?: ErrorCode): error is WeftError {
  return error instanceof WeftError && (code === undefined || error.code === code);
}

/** The message of anything thrown, for places that must print and go on. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
