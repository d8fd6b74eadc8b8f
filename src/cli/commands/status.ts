import type { Command } from 'commander';
import pc from 'picocolors';
import { openStore } from '../../app/open.js';
import { planPipeline, type PlannedStage } from '../../exec/plan-status.js';
import { isUnhashedWorkspace } from '../../exec/workspace.js';
import { resolveCommandConfig } from '../context.js';
import { useBaselineJitOnly } from '../jit.js';
import { printJson, printLine } from '../output.js';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('show which stages are stale and exactly why')
    .argument('[stages...]', 'stages to check, with everything they depend on')
    .option('--json', 'print JSON')
    .action(async (stages: string[], flags: { json?: boolean }, command: Command) => {
      const config = resolveCommandConfig(command);
      if (isUnhashedWorkspace(config.weftDir)) useBaselineJitOnly();
      const store = await openStore(config);
      const plan = await planPipeline({
        root: config.root,
        weftDir: config.weftDir,
        store,
        targets: stages,
        force: false,
      });
      if (flags.json) printJson({ upToDate: plan.every((s) => s.action === 'skip'), stages: plan });
      else printPlan(plan);
    });
}

/** Shared with `weft run --dry`: one line per stage, then one indented line per reason. */
export function printPlan(plan: PlannedStage[]): void {
  if (plan.every((s) => s.action === 'skip')) {
    printLine('Everything is up to date.');
    return;
  }
  for (const stage of plan) {
    if (stage.action === 'skip') {
      printLine(`${pc.bold(stage.stage)}: up to date`);
      continue;
    }
    const verdict =
      stage.action === 'restore' ? 'stale, will restore from cache' : 'stale, will run';
    printLine(`${pc.bold(stage.stage)}: ${pc.yellow(verdict)}`);
    for (const reason of stage.reasons) printLine(`  - ${reason}`);
  }
}
