import type { Command } from 'commander';
import { openStore, withMetadata } from '../../app/open.js';
import { loadWorkspace, requireEvaluation } from '../../exec/workspace.js';
import { resolveActor, resolveCommandConfig } from '../context.js';
import { defaultModelRef, findModelVersion } from '../model-ref.js';
import { printJson, printLine } from '../output.js';
import { describeEvaluation } from './evaluation-text.js';

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description(
      'run a model version through ONNX Runtime on the evaluation dataset: metrics, fairness per group, feature importance',
    )
    .argument(
      '[ref]',
      'NAME, NAME@VERSION, NAME:ALIAS or NAME@sha256:... (default: the pipeline model, latest)',
    )
    .option('--force', 'evaluate again even if this version was evaluated on the same data')
    .option('--json', 'print the evaluation as JSON')
    .action(
      async (
        ref: string | undefined,
        flags: { force?: boolean; json?: boolean },
        command: Command,
      ) => {
        const config = resolveCommandConfig(command);
        const { pipeline } = await loadWorkspace(config.root, config.weftDir);
        const evaluation = requireEvaluation(pipeline);
        const store = await openStore(config);
        // ONNX Runtime loads only for the commands that run a model.
        const { evaluateModelVersion } = await import('../../exec/evaluate-version.js');
        const { result, cached } = await withMetadata(config, async (metadata) =>
          evaluateModelVersion(
            {
              root: config.root,
              store,
              metadata,
              evaluation,
              actor: await resolveActor(config),
              force: flags.force === true,
            },
            await findModelVersion(metadata, defaultModelRef(ref, pipeline.model?.name)),
          ),
        );
        if (flags.json) return printJson(result);
        for (const line of describeEvaluation(result, cached)) printLine(line);
      },
    );
}
