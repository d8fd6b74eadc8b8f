import pc from 'picocolors';
import type { RunReporter, StageReport } from '../exec/report.js';
import type { StageAction } from '../plan/staleness.js';
import { formatDuration } from './output.js';

const ACTION_LABEL: Record<Exclude<StageAction, 'skip'>, string> = {
  restore: 'restoring from cache',
  run: 'running',
};

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Renders a run as lines prefixed with the stage name. On a TTY a status line at the bottom
 * shows what is running and for how long; elsewhere (CI logs, pipes) plain lines only.
 */
export function createRunRenderer(options: {
  out: NodeJS.WriteStream;
  quiet: boolean;
}): RunReporter & { close(): void } {
  const { out } = options;
  const tty = out.isTTY === true;
  const running = new Map<string, number>();
  let finished = 0;
  let frame = 0;
  const status = (): string => {
    const names = [...running].map(
      ([name, since]) => `${name} ${formatDuration(Date.now() - since)}`,
    );
    return `${pc.cyan(SPINNER[frame % SPINNER.length] ?? '')} ${finished} done${names.length ? ` · ${names.join(', ')}` : ''}`;
  };
  // The lines of one event-loop turn leave in one write: a no-op run reports a hundred stages
  // at once, and a write(2) per line to a pipe showed in its profile.
  let flush: NodeJS.Immediate | undefined;
  const uncork = (): void => {
    flush = undefined;
    out.uncork();
  };
  const write = (line: string): void => {
    if (flush === undefined) {
      out.cork();
      flush = setImmediate(uncork);
    }
    if (tty) out.write(`\r\x1b[2K${line}\n${status()}`);
    else out.write(`${line}\n`);
  };
  const timer = tty
    ? setInterval(() => {
        frame += 1;
        out.write(`\r\x1b[2K${status()}`);
      }, 100)
    : undefined;
  timer?.unref();
  const tag = (stage: string): string => pc.bold(`[${stage}]`);
  return {
    stageStarted(stage: string, action: StageAction, reasons: string[]): void {
      if (action === 'skip') return; // stageFinished says "up to date"
      if (action === 'run') running.set(stage, Date.now());
      write(`${tag(stage)} ${ACTION_LABEL[action]}: ${reasons.join('; ')}`);
    },
    stageOutput(stage: string, line: string, stream: 'stdout' | 'stderr'): void {
      if (options.quiet) return;
      write(`${pc.dim(`[${stage}]`)} ${stream === 'stderr' ? pc.yellow(line) : line}`);
    },
    stageFinished(report: StageReport): void {
      running.delete(report.stage);
      finished += 1;
      write(`${tag(report.stage)} ${describeOutcome(report)}`);
    },
    warn(message: string): void {
      write(pc.yellow(`warning: ${message}`));
    },
    close(): void {
      if (timer) clearInterval(timer);
      if (flush !== undefined) {
        clearImmediate(flush);
        uncork();
      }
      if (tty) out.write('\r\x1b[2K');
    },
  };
}

function describeOutcome(report: StageReport): string {
  switch (report.outcome) {
    case 'ran':
      return pc.green(`ran in ${formatDuration(report.durationMs)}`);
    case 'restored':
      return pc.green('restored from cache');
    case 'up-to-date':
      return 'up to date';
    case 'failed':
      return pc.red(`FAILED: ${report.error ?? 'unknown error'}`);
    case 'skipped':
      return pc.yellow(`skipped: ${report.reasons.join('; ')}`);
  }
}
