import type { Command } from 'commander';
import { withMetadata } from '../../app/open.js';
import { WeftError } from '../../core/errors.js';
import type { RunDetail, RunRecord, RunStatus } from '../../registry/types.js';
import { openStore } from '../../app/open.js';
import { resolveCommandConfig } from '../context.js';
import { openRemote, REMOTE_OPTION_HELP } from '../remote.js';
import { formatDuration, formatTable, printJson, printLine } from '../output.js';

interface RunsFlags {
  limit: string;
  before?: string;
  status?: RunStatus;
  json?: boolean;
  remote?: string;
}

export function registerRuns(program: Command): void {
  program
    .command('runs')
    .description('list recorded runs, newest first')
    .option('-n, --limit <n>', 'how many', '20')
    .option('--before <id>', 'only runs older than this id (pagination cursor)')
    .option('--status <status>', 'running | succeeded | failed')
    .option('--json', 'print JSON')
    .option('--remote <url>', REMOTE_OPTION_HELP)
    .action(async (flags: RunsFlags, command: Command) => {
      const filter = {
        limit: parsePositive(flags.limit, 'limit'),
        ...(flags.before ? { before: parsePositive(flags.before, 'before') } : {}),
        ...(flags.status ? { status: flags.status } : {}),
      };
      const runs = flags.remote
        ? (await (await openRemote(flags.remote)).listRuns(filter)).items
        : await withMetadata(resolveCommandConfig(command), (m) => m.listRuns(filter));
      if (flags.json) return printJson({ runs });
      if (runs.length === 0) return printLine('No runs yet: `weft run` records one.');
      printLine(
        formatTable([
          ['ID', 'STATUS', 'COMMIT', 'BRANCH', 'STARTED', 'DURATION'],
          ...runs.map((r) => [
            String(r.id),
            r.status,
            describeCommit(r),
            r.branch ?? '-',
            r.startedAt.toISOString().replace('T', ' ').slice(0, 19),
            r.finishedAt ? formatDuration(r.finishedAt.getTime() - r.startedAt.getTime()) : '-',
          ]),
        ]),
      );
    });

  program
    .command('show')
    .description('show a run: each stage, what it did and why, outputs and metrics')
    .argument('<run>', 'run id, or "latest"')
    .option('--log <stage>', "print that stage's log")
    .option('--json', 'print JSON')
    .option('--remote <url>', REMOTE_OPTION_HELP)
    .action(async (id: string, flags: ShowFlags, command: Command) => {
      const run = flags.remote
        ? await readRemoteRun(flags.remote, id)
        : await withMetadata(resolveCommandConfig(command), async (m) => {
            const runId =
              id === 'latest' ? (await m.listRuns({ limit: 1 }))[0]?.id : parsePositive(id, 'run');
            return runId === undefined ? undefined : m.getRun(runId);
          });
      if (!run) throw new WeftError('NOT_FOUND', `failed to show run ${id}: no such run`);
      if (flags.log !== undefined) {
        const stage = run.stages.find((s) => s.stage === flags.log);
        if (!stage?.logDigest) {
          throw new WeftError(
            'NOT_FOUND',
            `failed to show log: run ${run.id} has no log for stage ${flags.log}`,
          );
        }
        process.stdout.write(
          flags.remote
            ? await readRemoteLog(flags.remote, run.id, flags.log)
            : await (await openStore(resolveCommandConfig(command))).readBytes(stage.logDigest),
        );
        return;
      }
      if (flags.json) return printJson(run);
      printLine(
        `run ${run.id}  ${run.status}  ${run.pipeline}  commit ${describeCommit(run)}  ${run.author ?? ''}`,
      );
      if (run.stages.length === 0 && run.status === 'succeeded') {
        printLine('  every stage was up to date: nothing ran or was restored');
      }
      for (const stage of run.stages) {
        printLine(`  ${stage.stage}: ${stage.outcome} (${formatDuration(stage.durationMs)})`);
        for (const reason of stage.reasons) printLine(`    why: ${reason}`);
        for (const out of stage.outs) printLine(`    out: ${out.path} ${out.digest.slice(0, 19)}`);
        for (const m of stage.metrics) printLine(`    metric: ${m.file} ${m.key} = ${m.value}`);
      }
    });
}

interface ShowFlags {
  log?: string;
  json?: boolean;
  remote?: string;
}

async function readRemoteRun(url: string, id: string): Promise<RunDetail | undefined> {
  const client = await openRemote(url);
  const runId =
    id === 'latest' ? (await client.listRuns({ limit: 1 })).items[0]?.id : parsePositive(id, 'run');
  return runId === undefined ? undefined : client.getRun(runId);
}

/** The log as the server has it; one too long to send whole comes as its end, with a warning. */
async function readRemoteLog(url: string, runId: number, stage: string): Promise<Buffer> {
  const log = await (await openRemote(url)).readStageLog(runId, stage, 16 * 1024 * 1024);
  if (log.truncated) {
    process.stderr.write(`weft: showing the last ${log.bytes.length} of ${log.size} bytes\n`);
  }
  return log.bytes;
}

function describeCommit(run: RunRecord): string {
  return run.commit ? `${run.commit.slice(0, 10)}${run.dirty ? '+dirty' : ''}` : '-';
}

function parsePositive(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new WeftError(
      'USAGE',
      `failed to read ${what}: expected a positive integer, got "${value}"`,
    );
  }
  return n;
}
