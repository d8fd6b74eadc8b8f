import type { Command } from 'commander';
import { openStore, withMetadata } from '../../app/open.js';
import { WeftError } from '../../core/errors.js';
import { collectReferences } from '../../exec/gc-references.js';
import { lockWorkspace } from '../../exec/workspace-lock.js';
import { collectGarbage } from '../../store/index.js';
import { resolveCommandConfig } from '../context.js';
import { printJson, printLine } from '../output.js';

interface GcFlags {
  dryRun?: boolean;
  keepRuns?: string;
  json?: boolean;
}

export function registerGc(program: Command): void {
  program
    .command('gc')
    .description(
      'delete stored objects that no weft.lock (working tree or any commit), recorded run or tag references',
    )
    .option('-n, --dry-run', 'print what would be deleted and how many bytes it would free')
    .option('--keep-runs <n>', 'keep objects of only the newest N recorded runs (default: all)')
    .option('--json', 'print JSON')
    .action(async (flags: GcFlags, command: Command) => {
      const config = resolveCommandConfig(command);
      const keepRuns = flags.keepRuns === undefined ? undefined : parseCount(flags.keepRuns);
      const store = await openStore(config);
      // A run in this workspace stores objects before anything references them: wait it out.
      const release = await lockWorkspace(config.weftDir);
      const result = await withMetadata(config, async (metadata) => {
        const keep = keepRuns === undefined ? {} : { keepRuns };
        const references = await collectReferences(config.root, metadata, keep);
        return collectGarbage(store, references, { dryRun: flags.dryRun === true });
      }).finally(release);
      if (flags.json) return printJson({ dryRun: flags.dryRun === true, ...result });
      const verb = flags.dryRun ? 'would delete' : 'deleted';
      if (flags.dryRun)
        for (const object of result.removed) printLine(`${object.digest}  ${object.size}`);
      printLine(
        `${verb} ${result.removed.length} objects, ${formatBytes(result.bytes)}; kept ${result.kept}` +
          (result.runCacheEntriesRemoved
            ? `; ${verb} ${result.runCacheEntriesRemoved} run-cache entries`
            : ''),
      );
    });
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new WeftError('USAGE', `failed to read --keep-runs: expected a count, got "${value}"`);
  }
  return n;
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
