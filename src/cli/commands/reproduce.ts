import type { Command } from 'commander';
import { withMetadata } from '../../app/open.js';
import { reproduceModelVersion } from '../../exec/reproduce.js';
import { resolveCommandConfig } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { findModelVersion } from '../model-ref.js';
import { printJson, printLine } from '../output.js';
import { createRunRenderer } from '../progress.js';

export function registerReproduce(program: Command): void {
  program
    .command('reproduce')
    .description(
      'rebuild a model version from its commit with the cache off, and compare every output',
    )
    .argument('<ref>', 'NAME, NAME@VERSION, NAME:ALIAS or NAME@sha256:...')
    .option('-j, --jobs <n>', 'stages to run at once (default: number of cores)')
    .option('--json', 'print JSON (stage output goes to stderr)')
    .action(async (ref: string, flags: { jobs?: string; json?: boolean }, command: Command) => {
      const config = resolveCommandConfig(command, flags);
      const renderer = createRunRenderer({
        out: flags.json ? process.stderr : process.stdout,
        quiet: true,
      });
      const result = await withMetadata(config, async (metadata) =>
        reproduceModelVersion({
          root: config.root,
          metadata,
          version: await findModelVersion(metadata, ref),
          jobs: config.jobs,
          reporter: renderer,
          signal: new AbortController().signal,
        }),
      ).finally(() => renderer.close());
      if (!result.identical) process.exitCode = EXIT.failed;
      if (flags.json) return printJson(result);
      const name = `${result.model}@${result.version}`;
      if (result.identical) {
        printLine(
          `${name}: bit-identical (rebuilt from ${result.commit.slice(0, 10)} with the cache off)`,
        );
        return;
      }
      printLine(`${name}: NOT reproducible from ${result.commit.slice(0, 10)}`);
      const { artifact } = result;
      if (artifact.reproduced !== artifact.recorded) {
        printLine(
          `  model ${artifact.path}: recorded ${artifact.recorded.slice(0, 19)}, rebuilt ${artifact.reproduced?.slice(0, 19) ?? 'nothing'}`,
        );
      }
      for (const d of result.differences) {
        printLine(
          `  stage ${d.stage} is not deterministic: ${d.path} recorded ${d.recorded.slice(0, 19)}, rebuilt ${d.reproduced?.slice(0, 19) ?? 'nothing'}`,
        );
      }
      for (const s of result.stages.filter((stage) => stage.outcome === 'failed')) {
        printLine(`  stage ${s.stage} failed: ${s.error ?? ''}`);
      }
    });
}
