import type { Command } from 'commander';
import { openStore, withMetadataOnDemand } from '../../app/open.js';
import { planPipeline } from '../../exec/plan-status.js';
import { runPipeline } from '../../exec/run-pipeline.js';
import { isUnhashedWorkspace } from '../../exec/workspace.js';
import { resolveCommandConfig } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { useBaselineJitOnly } from '../jit.js';
import { formatDuration, printJson, printLine } from '../output.js';
import { createRunRenderer } from '../progress.js';
import { printPlan } from './status.js';

interface RunFlags {
  jobs?: string;
  force?: boolean;
  dry?: boolean;
  json?: boolean;
  quiet?: boolean;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run the pipeline: restore stages whose inputs are unchanged, run the rest')
    .argument('[stages...]', 'stages to bring up to date, with everything they depend on')
    .option('-j, --jobs <n>', 'stages to run at once (default: number of cores)')
    .option('-f, --force', 'run the stages even when they are up to date or cached')
    .option('--dry', 'print what would run and why, change nothing')
    .option('-q, --quiet', 'do not stream stage output')
    .option('--json', 'print a JSON summary on stdout (stage output goes to stderr)')
    .action(async (stages: string[], flags: RunFlags, command: Command) => {
      const config = resolveCommandConfig(command, flags);
      if (isUnhashedWorkspace(config.weftDir)) useBaselineJitOnly();
      const store = await openStore(config);
      const base = { root: config.root, weftDir: config.weftDir, store, targets: stages };
      if (flags.dry) {
        const plan = await planPipeline({ ...base, force: flags.force === true });
        if (flags.json) printJson({ dryRun: true, stages: plan });
        else printPlan(plan);
        return;
      }
      const renderer = createRunRenderer({
        out: flags.json ? process.stderr : process.stdout,
        quiet: flags.quiet === true,
      });
      const abort = new AbortController();
      const interrupt = (): void => abort.abort();
      // Repeated signals change nothing: the stages get SIGTERM, then SIGKILL after a grace period.
      process.on('SIGINT', interrupt).on('SIGTERM', interrupt);
      const started = Date.now();
      try {
        const summary = await withMetadataOnDemand(config, (openMetadata) =>
          runPipeline({
            ...base,
            metadata: openMetadata,
            jobs: config.jobs,
            force: flags.force === true,
            reporter: renderer,
            signal: abort.signal,
          }),
        );
        renderer.close();
        if (flags.json) printJson(summary);
        else {
          const counts = countOutcomes(summary.stages.map((s) => s.outcome));
          printLine(
            `run ${summary.runId} ${summary.status} in ${formatDuration(Date.now() - started)} (${counts})` +
              (summary.lockWritten ? '; weft.lock updated' : ''),
          );
          const model = summary.model;
          if (model) {
            printLine(
              model.created
                ? `model ${model.name}: registered version ${model.version} (${model.digest.slice(0, 19)})`
                : `model ${model.name}: version ${model.version} (already registered)`,
            );
          }
        }
        if (abort.signal.aborted) process.exitCode = EXIT.interrupted;
        else if (summary.status === 'failed') process.exitCode = EXIT.failed;
      } finally {
        renderer.close();
        process.off('SIGINT', interrupt).off('SIGTERM', interrupt);
      }
    });
}

function countOutcomes(outcomes: string[]): string {
  const counts = new Map<string, number>();
  for (const outcome of outcomes) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  return [...counts].map(([outcome, n]) => `${n} ${outcome}`).join(', ') || 'nothing to do';
}
