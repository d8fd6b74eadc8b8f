#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerAudit } from './commands/audit.js';
import { registerDeployments } from './commands/deployments.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerGc } from './commands/gc.js';
import { registerInit } from './commands/init.js';
import { registerMetrics } from './commands/metrics.js';
import { registerModels } from './commands/models.js';
import { registerLineage } from './commands/lineage.js';
import { registerReport } from './commands/report.js';
import { registerReproduce } from './commands/reproduce.js';
import { registerRun } from './commands/run.js';
import { registerRuns } from './commands/runs.js';
import { registerServe } from './commands/serve.js';
import { registerStatus } from './commands/status.js';
import { registerUp } from './commands/up.js';
import { registerValidate } from './commands/validate.js';
import { describeForUser, EXIT, exitCodeFor } from './exit-codes.js';
import { WEFT_VERSION } from '../core/version.js';

function buildProgram(): Command {
  const program = new Command('weft')
    .description('GitOps for machine learning: reproducible, cached pipelines from a Git repo')
    .version(WEFT_VERSION)
    .option('-C, --cwd <dir>', 'run as if weft was started in <dir>')
    .option('--store <dir>', 'artifact store directory (env WEFT_STORE_DIR; default .weft/store)')
    .option(
      '--database <url>',
      'postgres://… or a SQLite file (env WEFT_DATABASE_URL; default .weft/weft.db)',
    )
    .showHelpAfterError()
    .exitOverride();
  for (const register of [
    registerInit,
    registerRun,
    registerStatus,
    registerRuns,
    registerMetrics,
    registerModels,
    registerLineage,
    registerEvaluate,
    registerValidate,
    registerReport,
    registerReproduce,
    registerServe,
    registerAudit,
    registerUp,
    registerDeployments,
    registerGc,
  ]) {
    register(program);
  }
  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.invalidInput;
      return;
    }
    console.error(describeForUser(error));
    process.exitCode = exitCodeFor(error);
  }
}

await main(process.argv);
