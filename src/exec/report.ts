import type { StageOutcome } from '../registry/types.js';
import type { StageAction } from '../plan/staleness.js';

/** What happened to one stage in a run. */
export interface StageReport {
  stage: string;
  outcome: StageOutcome;
  reasons: string[];
  durationMs: number;
  exitCode: number | null;
  /** Why the stage failed, in one sentence. */
  error?: string;
}

/** Receives the run as it happens; the CLI renders it for a TTY or as plain lines. */
export interface RunReporter {
  stageStarted(stage: string, action: StageAction, reasons: string[]): void;
  stageOutput(stage: string, line: string, stream: 'stdout' | 'stderr'): void;
  stageFinished(report: StageReport): void;
  warn(message: string): void;
}
