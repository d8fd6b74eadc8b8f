import type { Command } from 'commander';
import { withMetadata } from '../../app/open.js';
import { isDigest } from '../../core/digest.js';
import { WeftError } from '../../core/errors.js';
import {
  describeModelLineage,
  findVersionsUsing,
  renderDot,
  renderMermaid,
  renderTree,
} from '../../exec/model-lineage.js';
import { resolveCommandConfig } from '../context.js';
import { findModelVersion } from '../model-ref.js';
import { printJson, printLine } from '../output.js';

interface LineageFlags {
  uses?: string;
  format: string;
  json?: boolean;
}

const RENDERERS = { text: renderTree, mermaid: renderMermaid, dot: renderDot } as const;

export function registerLineage(program: Command): void {
  program
    .command('lineage')
    .description('what a model version was made from: commit, params, data, stages, aliases')
    .argument('[ref]', 'NAME, NAME@VERSION, NAME:ALIAS or NAME@sha256:...')
    .option('--uses <digest>', 'the other direction: which model versions used this artifact')
    .option('--format <format>', 'text | mermaid | dot', 'text')
    .option('--json', 'print JSON')
    .action(async (ref: string | undefined, flags: LineageFlags, command: Command) => {
      const config = resolveCommandConfig(command);
      if (flags.uses !== undefined) {
        const digest = flags.uses;
        if (!isDigest(digest)) {
          throw new WeftError(
            'USAGE',
            `failed to read --uses: expected sha256:<64 hex>, got "${digest}"`,
          );
        }
        const versions = await withMetadata(config, (m) => findVersionsUsing(m, digest));
        if (flags.json) return printJson({ digest, versions });
        if (versions.length === 0) return printLine(`No model version used ${digest}.`);
        for (const v of versions)
          printLine(`${v.name}@${v.version}  ${v.digest.slice(0, 19)}  run ${v.runId}`);
        return;
      }
      if (ref === undefined)
        throw new WeftError('USAGE', 'failed to show lineage: name a model version or use --uses');
      const render = RENDERERS[flags.format as keyof typeof RENDERERS];
      if (!render) {
        throw new WeftError(
          'USAGE',
          `failed to show lineage: unknown --format ${flags.format} (text, mermaid, dot)`,
        );
      }
      const view = await withMetadata(config, async (m) =>
        describeModelLineage(m, await findModelVersion(m, ref)),
      );
      if (flags.json) return printJson(view);
      printLine(render(view));
    });
}
