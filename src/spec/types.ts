import type { SourceLocation } from '../core/errors.js';

/**
 * A stage of a pipeline with defaults applied. Paths are repo-relative POSIX paths, normalised
 * (no `./`, no trailing slash) so cache keys match across machines.
 */
export interface ResolvedStage {
  name: string;
  /** Run by `/bin/sh -c` in `wdir`. */
  cmd: string;
  /** Working directory of the command, repo-relative; `.` is the repo root. */
  wdir: string;
  deps: string[];
  /** Dotted paths into the params file, e.g. `train.lr`, or `train` for a whole section. */
  params: string[];
  outs: string[];
  /** Metrics files (JSON or YAML) the stage writes; they are outputs too. */
  metrics: string[];
  /** Environment variables the stage declares; they are part of its cache key. */
  env: Record<string, string>;
  /** Never restored from cache (e.g. reads from a moving external source). */
  alwaysRun: boolean;
  /** Where the stage is declared, for errors that name it. */
  location: SourceLocation;
}

export interface ResolvedModel {
  name: string;
  artifact: string;
}

export interface ResolvedPipeline {
  apiVersion: 'weft.dev/v1';
  kind: 'Pipeline';
  name: string;
  /** Absolute path of the weft.yaml this came from. */
  file: string;
  /** Repo-relative path of the params file. */
  paramsFile: string;
  /** In declaration order. */
  stages: ResolvedStage[];
  model?: ResolvedModel;
  /** Kept as written for the validation issue; this layer only checks their shape. */
  evaluation?: Record<string, unknown>;
  gates?: Record<string, unknown>[];
}

/** Parameter values, plain data as parsed from the params file. */
export type ParamValues = Record<string, unknown>;
