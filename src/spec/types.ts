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
  evaluation?: ResolvedEvaluation;
  gates?: ResolvedGate[];
}

export type EvaluationTask = 'classification' | 'regression';

/** `spec.evaluation` with defaults applied. */
export interface ResolvedEvaluation {
  /** Repo-relative CSV or Parquet file. */
  dataset: string;
  label: string;
  /** Fed to the model in this order; undefined = every column but the label and the sensitive ones. */
  features?: string[];
  sensitive: string[];
  /** Undefined: read from the model (a label or probabilities output means classification). */
  task?: EvaluationTask;
  /** Label values in the model's class index order; undefined: from the model's `classes` metadata. */
  classes?: string[];
  /** Class whose selection rate fairness compares; undefined: the second of two, the worst of more. */
  positiveClass?: string;
  /** Permutation feature importance; null when switched off. */
  importance: { repeats: number; seed: number } | null;
  bootstrap: { samples: number; level: number; seed: number };
}

/** One of `spec.gates`, with where it is written so a verdict can point at it. */
export type ResolvedGate =
  | {
      kind: 'metric';
      metric: string;
      min?: number;
      max?: number;
      /** `production`, any alias, or a Git revision. */
      noWorseThan?: string;
      tolerance: number;
      relative: boolean;
      location: SourceLocation;
    }
  | { kind: 'reproducible'; location: SourceLocation };

/** Parameter values, plain data as parsed from the params file. */
export type ParamValues = Record<string, unknown>;
