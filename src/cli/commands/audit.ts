import type { Command } from 'commander';
import { withMetadata } from '../../app/open.js';
import { resolveCommandConfig } from '../context.js';
import { openRemote, REMOTE_OPTION_HELP } from '../remote.js';
import { EXIT } from '../exit-codes.js';
import { formatTable, printJson, printLine } from '../output.js';

interface AuditFlags {
  limit: string;
  before?: string;
  json?: boolean;
  remote?: string;
}

export function registerAudit(program: Command): void {
  const audit = program
    .command('audit')
    .description('the append-only audit log: every alias move and controller action, hash-chained')
    .option('-n, --limit <n>', 'entries to show, newest first', '50')
    .option('--before <id>', 'only entries older than this id (paging)')
    .option('--json', 'print JSON')
    .option('--remote <url>', REMOTE_OPTION_HELP)
    .action(async (flags: AuditFlags, command: Command) => {
      const filter = {
        limit: Number(flags.limit),
        ...(flags.before === undefined ? {} : { before: Number(flags.before) }),
      };
      const entries = flags.remote
        ? (await (await openRemote(flags.remote)).listAudit(filter)).items
        : await withMetadata(resolveCommandConfig(command), (m) => m.listAudit(filter));
      if (flags.json) return printJson(entries);
      printLine(
        formatTable([
          ['id', 'at', 'actor', 'action', 'object', 'change'],
          ...entries.map((e) => [
            String(e.id),
            e.at.toISOString().slice(0, 19).replace('T', ' '),
            e.actor,
            e.action,
            `${e.object.kind}/${e.object.name}`,
            `${JSON.stringify(e.before)} -> ${JSON.stringify(e.after)}`,
          ]),
        ]),
      );
    });
  audit
    .command('verify')
    .description(
      're-compute the hash chain; exit 1 naming the first entry that was edited or removed',
    )
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }, command: Command) => {
      // `--remote` belongs to `weft audit`, which takes it wherever it stands in the line.
      const { remote } = command.optsWithGlobals<{ remote?: string }>();
      const result = remote
        ? await (await openRemote(remote)).verifyAudit()
        : await withMetadata(resolveCommandConfig(command), (m) => m.verifyAudit());
      if (!result.ok) process.exitCode = EXIT.failed;
      if (flags.json) return printJson(result);
      printLine(
        result.ok
          ? `audit log intact: ${result.entries} entries chain from the first`
          : `audit log BROKEN at entry ${result.brokenAt}: ${result.reason} (${result.entries} entries before it verify)`,
      );
    });
}
