import type { Command } from 'commander';
import { withMetadata } from '../../app/open.js';
import { readDeploymentStatus } from '../../controller/deployment-status.js';
import { resolveCommandConfig } from '../context.js';
import { readRemote, REMOTE_OPTION_HELP } from '../remote.js';
import { formatTable, printJson, printLine } from '../output.js';

/** `weft deployments`: what the controller last wrote for each ModelDeployment. */
export function registerDeployments(program: Command): void {
  program
    .command('deployments')
    .description(
      'the status `weft up` last wrote for each ModelDeployment: conditions, served version, rollout',
    )
    .option('--json', 'print JSON')
    .option('--remote <url>', REMOTE_OPTION_HELP)
    .action(async (flags: { json?: boolean; remote?: string }, command: Command) => {
      const statuses = flags.remote
        ? await readRemoteDeployments(flags.remote)
        : await readLocalDeployments(command);
      if (flags.json) return printJson(statuses);
      if (statuses.length === 0) return printLine('no deployments yet: `weft up` writes them');
      printLine(
        formatTable([
          ['name', 'ready', 'serving', 'rollout', 'applied revision', 'message'],
          ...statuses.map((s) => {
            const ready = s.conditions.find((c) => c.type === 'Ready');
            const problem = s.conditions.find((c) => c.type !== 'Ready' && c.status === 'True');
            const rollout = s.rollout
              ? `canary @${s.rollout.canary.version} step ${s.rollout.step + 1}`
              : '-';
            return [
              s.name,
              ready ? `${ready.status} (${ready.reason})` : 'Unknown',
              s.served ? `${s.served.model}@${s.served.version}` : '-',
              rollout,
              s.lastAppliedRevision?.replace(/(@sha1:[0-9a-f]{10})[0-9a-f]+/, '$1') ?? '-',
              (problem ?? ready)?.message ?? '',
            ];
          }),
        ]),
      );
    });
}

async function readLocalDeployments(command: Command) {
  const rows = await withMetadata(resolveCommandConfig(command), (m) =>
    m.listStatuses('ModelDeployment'),
  );
  return rows.map((r) => ({
    name: r.name,
    updatedAt: r.updatedAt,
    ...readDeploymentStatus(r.status),
  }));
}

function readRemoteDeployments(url: string) {
  return readRemote(url, (client, cursor) => client.listDeployments({ limit: 500, cursor }));
}
