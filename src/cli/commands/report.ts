import { resolve } from 'node:path';
import type { Command } from 'commander';
import { withMetadata } from '../../app/open.js';
import { WeftError } from '../../core/errors.js';
import type { ReportInput } from '../../evaluate/types.js';
import { REPORT_FORMATS, writeReports, type ReportFormat } from '../../exec/write-reports.js';
import { loadWorkspace } from '../../exec/workspace.js';
import { resolveCommandConfig } from '../context.js';
import { defaultModelRef, findModelVersion } from '../model-ref.js';
import { printLine } from '../output.js';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write the reports of the latest `weft validate` of a model version')
    .argument(
      '[ref]',
      'NAME, NAME@VERSION, NAME:ALIAS or NAME@sha256:... (default: the pipeline model, latest)',
    )
    .option('-o, --out <dir>', 'directory to write into', 'weft-report')
    .option(
      '--format <formats>',
      `comma-separated: ${REPORT_FORMATS.join(', ')}`,
      REPORT_FORMATS.join(','),
    )
    .action(
      async (ref: string | undefined, flags: { out: string; format: string }, command: Command) => {
        const config = resolveCommandConfig(command);
        const formats = parseFormats(flags.format);
        const text =
          ref ??
          defaultModelRef(
            undefined,
            (await loadWorkspace(config.root, config.weftDir)).pipeline.model?.name,
          );
        const report = await withMetadata(config, async (metadata) => {
          const version = await findModelVersion(metadata, text);
          const [latest] = await metadata.listModelChecks(version.name, version.version, {
            kind: 'validation',
            limit: 1,
          });
          if (!latest) {
            throw new WeftError(
              'NOT_FOUND',
              `model ${version.name}@${version.version} has not been validated; run weft validate ${version.name}@${version.version} first`,
            );
          }
          return latest.result as ReportInput;
        });
        for (const file of await writeReports(resolve(config.root, flags.out), report, formats)) {
          printLine(`wrote ${file}`);
        }
      },
    );
}

function parseFormats(text: string): ReportFormat[] {
  const formats = text.split(',').map((f) => f.trim());
  for (const format of formats) {
    if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
      throw new WeftError(
        'USAGE',
        `unknown report format "${format}": expected ${REPORT_FORMATS.join(', ')}`,
      );
    }
  }
  return formats as ReportFormat[];
}
