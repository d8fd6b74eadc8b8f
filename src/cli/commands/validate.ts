import { resolve } from 'node:path';
import type { Command } from 'commander';
import { openStore, withMetadata } from '../../app/open.js';
import { WeftError } from '../../core/errors.js';
import { reproduceModelVersion } from '../../exec/reproduce.js';
import { loadWorkspace, requireEvaluation } from '../../exec/workspace.js';
import { writeReports } from '../../exec/write-reports.js';
import { resolveActor, resolveCommandConfig } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { defaultModelRef, findModelVersion } from '../model-ref.js';
import { printJson, printLine } from '../output.js';
import { createRunRenderer } from '../progress.js';
import { describeVerdicts } from './evaluation-text.js';

interface ValidateFlags {
  report?: string;
  force?: boolean;
  json?: boolean;
  jobs?: string;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description(
      'evaluate a model version and its baselines on the same dataset and judge the gates of weft.yaml (exit 1 when one fails)',
    )
    .argument(
      '[ref]',
      'NAME, NAME@VERSION, NAME:ALIAS or NAME@sha256:... (default: the pipeline model, latest)',
    )
    .option(
      '--report <dir>',
      'also write report.md (with SVG plots), report.json and junit.xml there',
    )
    .option('--force', 'evaluate again even when a stored evaluation matches')
    .option(
      '-j, --jobs <n>',
      'stages to run at once when a reproducibility gate rebuilds the model',
    )
    .option('--json', 'print the verdicts and the evidence as JSON')
    .action(async (ref: string | undefined, flags: ValidateFlags, command: Command) => {
      const config = resolveCommandConfig(command, flags);
      const { pipeline } = await loadWorkspace(config.root, config.weftDir);
      const evaluation = requireEvaluation(pipeline);
      const gates = pipeline.gates ?? [];
      if (gates.length === 0) {
        throw new WeftError(
          'SPEC_INVALID',
          'weft.yaml declares no spec.gates: nothing to validate',
        );
      }
      const store = await openStore(config);
      // ONNX Runtime loads only for the commands that run a model.
      const { validateModelVersion } = await import('../../exec/validate-version.js');
      const renderer = createRunRenderer({ out: process.stderr, quiet: true });
      const report = await withMetadata(config, async (metadata) =>
        validateModelVersion(
          {
            root: config.root,
            store,
            metadata,
            evaluation,
            gates,
            ...(pipeline.model ? { artifactPath: pipeline.model.artifact } : {}),
            actor: await resolveActor(config),
            force: flags.force === true,
            reproduce: (version) =>
              reproduceModelVersion({
                root: config.root,
                metadata,
                version,
                jobs: config.jobs,
                reporter: renderer,
                signal: new AbortController().signal,
              }),
          },
          await findModelVersion(metadata, defaultModelRef(ref, pipeline.model?.name)),
        ),
      ).finally(() => renderer.close());
      const { validation } = report;
      if (!validation.passed) process.exitCode = EXIT.failed;
      const written = flags.report ? await writeReports(resolve(flags.report), report) : [];
      if (flags.json) return printJson(report);
      const { model, baseline } = validation;
      const against = baseline
        ? ` against ${baseline.ref} (${baseline.name}@${baseline.version})`
        : '';
      printLine(
        `validating ${model.name}@${model.version}${against} on ${report.candidate.dataset.path}`,
      );
      for (const line of describeVerdicts(
        validation.gates,
        validation.passed,
        `${model.name}@${model.version}`,
      )) {
        printLine(line);
      }
      for (const file of written) printLine(`wrote ${file}`);
    });
}
